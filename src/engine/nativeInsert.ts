import duckdb from '@duckdb/node-bindings';
import {
  DuckDBDataChunk,
  listValue,
  structValue,
  DuckDBTimestampValue,
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  FLOAT,
  INTEGER,
  LIST,
  SMALLINT,
  STRUCT,
  TIME,
  TIMESTAMP,
  TIMESTAMP_MS,
  TIMESTAMP_NS,
  TIMESTAMP_S,
  TIMESTAMPTZ,
  TINYINT,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { RecordBatchReader, Type, type Data, type DataType, type Field, type Vector } from 'apache-arrow';
import { LanternError } from '../lib/errors';
import { ident } from '../lib/sql';

const CHUNK = duckdb.vector_size();

/**
 * Arrow IPC stream bytes into a DuckDB table, with the column types DuckDB's own Arrow scan gives
 * (what DuckDB-WASM's insertArrowFromIPCStream creates): node-api 1.5 binds no Arrow import, so record
 * batches are copied into data chunks and appended. Fixed-width columns are copied as bytes; strings
 * one value at a time.
 */
export async function insertArrowIpc(conn: DuckDBConnection, table: string, ipc: Uint8Array, append: boolean): Promise<void> {
  const reader = RecordBatchReader.from(ipc);
  reader.open();
  const fields = reader.schema.fields;
  const columns = fields.map(columnWriter);
  if (!append)
    await conn.run(`CREATE TABLE ${ident(table)} (${fields.map((f, i) => `${ident(f.name)} ${columns[i]!.type.toString()}`).join(', ')})`);
  const appender = await conn.createAppender(table);
  try {
    for (const batch of reader) {
      const data = fields.map((_, i) => batch.getChildAt(i)!);
      for (let start = 0; start < batch.numRows; start += CHUNK) {
        const n = Math.min(CHUNK, batch.numRows - start);
        const chunk = DuckDBDataChunk.create(
          columns.map((c) => c.type),
          n,
        );
        columns.forEach((c, i) => c.write(chunk, i, data[i]!, start, n));
        appender.appendDataChunk(chunk);
      }
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

interface ColumnWriter {
  type: DuckDBType;
  write(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void;
}

function columnWriter(field: Field): ColumnWriter {
  const type = field.type as DataType;
  switch (type.typeId) {
    case Type.Int:
    case Type.Float: {
      const duck = numericType(type);
      if (duck) return { type: duck, write: fixedWidth };
      break;
    }
    case Type.Bool:
      return { type: BOOLEAN, write: booleans };
    case Type.Utf8:
    case Type.LargeUtf8:
      return { type: VARCHAR, write: bytes };
    case Type.Binary:
    case Type.LargeBinary:
      return { type: BLOB, write: bytes };
    case Type.Dictionary:
      return { type: VARCHAR, write: dictionary };
    case Type.Date:
      return { type: DATE, write: (type as unknown as { unit: number }).unit === 0 ? fixedWidth : dateMillis };
    case Type.Timestamp: {
      const { unit, timezone } = type as unknown as { unit: number; timezone: string | null };
      if (timezone) return { type: TIMESTAMPTZ, write: scaled(TO_MICROS[unit]!) };
      return { type: [TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS][unit]!, write: fixedWidth };
    }
    case Type.Time:
      return { type: TIME, write: scaled(TO_MICROS[(type as unknown as { unit: number }).unit]!) };
    case Type.Decimal: {
      const { precision, scale } = type as unknown as { precision: number; scale: number };
      if (precision <= 18) return { type: DECIMAL(precision, scale), write: decimal(precision) };
      break;
    }
    case Type.List:
    case Type.Struct: {
      const duck = nestedType(type);
      if (duck) return { type: duck, write: nested };
      break;
    }
  }
  throw new LanternError('bad-arrow', `Column "${field.name}" has an Arrow type (${String(type)}) the native engine cannot import.`);
}

function numericType(type: DataType): DuckDBType | null {
  if (type.typeId === Type.Float) {
    const precision = (type as unknown as { precision: number }).precision;
    return precision === 1 ? FLOAT : precision === 2 ? DOUBLE : null;
  }
  const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
  const signed = { 8: TINYINT, 16: SMALLINT, 32: INTEGER, 64: BIGINT } as Record<number, DuckDBType>;
  const unsigned = { 8: UTINYINT, 16: USMALLINT, 32: UINTEGER, 64: UBIGINT } as Record<number, DuckDBType>;
  return (isSigned ? signed : unsigned)[bitWidth] ?? null;
}

function nestedType(type: DataType): DuckDBType | null {
  if (type.typeId === Type.List) {
    const child = (type as unknown as { children: Field[] }).children[0]!;
    const inner = scalarType(child.type);
    return inner ? LIST(inner) : null;
  }
  const entries: Record<string, DuckDBType> = {};
  for (const child of (type as unknown as { children: Field[] }).children) {
    const inner = scalarType(child.type);
    if (!inner) return null;
    entries[child.name] = inner;
  }
  return STRUCT(entries);
}

function scalarType(type: DataType): DuckDBType | null {
  if (type.typeId === Type.Int || type.typeId === Type.Float) return numericType(type);
  if (type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8) return VARCHAR;
  if (type.typeId === Type.Bool) return BOOLEAN;
  return null;
}

/** The batch's chunk holding rows [start, start + n), with the row offset inside it. */
function slice(vector: Vector, start: number, n: number): { data: Data; at: number } {
  let base = 0;
  for (const data of vector.data) {
    if (start < base + data.length) {
      if (start + n > base + data.length) break;
      return { data, at: data.offset + start - base };
    }
    base += data.length;
  }
  // A run of rows spanning two Arrow chunks: make them one.
  const sliced = vector.slice(start, start + n);
  const data = sliced.data.length === 1 ? sliced.data[0]! : (sliced as unknown as { concat(): Vector }).concat().data[0]!;
  return { data, at: data.offset };
}

function validity(chunk: DuckDBDataChunk, column: number, data: Data, at: number, n: number): ((i: number) => boolean) | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  const bitmap = data.nullBitmap;
  const mask = new Uint8Array(Math.ceil(n / 64) * 8);
  for (let i = 0; i < n; i++) {
    const bit = at + i;
    if (bitmap[bit >> 3]! & (1 << (bit & 7))) mask[i >> 3]! |= 1 << (i & 7);
  }
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer, 0, mask.byteLength);
  return (i) => (mask[i >> 3]! & (1 << (i & 7))) !== 0;
}

function fixedWidth(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const { data, at } = slice(vector, start, n);
  const values = data.values as unknown as { buffer: ArrayBuffer; byteOffset: number; BYTES_PER_ELEMENT: number };
  const stride = (data.type as unknown as { ArrayType: { BYTES_PER_ELEMENT: number } }).ArrayType.BYTES_PER_ELEMENT * data.stride;
  duckdb.copy_data_to_vector(
    duckdb.data_chunk_get_vector(chunk.chunk, column),
    0,
    values.buffer,
    values.byteOffset + at * stride,
    n * stride,
  );
  validity(chunk, column, data, at, n);
}

function booleans(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const { data, at } = slice(vector, start, n);
  const bits = data.values as Uint8Array;
  const out = new Uint8Array(n * duckdb.sizeof_bool);
  for (let i = 0; i < n; i++) out[i * duckdb.sizeof_bool] = bits[(at + i) >> 3]! & (1 << ((at + i) & 7)) ? 1 : 0;
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, column), 0, out.buffer, 0, out.byteLength);
  validity(chunk, column, data, at, n);
}

function bytes(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const { data, at } = slice(vector, start, n);
  const valid = validity(chunk, column, data, at, n);
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const values = data.values as Uint8Array;
  const target = duckdb.data_chunk_get_vector(chunk.chunk, column);
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) continue;
    const from = Number(offsets[at + i]!);
    const to = Number(offsets[at + i + 1]!);
    duckdb.vector_assign_string_element_len(target, i, values.subarray(from, to));
  }
}

