import { LanternError } from './errors';

/** Formats as the CLI and UI report them; `tsv` and `ndjson` are variants the loader tells apart. */
export type FileFormat = 'csv' | 'parquet' | 'json' | 'arrow';
export type Variant = 'csv' | 'tsv' | 'csv.gz' | 'parquet' | 'json-array' | 'ndjson' | 'arrow-file' | 'arrow-stream';

export interface DetectedFormat {
  format: FileFormat;
  variant: Variant;
}

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const ARROW_FILE_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const GZIP_MAGIC = [0x1f, 0x8b];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function firstNonSpace(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (i === 0 && b === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      i += 2; // UTF-8 byte order mark
      continue;
    }
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  }
  return undefined;
}

/** Text files have no NUL bytes and few control characters; anything else named .csv is refused. */
function looksBinary(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return head.length > 0 && control / head.length > 0.05;
}

/**
 * Decides the format from the first bytes, using the file name only to break ties between text
 * formats: users rename files, and a binary file named `.csv` must not reach the CSV reader.
 */
export function detectFormat(name: string, head: Uint8Array, size: number): DetectedFormat {
  if (size === 0) throw new LanternError('empty-file', `"${name}" is empty (0 bytes). There is nothing to load.`);
  const lower = name.toLowerCase();
  if (startsWith(head, PARQUET_MAGIC)) return { format: 'parquet', variant: 'parquet' };
  if (startsWith(head, ARROW_FILE_MAGIC)) return { format: 'arrow', variant: 'arrow-file' };
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff)
    return { format: 'arrow', variant: 'arrow-stream' };
  if (startsWith(head, GZIP_MAGIC)) {
    if (/\.(csv|tsv|txt)\.gz$/.test(lower) || lower.endsWith('.gz')) return { format: 'csv', variant: 'csv.gz' };
  }
  if (/\.(parquet|pq)$/.test(lower))
    throw new LanternError('bad-parquet', `"${name}" is not a valid Parquet file: it does not start with the Parquet magic bytes.`);
  if (/\.(arrow|feather|ipc|arrows)$/.test(lower))
    throw new LanternError('bad-arrow', `"${name}" is not a valid Arrow IPC file or stream.`);
  if (looksBinary(head))
    throw new LanternError(
      'binary-file',
      `"${name}" looks like a binary file, not text. Lantern reads CSV, TSV, JSON, NDJSON, Parquet and Arrow files.`,
    );
  const first = firstNonSpace(head);
  if (first === undefined) throw new LanternError('empty-file', `"${name}" holds only whitespace. There is nothing to load.`);
  if (/\.(ndjson|jsonl)$/.test(lower)) return { format: 'json', variant: 'ndjson' };
  if (lower.endsWith('.json') || first === 0x5b || first === 0x7b) {
    if (first === 0x5b) return { format: 'json', variant: 'json-array' };
    if (first === 0x7b) return { format: 'json', variant: 'ndjson' };
    throw new LanternError('bad-json', `"${name}" is not valid JSON: it must start with "[" (an array) or "{" (one object per line).`);
  }
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return { format: 'csv', variant: 'tsv' };
  return { format: 'csv', variant: 'csv' };
}
