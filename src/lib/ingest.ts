import type { DataSource, Db } from './db';
import { LanternError, isOutOfMemory, throwIfAborted, TOO_LARGE_MESSAGE } from './errors';
import { checkGzipComplete } from './gzipIntegrity';
import { checkJsonDepth } from './jsonDepth';
import { detectFormat, type FileFormat, type Variant } from './formats';
import { countRows, describeTable, type ColumnInfo } from './schema';
import { ident, literal } from './sql';
import { readFromDisk } from './ingestDisk';
import { csvDialect, csvOptions, duckDbReason, HEAD_BYTES, retryTypesOnWholeFile } from './ingestShared';
import { insertArrowBatches, insertParquetRowGroups, type ParquetRowGroups } from './ingestStream';
import { insertJsonChunks } from './ingestJson';
import type { LoadOptions } from './ingestTypes';
import { checkCsvFits, compactIfLarge, sampleClause } from './ingestFit';

/** Loads written batch by batch, whose compaction the writer runs as they go (src/lib/ingestFit.ts). */
const STREAMED = new Set<Variant>(['parquet', 'arrow-file', 'arrow-stream']);

export type { ParquetRowGroups } from './ingestStream';
export type { LoadOptions, LoadProgress } from './ingestTypes';
export { checkJsonArray, ndjsonToArray, type JsonRows } from './jsonRows';

/** Parquet needs a wasm decoder whose loading differs between the browser and Node; the engine provides it. */
export interface ParquetCodec {
  /** Decodes a whole Parquet file to an Arrow IPC stream. */
  toArrowStream(parquet: Uint8Array): Uint8Array;
  /**
   * Opens a Parquet file for reading by row group through random access to the source, or returns null
   * for a source the codec cannot open that way (the whole file is then decoded at once).
   */
  open?(source: DataSource): Promise<ParquetRowGroups | null>;
  /** Encodes an Arrow IPC stream as one Parquet file (saving workspaces); engines that only read omit it. */
  fromArrowStream?(ipc: Uint8Array): Uint8Array;
}

export interface LoadedDataset {
  table: string;
  name: string;
  format: FileFormat;
  variant: Variant;
  bytes: number;
  rows: number;
  columns: ColumnInfo[];
}

/**
 * Loads one file into a new table. The data lands in a staging table that is renamed only on success,
 * so a failed or cancelled load leaves every dataset loaded before untouched.
 */
export async function loadDataset(db: Db, parquet: ParquetCodec, source: DataSource, options: LoadOptions): Promise<LoadedDataset> {
  const { table, signal, onProgress } = options;
  onProgress?.({ phase: 'detecting' });
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const { format, variant } = detectFormat(source.name, head, source.size);
  const staging = `${table}__loading`;
  const fileName = `${table}__source`;
  await db.query(`DROP TABLE IF EXISTS ${ident(staging)}`);
  // Arrow has no reader in native DuckDB: it goes through the engine's Arrow insert everywhere.
  const location = variant === 'arrow-file' || variant === 'arrow-stream' ? null : (db.locate?.(source) ?? null);
  try {
    if (variant === 'csv.gz') await checkGzipComplete(source, signal);
    if (variant === 'json-array' || variant === 'ndjson') await checkJsonDepth(source, signal);
    if (location) await readFromDisk(db, location, source, variant, staging, options);
    else await insertByVariant(db, parquet, source, variant, staging, fileName, options);
    throwIfAborted(signal);
    if (options.compact && !STREAMED.has(variant)) await compactIfLarge(db, signal);
    onProgress?.({ phase: 'counting' });
    const rows = await countRows(db, staging);
    const columns = await describeTable(db, staging);
    // SQL text reaches DuckDB-WASM only up to a NUL, so a name holding one cannot be queried by name.
    const nul = columns.find((c) => c.name.includes('\u0000'));
    if (nul)
      throw new LanternError(
        format === 'json' ? 'bad-json' : 'bad-csv',
        `"${source.name}" has a column name with a NUL character ("${nul.name.replaceAll('\u0000', '\\u0000')}"). Rename the column and load the file again.`,
      );
    if (rows === 0) {
      throw new LanternError(
        'no-rows',
        columns.length > 0
          ? `"${source.name}" has column names (${columns.length}) but no data rows.`
          : `"${source.name}" holds no data rows.`,
      );
    }
    await db.query(`DROP TABLE IF EXISTS ${ident(table)}`);
    await db.query(`ALTER TABLE ${ident(staging)} RENAME TO ${ident(table)}`);
    return { table, name: source.name, format, variant, bytes: source.size, rows, columns };
  } catch (error) {
    await db.query(`DROP TABLE IF EXISTS ${ident(staging)}`).catch(() => undefined);
    throw explainLoadError(error, source.name, format);
  } finally {
    if (!location) await db.dropFile(fileName).catch(() => undefined);
  }
}

