import type { DataSource, Db, DiskLocation } from './db';
import { isCancel, LanternError } from './errors';
import type { Variant } from './formats';
import type { LoadOptions } from './ingestTypes';
import { csvDialect, csvOptions, retryTypesOnWholeFile, duckDbReason } from './ingestShared';
import { CaseFoldedKeys } from './jsonRows';
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
    case 'csv.gz': {
      const dialect = await csvDialect(source, variant);
      const csvReader = (whole: boolean) => `read_csv(${files}, ${[...csvOptions(dialect, variant, whole), hive].join(', ')})`;
      onProgress?.({ phase: 'reading' });
      try {
        await retryTypesOnWholeFile((whole) =>
          db.query(`CREATE TABLE ${ident(staging)} AS SELECT ${columns ? columns.map(ident).join(', ') : '*'} FROM ${csvReader(whole)}`, {
            signal,
          }),
        );
      } catch (error) {
        throw await diskReadError(db, error, source.name, variant, files);
      }
      return;
    }
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
  if (variant === 'json-array' || variant === 'ndjson') await checkJsonKeyCase(db, staging, source.name, variant, files);
}

/**
 * DuckDB's JSON reader renames the second of two keys that differ only in case ("Score", "score") to
 * "score_1": the column no longer has the file's name. Where the table has such a name, the file's keys
 * are read to tell a renamed key from a real "score_1", and keys colliding by case refuse the file as
 * the engine without a disk reader does (src/lib/jsonRows.ts).
 */
async function checkJsonKeyCase(db: Db, table: string, name: string, variant: Variant, files: string): Promise<void> {
  const columns = (await db.query(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${literal(table)}`)).map(
    (r) => String(r['c']),
  );
  const lower = new Set(columns.map((c) => c.toLowerCase()));
  const renamed = columns.some((c) => {
    const base = /^(.*)_\d+$/.exec(c)?.[1];
    return base !== undefined && lower.has(base.toLowerCase());
  });
  if (!renamed) return;
  const format = literal(variant === 'ndjson' ? 'newline_delimited' : 'array');
  const keys = await db.query(`SELECT DISTINCT unnest(json_keys(json)) AS k FROM read_json_objects(${files}, format = ${format})`);
  const folded = new CaseFoldedKeys(name);
  for (const k of keys) folded.add(String(k['k']));
}

/** DuckDB's reader errors in the words the WASM path uses for the same files. */
async function diskReadError(db: Db, error: unknown, name: string, variant: Variant, files: string): Promise<unknown> {
  if (error instanceof LanternError || isCancel(error)) return error;
  const text = String((error as Error)?.message ?? error);
  if (variant === 'parquet') {
    if (/too small to be a Parquet file|magic bytes|corrupt|footer|metadata|Could not read|Invalid Input Error: File/i.test(text))
      return new LanternError(
        'bad-parquet',
        `"${name}" could not be read as Parquet: it is truncated or corrupt (${duckDbReason(error)}).`,
      );
    return new LanternError('bad-parquet', `"${name}" could not be read as Parquet: ${duckDbReason(error)}`);
  }
  if (variant === 'json-array' || variant === 'ndjson') {
    const ndjson = variant === 'ndjson';
    const where = /at byte \d+ in (?:line|record\/value) \d+: [^\n]*/.exec(text)?.[0];
    const duplicate = /(line|record\/value) (\d+): Object .* has duplicate key "(.*)"/.exec(text);
    if (duplicate) {
      const at = duplicate[1] === 'line' ? `line ${duplicate[2]}` : `record ${duplicate[2]} of the array`;
      return new LanternError(
        'bad-json',
        `"${name}" has an object with the key "${duplicate[3]}" twice (${at}). Keep one of them and load the file again.`,
      );
    }
    if (/Malformed JSON/i.test(text))
      return new LanternError(
        'bad-json',
        `"${name}" is not valid ${ndjson ? 'NDJSON' : 'JSON'}${where ? `: ${where.replace(/[\s.]+$/, '')}` : ''}.`,
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
