import { LanternError } from './errors';
import { firstLine } from './ingestShared';

/**
 * DuckDB-WASM's JSON reader takes arrays of objects only (its `read_json` lives in an extension we never
 * download), so NDJSON is re-framed as one array. Each line is parsed first to name the first bad line.
 */
export function ndjsonToArray(bytes: Uint8Array, name: string, linesBefore = 0): JsonRows {
  const text = new TextDecoder().decode(bytes);
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const keys = new KeyOrder();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new LanternError('bad-json', `"${name}" is not valid NDJSON: line ${linesBefore + i + 1} is not a JSON value.`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new LanternError('bad-json', `"${name}" is not valid NDJSON: line ${linesBefore + i + 1} is not a JSON object.`);
    keys.add(parsed);
    kept.push(line);
  }
  if (kept.length === 0) throw new LanternError('no-rows', `"${name}" holds no JSON objects.`);
  return { array: new TextEncoder().encode(`[${kept.join(',')}]`), keys: keys.list() };
}

export interface JsonRows {
  /** A JSON array of objects, as UTF-8 bytes. */
  array: Uint8Array;
  /** Column names in the order they first appear in the file. */
  keys: string[];
}

/** First-seen order of object keys across rows. */
class KeyOrder {
  private readonly seen = new Set<string>();
  add(row: object): void {
    for (const key of Object.keys(row)) this.seen.add(key);
  }
  list(): string[] {
    return [...this.seen];
  }
}

/** Validates a JSON array of objects and records its key order; the bytes go to the engine unchanged. */
export function checkJsonArray(bytes: Uint8Array, name: string): JsonRows {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new LanternError('bad-json', `"${name}" is not valid JSON: ${firstLine(error)}.`);
  }
  if (!Array.isArray(parsed)) throw new LanternError('bad-json', `"${name}" is not valid JSON for a table: expected an array of objects.`);
  if (parsed.length === 0) throw new LanternError('no-rows', `"${name}" holds an empty array: no data rows.`);
  const keys = new KeyOrder();
  parsed.forEach((row: unknown, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new LanternError('bad-json', `"${name}" is not valid JSON for a table: element ${i + 1} is not an object.`);
    keys.add(row);
  });
  return { array: bytes, keys: keys.list() };
}
