import type { DataSource, Db } from './db';
import { LanternError, throwIfAborted } from './errors';
import type { LoadOptions } from './ingestTypes';
import { CaseFoldedKeys, checkJsonArray, ndjsonToArray } from './jsonRows';
import { readChunks } from './ingestStream';
import { ident, literal } from './sql';

/**
 * JSON arrays and NDJSON loaded in chunks of whole records (8 MB of the file at a time), so the file is
 * never in memory whole. Each chunk is validated in JS (the first bad line or element is named, as
 * before), handed to the engine's JSON reader, and appended to the staging table. The reader infers
 * types per chunk; where a later chunk needs a wider type (a double after integers, text after numbers)
 * the staging column is widened to DuckDB's common supertype first, so the table is what one read of
 * the whole file gives. Columns keep the order of their first appearance in the file.
 */
export async function insertJsonChunks(
  db: Db,
  source: DataSource,
  variant: 'json-array' | 'ndjson',
  staging: string,
  fileName: string,
  { signal, onProgress }: LoadOptions,
): Promise<void> {
  const splitter = variant === 'ndjson' ? new LineSplitter() : new ArraySplitter(source.name);
  const order: string[] = [];
  const inOrder = new Set<string>();
  const folded = new CaseFoldedKeys(source.name);
  const types = new Map<string, string>();
  let created = false;
  let read = 0;
  let index = 0;
  let recordsBefore = 0;
  const insert = async ({ bytes: records, linesBefore }: Records) => {
    if (records.every((b) => b <= 0x20)) return;
    const rows =
      variant === 'ndjson' ? ndjsonToArray(records, source.name, linesBefore) : checkJsonArray(records, source.name, recordsBefore);
    const { array, keys } = rows;
    recordsBefore += rows.records;
    if (keys.length === 0) return;
    const name = `${fileName}_${index}`;
    const chunk = `${staging}__json${index++}`;
    await db.registerBuffer(name, array);
    try {
      await db.insertJsonArray(chunk, name);
    } catch (error) {
      // DuckDB-WASM's JSON import types a key from its first values and fails on a later value of
      // another JSON type (1, then "text"). Such keys become text, as one read of the file by native
      // DuckDB gives them.
      if (!/Expected .* got|Invalid field/i.test(String((error as Error)?.message ?? error))) throw error;
      await db.dropFile(name).catch(() => undefined);
      await db.query(`DROP TABLE IF EXISTS ${ident(chunk)}`);
      await db.registerBuffer(name, mixedKeysAsText(array));
      await db.insertJsonArray(chunk, name);
    } finally {
      await db.dropFile(name).catch(() => undefined);
    }
    try {
      const columns = await db.query(
        `SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = ${literal(chunk)}`,
      );
      for (const key of keys)
        if (!inOrder.has(key)) {
          folded.add(key);
          inOrder.add(key);
          order.push(key);
        }
      if (!created) {
        // The engine's JSON reader sorts columns by name; users expect the order of their file.
        await db.query(`CREATE TABLE ${ident(staging)} AS SELECT ${keys.map(ident).join(', ')} FROM ${ident(chunk)}`);
        for (const c of columns) types.set(String(c['c']), String(c['t']));
        created = true;
        return;
      }
      for (const c of columns) {
        const column = String(c['c']);
        const type = String(c['t']);
        const have = types.get(column);
        if (have === undefined) {
          await db.query(`ALTER TABLE ${ident(staging)} ADD COLUMN ${ident(column)} ${type}`);
          types.set(column, type);
        } else if (have !== type) {
          const [row] = await db.query(`SELECT typeof(v) AS t FROM (SELECT NULL::${have} AS v UNION ALL SELECT NULL::${type}) LIMIT 1`);
          const wider = String(row?.['t'] ?? 'VARCHAR');
          if (wider !== have) {
            await db.query(`ALTER TABLE ${ident(staging)} ALTER ${ident(column)} SET DATA TYPE ${wider}`);
            types.set(column, wider);
          }
        }
      }
      await db.query(`INSERT INTO ${ident(staging)} BY NAME SELECT * FROM ${ident(chunk)}`);
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${ident(chunk)}`);
    }
  };
  for await (const chunk of readChunks(source, 0, signal)) {
    // A UTF-8 byte order mark is not JSON.
    const bytes = read === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
    read += chunk.length;
    for (const records of splitter.push(bytes)) await insert(records);
    throwIfAborted(signal);
    onProgress?.({ phase: 'reading', fraction: read / source.size });
  }
  const last = splitter.end();
  if (last) await insert(last);
  if (!created)
    throw new LanternError(
      'no-rows',
      variant === 'ndjson' ? `"${source.name}" holds no JSON objects.` : `"${source.name}" holds an empty array: no data rows.`,
    );
  // Columns first seen in a later chunk were added at the end; put every column where the file has it.
  const now = (
    await db.query(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${literal(staging)} ORDER BY ordinal_position`,
    )
  ).map((r) => String(r['c']));
  if (now.join('\u0000') !== order.join('\u0000')) {
    await db.query(`CREATE TABLE ${ident(`${staging}__ordered`)} AS SELECT ${order.map(ident).join(', ')} FROM ${ident(staging)}`);
    await db.query(`DROP TABLE ${ident(staging)}`);
    await db.query(`ALTER TABLE ${ident(`${staging}__ordered`)} RENAME TO ${ident(staging)}`);
  }
}

