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
  const keys = new KeyOrder(name);
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

/**
 * Keys that differ only in case ("Score" and "score") cannot be two columns: DuckDB's names ignore case,
 * and the loader read one key's values into both columns. Such a file is refused, naming the keys.
 */
export class CaseFoldedKeys {
  private readonly byFold = new Map<string, string>();
  constructor(private readonly name: string) {}
  add(key: string): void {
    // The tab's engine cuts SQL at a NUL, so such a name cannot reach a column there.
    if (key.includes('\u0000'))
      throw new LanternError(
        'bad-json',
        `"${this.name}" has a key with a NUL character ("${key.replaceAll('\u0000', '\\u0000')}"). Rename the key and load the file again.`,
      );
    const fold = key.toLowerCase();
    const other = this.byFold.get(fold);
    if (other === undefined) this.byFold.set(fold, key);
    else if (other !== key)
      throw new LanternError(
        'bad-json',
        `"${this.name}" has keys that differ only in case ("${other}" and "${key}"), which cannot be told apart as columns. ` +
          'Rename one of them in the file and load it again.',
      );
  }
}

/** First-seen order of object keys across rows. */
class KeyOrder {
  private readonly seen = new Set<string>();
  private readonly folded: CaseFoldedKeys;
  constructor(name: string) {
    this.folded = new CaseFoldedKeys(name);
  }
  add(row: object): void {
    for (const key of Object.keys(row)) {
      if (this.seen.has(key)) continue;
      this.folded.add(key);
      this.seen.add(key);
    }
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
  const keys = new KeyOrder(name);
  parsed.forEach((row: unknown, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new LanternError('bad-json', `"${name}" is not valid JSON for a table: element ${i + 1} is not an object.`);
    keys.add(row);
  });
  return { array: bytes, keys: keys.list() };
}
