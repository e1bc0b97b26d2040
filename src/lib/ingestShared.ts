import { checkCsvHead, gunzipHead } from './csvDialect';
import type { DataSource } from './db';
import type { Variant } from './formats';
import { literal } from './sql';

/** Bytes read from the start of a file to tell its format and CSV dialect. */
export const HEAD_BYTES = 64 * 1024;

/** The delimiter picked from the file's head, and the number of fields of its header. */
export interface CsvDialect {
  delimiter: string;
  columns: number;
}

/** Picks the delimiter from the file's head and refuses ragged leading lines (src/lib/csvDialect.ts). */
export async function csvDialect(source: DataSource, variant: Variant): Promise<CsvDialect> {
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const text = new TextDecoder().decode(variant === 'csv.gz' ? gunzipHead(head) : head);
  const complete = variant !== 'csv.gz' && head.length === source.size;
  return checkCsvHead(text, source.name, variant === 'tsv' ? '\t' : undefined, complete);
}

/**
 * Headers wider than this have their quoting fixed to the standard's double quote (the one the head
 * check splits fields by): DuckDB's sniffer tries every quote and escape over every column, and took 7 s
 * on a 10,000-column file of 200 rows (1 s with the quote given).
 */
export const WIDE_CSV_COLUMNS = 200;

/**
 * `read_csv` options for every engine. Delimiter and skip are fixed so the sniffer cannot skip ragged
 * leading rows; strict mode makes later ragged rows an error instead of silently padded data.
 */
export function csvOptions(dialect: CsvDialect, variant: Variant, wholeFile = false): string[] {
  return [
    'auto_detect = true',
    wholeFile ? 'sample_size = -1' : 'sample_size = 20480',
    `delim = ${literal(dialect.delimiter)}`,
    ...(dialect.columns > WIDE_CSV_COLUMNS ? [`quote = '"'`, `escape = '"'`] : []),
    'skip = 0',
    'strict_mode = true',
    'null_padding = false',
    // Explicit either way: DuckDB would otherwise take a plain file named ".gz" for gzip.
    variant === 'csv.gz' ? `compression = 'gzip'` : `compression = 'none'`,
  ].filter(Boolean);
}

/**
 * Column types are guessed from the first 20,480 rows; a text value after them ("abc" in row 30,001 of
 * numbers) fails the read with a conversion error. The read is then repeated with types guessed from
 * every row, which is slower but gives every value its column.
 */
export async function retryTypesOnWholeFile<T>(read: (wholeFile: boolean) => Promise<T>): Promise<T> {
  try {
    return await read(false);
  } catch (error) {
    if (!/Conversion Error|Could not convert/i.test(String((error as Error)?.message ?? error))) throw error;
    return read(true);
  }
}

/**
 * A DuckDB error as a reason a user can read: without the error class ("Invalid Input Error: "), and for
 * CSV errors the line and the reason DuckDB gives, not its dump of reader options.
 */
export function duckDbReason(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  const csv = /CSV Error on Line: (\d+)(?:\n(?:Original Line: [^\n]*\n)?([^\n]+))?/.exec(text);
  if (csv) return `line ${csv[1]}${csv[2] ? `: ${csv[2].replace(/\s+$/, '')}` : ''}`;
  return (
    firstLine(error)
      .replace(/^(?:\w+ )*?\w*Error: /, '')
      .replace(/\s*LINE \d+:.*$/, '')
      // The engine's own names for a file being loaded ("<table>__source") and the path it was given.
      .replace(/\s*(?:(?:in|of) )?file ["'][^"']*["']/gi, '')
      .replace(/["'][^"']*__(?:source|loading|json)\w*["']/g, 'the file')
  );
}

export function firstLine(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  return text.split('\n')[0]!.replace(/\s+$/, '');
}