/** A JSON array of objects in which every key holding values of more than one JSON type holds text. */
function mixedKeysAsText(array: Uint8Array): Uint8Array {
  const rows = JSON.parse(new TextDecoder().decode(array)) as Record<string, unknown>[];
  const kinds = new Map<string, Set<string>>();
  for (const row of rows)
    for (const [key, value] of Object.entries(row))
      if (value !== null) {
        const kind = Array.isArray(value) ? 'array' : typeof value;
        (kinds.get(key) ?? kinds.set(key, new Set()).get(key)!).add(kind);
      }
  const mixed = [...kinds].filter(([, k]) => k.size > 1).map(([key]) => key);
  for (const row of rows)
    for (const key of mixed) {
      const value = row[key];
      if (value !== null && value !== undefined && typeof value !== 'string') row[key] = JSON.stringify(value);
    }
  return new TextEncoder().encode(JSON.stringify(rows));
}

interface Records {
  bytes: Uint8Array;
  /** Lines of the file before the end of these records (NDJSON), for messages that name a line. */
  linesBefore: number;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** NDJSON cut after the last newline of each chunk; the rest waits for the next chunk. */
class LineSplitter {
  private rest: Uint8Array = new Uint8Array(0);
  private lines = 0;
  *push(bytes: Uint8Array): Generator<Records> {
    const all = concat(this.rest, bytes);
    const cut = all.lastIndexOf(0x0a);
    if (cut < 0) {
      this.rest = all;
      return;
    }
    const records = all.subarray(0, cut + 1);
    this.rest = all.slice(cut + 1);
    const before = this.lines;
    for (const b of records) if (b === 0x0a) this.lines++;
    yield { bytes: records, linesBefore: before };
  }
  end(): Records | null {
    return this.rest.length > 0 && this.rest.some((b) => b > 0x20) ? { bytes: this.rest, linesBefore: this.lines } : null;
  }
}

/**
 * A JSON array cut between top-level elements: a scanner follows strings, escapes and nesting depth
 * across chunks, and each piece is re-framed as an array of whole elements.
 */
class ArraySplitter {
  private pending: Uint8Array[] = [];
  private depth = 0;
  private inString = false;
  private escaped = false;
  private closed = false;
  constructor(private readonly name: string) {}

  *push(bytes: Uint8Array): Generator<Records> {
    let lastComma = -1;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === 0x5c) this.escaped = true;
        else if (b === 0x22) this.inString = false;
        continue;
      }
      if (b === 0x22) this.inString = true;
      else if (b === 0x5b || b === 0x7b) {
        this.depth++;
      } else if (b === 0x5d || b === 0x7d) {
        this.depth--;
        if (this.depth === 0) this.closed = true;
      } else if (b === 0x2c && this.depth === 1) lastComma = i;
    }
    if (lastComma < 0) {
      this.pending.push(bytes);
      return;
    }
    const head = concatAll([...this.pending, bytes.subarray(0, lastComma)]);
    this.pending = [bytes.slice(lastComma + 1)];
    yield { bytes: this.frame(head), linesBefore: 0 };
  }

  end(): Records | null {
    const rest = concatAll(this.pending);
    if (!this.closed) throw new LanternError('bad-json', `"${this.name}" is not valid JSON: the array is not closed (truncated file?).`);
    // What follows the last comma is only the closing bracket: a trailing comma, which JSON does not allow.
    if (!this.isFirstPiece && rest.every((b) => b <= 0x20 || b === 0x5d))
      throw new LanternError('bad-json', `"${this.name}" is not valid JSON: a comma follows the last element of the array.`);
    const text = rest;
    // The last piece ends with the array's closing bracket already.
    return { bytes: this.isFirstPiece ? text : this.frame(text, true), linesBefore: 0 };
  }

  private isFirstPiece = true;

  /** Pieces after the first lack the opening bracket; pieces before the last lack the closing one. */
  private frame(piece: Uint8Array, last = false): Uint8Array {
    const first = this.isFirstPiece;
    this.isFirstPiece = false;
    const open = first ? new Uint8Array(0) : Uint8Array.of(0x5b);
    const close = last ? new Uint8Array(0) : Uint8Array.of(0x5d);
    return concatAll([open, piece, close]);
  }
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