function dictionary(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const { data, at } = slice(vector, start, n);
  const valid = validity(chunk, column, data, at, n);
  const dict = data.dictionary!;
  const encoder = new TextEncoder();
  const words = new Map<number, Uint8Array>();
  const target = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const indices = data.values as unknown as ArrayLike<number | bigint>;
  for (let i = 0; i < n; i++) {
    if (valid && !valid(i)) continue;
    const key = Number(indices[at + i]!);
    let word = words.get(key);
    if (!word) words.set(key, (word = encoder.encode(String(dict.get(key)))));
    duckdb.vector_assign_string_element_len(target, i, word);
  }
}

function dateMillis(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const { data, at } = slice(vector, start, n);
  const ms = data.values as unknown as BigInt64Array | Int32Array;
  const days = new Int32Array(n);
  // Date64 may be stored as BigInt64 or as int32 lane pairs depending on the Arrow JS build.
  for (let i = 0; i < n; i++)
    days[i] = Math.floor(Number(ms instanceof BigInt64Array ? ms[at + i]! : pairToNumber(ms, at + i)) / 86_400_000);
  duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, column), 0, days.buffer, 0, days.byteLength);
  validity(chunk, column, data, at, n);
}

function pairToNumber(lanes: Int32Array, i: number): number {
  return lanes[i * 2 + 1]! * 4294967296 + (lanes[i * 2]! >>> 0);
}

