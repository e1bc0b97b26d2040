import { checkCsvHead, gunzipHead } from './csvDialect';
import type { DataSource } from './db';
import type { Variant } from './formats';
import { literal } from './sql';

/** Bytes read from the start of a file to tell its format and CSV dialect. */
export const HEAD_BYTES = 64 * 1024;

/** Picks the delimiter from the file's head and refuses ragged leading lines (src/lib/csvDialect.ts). */
export async function csvDelimiter(source: DataSource, variant: Variant): Promise<string> {
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const text = new TextDecoder().decode(variant === 'csv.gz' ? gunzipHead(head) : head);
  const complete = variant !== 'csv.gz' && head.length === source.size;
  return checkCsvHead(text, source.name, variant === 'tsv' ? '\t' : undefined, complete).delimiter;
}

/**
 * `read_csv` options for every engine. Delimiter and skip are fixed so the sniffer cannot skip ragged
 * leading rows; strict mode makes later ragged rows an error instead of silently padded data.
 */
export function csvOptions(delimiter: string, variant: Variant): string[] {
  return [
    'auto_detect = true',
    'sample_size = 20480',
    `delim = ${literal(delimiter)}`,
    'skip = 0',
    'strict_mode = true',
    'null_padding = false',
    variant === 'csv.gz' ? `compression = 'gzip'` : '',
  ].filter(Boolean);
}

export function firstLine(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  return text.split('\n')[0]!.replace(/\s+$/, '');
}
