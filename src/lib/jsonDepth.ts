import type { DataSource } from './db';
import { LanternError, throwIfAborted } from './errors';

/**
 * Arrays and objects nested deeper than this are refused before any reader sees them. Both engines'
 * JSON readers recurse per level: DuckDB-WASM overflowed the JS stack at a few thousand levels, and
 * native DuckDB ran for minutes on 5,000 levels and crashed the process at 200,000. Tables of records
 * nest a few levels; 64 leaves room for any real log.
 */
export const MAX_JSON_DEPTH = 64;

const CHUNK = 8 * 1024 * 1024;

/** Scans a JSON or NDJSON file's nesting depth (strings and escapes followed), refusing it past the limit. */
export async function checkJsonDepth(source: DataSource, signal?: AbortSignal): Promise<void> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let at = 0; at < source.size; at += CHUNK) {
    throwIfAborted(signal);
    const bytes = await source.read(at, Math.min(source.size, at + CHUNK));
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
      } else if (b === 0x22) inString = true;
      else if (b === 0x5b || b === 0x7b) {
        // The top-level array of a JSON file is not a level of a record.
        if (++depth > MAX_JSON_DEPTH + 1)
          throw new LanternError(
            'bad-json',
            `"${source.name}" nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep, which Lantern does not read. ` +
              'Flatten the records (one column per value) and load the file again.',
          );
      } else if (b === 0x5d || b === 0x7d) depth--;
    }
  }
}