/** Arrow time units (s, ms, us, ns) to DuckDB's microseconds. */
const TO_MICROS = [1_000_000, 1_000, 1, 0.001];

function scaled(factor: number) {
  return (chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void => {
    const { data, at } = slice(vector, start, n);
    const values = data.values as unknown as ArrayLike<number | bigint>;
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = values[at + i]!;
      out[i] = factor === 1 ? BigInt(v) : factor > 1 ? BigInt(v) * BigInt(factor) : BigInt(v) / 1000n;
    }
    duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, column), 0, out.buffer, 0, out.byteLength);
    validity(chunk, column, data, at, n);
  };
}

/** Arrow's 128-bit decimals into DuckDB's physical width for the precision (16, 32 or 64 bits). */
function decimal(precision: number) {
  const width = precision <= 4 ? 2 : precision <= 9 ? 4 : 8;
  return (chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void => {
    const { data, at } = slice(vector, start, n);
    const lanes = data.values as unknown as Uint32Array;
    const out = new DataView(new ArrayBuffer(n * width));
    for (let i = 0; i < n; i++) {
      const lo = lanes[(at + i) * 4]!;
      const hi = lanes[(at + i) * 4 + 1]! | 0;
      if (width === 8) {
        out.setUint32(i * 8, lo, true);
        out.setInt32(i * 8 + 4, hi, true);
      } else if (width === 4) out.setInt32(i * 4, lo | 0, true);
      else out.setInt16(i * 2, lo & 0xffff, true);
    }
    duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, column), 0, out.buffer, 0, n * width);
    validity(chunk, column, data, at, n);
  };
}

function nested(chunk: DuckDBDataChunk, column: number, vector: Vector, start: number, n: number): void {
  const values: DuckDBValue[] = [];
  for (let i = 0; i < n; i++) values.push(toDuckValue(vector.get(start + i)));
  chunk.setColumnValues(column, values);
}

function toDuckValue(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return new DuckDBTimestampValue(BigInt(value.getTime()) * 1000n);
  const iterable = value as { toArray?: () => unknown[]; toJSON?: () => Record<string, unknown> };
  if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function' && iterable.toArray)
    return listValue([...iterable.toArray()].map(toDuckValue));
  if (iterable.toJSON) return structValue(Object.fromEntries(Object.entries(iterable.toJSON()).map(([k, v]) => [k, toDuckValue(v)])));
  return String(value);
}
