import type { DataSource, Db, DiskLocation } from './db';
import { isCancel, LanternError } from './errors';
import type { Variant } from './formats';
import type { LoadOptions } from './ingestTypes';
import { csvDelimiter, csvOptions, firstLine } from './ingestShared';
import { ident, literal } from './sql';

/**
 * Loading with the engine's own readers, for an engine that reads its disk (native DuckDB in the CLI):
 * no byte of the file passes through JS except the head, globs and hive partitions come for free, and
 * DuckDB reads in parallel and spills what does not fit. CSV keeps the dialect the core picked and
 * checked (the same `read_csv` options as every other engine); bad files give the same kinds of message.
 */
export async function readFromDisk(
  db: Db,
  location: DiskLocation,
  source: DataSource,
  variant: Variant,
  staging: string,
  { signal, onProgress, columns }: LoadOptions,
): Promise<void> {
  const files = location.files.length === 1 ? literal(location.files[0]!).text : `[${location.files.map(literal).join(', ')}]`;
  // Explicit either way: DuckDB would otherwise guess from the folder names of a single file.
  const hive = `hive_partitioning = ${location.hive}`;
  let reader: string;
  switch (variant) {
    case 'csv':
    case 'tsv':
    case 'csv.gz':
      reader = `read_csv(${files}, ${[...csvOptions(await csvDelimiter(source, variant), variant), hive].join(', ')})`;
      break;
    case 'parquet':
      reader = `read_parquet(${files}, ${hive})`;
      break;
    case 'json-array':
    case 'ndjson':
      reader = `read_json(${files}, format = ${literal(variant === 'ndjson' ? 'newline_delimited' : 'array')}, records = true, sample_size = -1, ${hive})`;
      break;
    default:
      throw new LanternError('bad-arrow', `"${source.name}": Arrow files are read through the engine's Arrow import, not from disk.`);
  }
  onProgress?.({ phase: 'reading' });
  try {
    await db.query(`CREATE TABLE ${ident(staging)} AS SELECT ${columns ? columns.map(ident).join(', ') : '*'} FROM ${reader}`, { signal });
  } catch (error) {
    throw await diskReadError(db, error, source.name, variant, files);
  }
}

/** DuckDB's reader errors in the words the WASM path uses for the same files. */
async function diskReadError(db: Db, error: unknown, name: string, variant: Variant, files: string): Promise<unknown> {
  if (error instanceof LanternError || isCancel(error)) return error;
  const text = String((error as Error)?.message ?? error);
  if (variant === 'parquet') {
    if (/too small to be a Parquet file|magic bytes|corrupt|footer|metadata|Could not read|Invalid Input Error: File/i.test(text))
      return new LanternError('bad-parquet', `"${name}" could not be read as Parquet: it is truncated or corrupt (${firstLine(error)}).`);
    return new LanternError('bad-parquet', `"${name}" could not be read as Parquet: ${firstLine(error)}`);
  }
  if (variant === 'json-array' || variant === 'ndjson') {
    const ndjson = variant === 'ndjson';
    const where = /at byte \d+ in (?:line|record\/value) \d+: [^\n]*/.exec(text)?.[0];
    if (/Malformed JSON/i.test(text))
      return new LanternError(
        'bad-json',
        `"${name}" is not valid ${ndjson ? 'NDJSON' : 'JSON'}${where ? `: ${where.replace(/\.$/, '')}` : ''}.`,
      );
    if (/expected records/i.test(text)) {
      // An empty array or file is "no rows"; anything else that is not objects is not a table.
      const [row] = await db
        .query(
          `SELECT count(*)::DOUBLE AS n FROM read_json(${files}, format = ${literal(ndjson ? 'newline_delimited' : 'array')}, records = false)`,
        )
        .catch(() => [{ n: 1 }]);
      if (Number(row?.['n']) === 0)
        return new LanternError('no-rows', ndjson ? `"${name}" holds no JSON objects.` : `"${name}" holds an empty array: no data rows.`);
      return new LanternError(
        'bad-json',
        ndjson
          ? `"${name}" is not valid NDJSON: a line is not a JSON object.`
          : `"${name}" is not valid JSON for a table: expected an array of objects.`,
      );
    }
  }
  return error;
}
