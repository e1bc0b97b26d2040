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
    const twice = firstDuplicateKey(line);
    if (twice) throw duplicateKeyError(name, twice.key, `line ${linesBefore + i + 1}`);
    keys.add(parsed);
    kept.push(line);
  }
  if (kept.length === 0) throw new LanternError('no-rows', `"${name}" holds no JSON objects.`);
  return { array: new TextEncoder().encode(`[${kept.join(',')}]`), keys: keys.list(), records: kept.length };
}

export interface JsonRows {
  /** A JSON array of objects, as UTF-8 bytes. */
  array: Uint8Array;
  /** Column names in the order they first appear in the file. */
  keys: string[];
  /** The number of records. */
  records: number;
}

function duplicateKeyError(name: string, key: string, where: string): LanternError {
  return new LanternError(
    'bad-json',
    `"${name}" has an object with the key "${key.replaceAll('\u0000', '\\u0000')}" twice (${where}). Keep one of them and load the file again.`,
  );
}

/**
 * The first key that an object of valid JSON `text` holds twice, and the top-level value holding it
 * (1-based: the element of a top-level array, else 1). JSON.parse keeps the last of two equal keys without
 * a word, so `{"a":1,"a":2}` would load as a = 2; such a file is refused instead, as DuckDB's reader does.
 * Keys are compared as JSON reads them ("a" and "\u0061" are one key).
 */
export function firstDuplicateKey(text: string): { key: string; value: number } | null {
  // One frame per open object (its keys so far, and whether a key comes next) or array (keys null).
  const frames: { keys: Set<string> | null; expectKey: boolean }[] = [];
  let value = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          escaped = true;
          j++;
        } else if (d === 0x22) break;
      }
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.keys.has(key)) return { key, value };
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    } else if (c === 0x7b) frames.push({ keys: new Set(), expectKey: true });
    else if (c === 0x5b) frames.push({ keys: null, expectKey: false });
    else if (c === 0x7d || c === 0x5d) frames.pop();
    else if (c === 0x2c) {
      const top = frames[frames.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (frames.length === 1) value++;
    }
  }
  return null;
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
export function checkJsonArray(bytes: Uint8Array, name: string, recordsBefore = 0): JsonRows {
  let parsed: unknown;
  const text = new TextDecoder().decode(bytes);
  try {
    parsed = JSON.parse(text);
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
  const twice = firstDuplicateKey(text);
  if (twice) throw duplicateKeyError(name, twice.key, `record ${recordsBefore + twice.value} of the array`);
  return { array: bytes, keys: keys.list(), records: parsed.length };
}