async function insertByVariant(
  db: Db,
  parquet: ParquetCodec,
  source: DataSource,
  variant: Variant,
  staging: string,
  fileName: string,
  options: LoadOptions,
): Promise<void> {
  const { signal, onProgress } = options;
  const reportRead = (offset: number) => onProgress?.({ phase: 'reading', fraction: Math.min(1, offset / source.size) });
  switch (variant) {
    case 'csv':
    case 'tsv':
    case 'csv.gz': {
      const dialect = await csvDialect(source, variant);
      await db.registerSource(fileName, source, reportRead);
      const reader = (whole: boolean) => `read_csv(${literal(fileName)}, ${csvOptions(dialect, variant, whole).join(', ')})`;
      if (options.compact) await checkCsvFits(db, reader(false), source, variant === 'csv.gz', options);
      const select = options.columns ? options.columns.map(ident).join(', ') : '*';
      await retryTypesOnWholeFile((whole) =>
        db.query(`CREATE TABLE ${ident(staging)} AS SELECT ${select} FROM ${reader(whole)}${sampleClause(options.sample)}`, { signal }),
      );
      return;
    }
    case 'parquet': {
      let file: ParquetRowGroups | null;
      try {
        file = (await parquet.open?.(source)) ?? null;
      } catch (error) {
        throw new LanternError(
          'bad-parquet',
          `"${source.name}" could not be read as Parquet: it is truncated or corrupt (${duckDbReason(error)}).`,
        );
      }
      if (file) {
        try {
          await insertParquetRowGroups(db, file, staging, source.name, options);
        } finally {
          file.close();
        }
        return;
      }
      onProgress?.({ phase: 'reading', fraction: 0 });
      const bytes = await source.read(0, source.size);
      throwIfAborted(signal);
      onProgress?.({ phase: 'decoding' });
      let ipc: Uint8Array;
      try {
        ipc = parquet.toArrowStream(bytes);
      } catch (error) {
        throw new LanternError(
          'bad-parquet',
          `"${source.name}" could not be read as Parquet: it is truncated or corrupt (${duckDbReason(error)}).`,
        );
      }
      throwIfAborted(signal);
      onProgress?.({ phase: 'inserting' });
      await db.insertArrowStream(staging, ipc);
      return;
    }
    case 'arrow-file':
    case 'arrow-stream':
      await insertArrowBatches(db, source, variant, staging, options);
      return;
    case 'json-array':
    case 'ndjson':
      await insertJsonChunks(db, source, variant, staging, fileName, options);
      return;
  }
}

/** Turns engine errors into messages that name the problem in the user's terms. */
export function explainLoadError(error: unknown, name: string, format: FileFormat): Error {
  if (error instanceof LanternError) return error;
  if (isOutOfMemory(error)) return new LanternError('too-large', TOO_LARGE_MESSAGE);
  const text = String((error as Error)?.message ?? error);
  if (format === 'csv') {
    const line = /line:?\s*(\d+)/i.exec(text)?.[1];
    if (/Invalid unicode|not utf-8/i.test(text))
      return new LanternError(
        'bad-csv',
        `"${name}" is not UTF-8 text${line ? ` (first at line ${line})` : ''}. Save it with UTF-8 encoding and load it again.`,
      );
    if (/Expected Number of Columns|too many columns|Expected \d+ columns|column count/i.test(text))
      return new LanternError(
        'ragged-csv',
        `"${name}" has rows with a different number of fields than its header${line ? ` (first at line ${line})` : ''}. Fix the file or export it again.`,
      );
    return new LanternError('bad-csv', `"${name}" could not be read as CSV: ${duckDbReason(error)}`);
  }
  if (format === 'json') return new LanternError('bad-json', `"${name}" is not valid JSON: ${duckDbReason(error)}`);
  if (format === 'parquet') return new LanternError('bad-parquet', `"${name}" could not be read as Parquet: ${duckDbReason(error)}`);
  return new LanternError('bad-arrow', `"${name}" could not be read: ${duckDbReason(error)}`);
}
