import duckdb from '@duckdb/node-bindings';
import {
  Binary,
  Bool,
  DateDay,
  Dictionary,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Interval,
  IntervalUnit,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Time,
  TimeUnit,
  Timestamp,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  vectorFromArray,
  Map_,
  type Data,
  type DataType,
} from 'apache-arrow';
import {
  DuckDBTypeId,
  DuckDBVector,
  type DuckDBDecimalType,
  type DuckDBEnumType,
  type DuckDBListType,
  type DuckDBMapType,
  type DuckDBMaterializedResult,
  type DuckDBStructType,
  type DuckDBArrayType,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * Native DuckDB results as Arrow, shaped like DuckDB-WASM's: the WASM engine is opened with
 * castBigIntToDouble and castDecimalToDouble, so BIGINT, UBIGINT, HUGEINT and DECIMAL come out as
 * Float64, TIMESTAMP WITH TIME ZONE carries 'UTC', VARCHAR is Utf8 with 32-bit offsets, ENUM a
 * dictionary. The analysis core reads both engines' results with the same code, so the schema has to
 * match, not only the values (checked by tests/engine/nativeArrow.test.ts against the WASM engine).
 *
 * node-api 1.5 has no Arrow export (the C API's Arrow functions are not bound), so columns are copied
 * from the result's chunks: fixed-width vectors as raw bytes, validity masks as bitmaps (DuckDB's
 * 64-bit little-endian masks have Arrow's bit order), strings from their 16-byte `string_t` slots.
 */
export function resultToArrow(result: DuckDBMaterializedResult): Table {
  const rows = result.rowCount;
  const names = result.deduplicatedColumnNames();
  const builders = names.map((_, i) => columnBuilder(result.columnType(i), rows));
  let offset = 0;
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    const n = chunk.rowCount;
    if (n === 0) continue;
    for (let c = 0; c < builders.length; c++) builders[c]!.add(duckdb.data_chunk_get_vector(chunk.chunk, c), n, offset);
    offset += n;
  }
  const fields = names.map((name, i) => new Field(name, builders[i]!.type, true));
  const schema = new Schema(fields);
  const data = builders.map((b) => b.finish(offset));
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: offset, nullCount: 0, children: data }));
  return new Table(schema, [batch]);
}

interface TypedArrayConstructor {
  new (buffer: ArrayBuffer, offset: number, length: number): ArrayLike<unknown>;
  readonly BYTES_PER_ELEMENT: number;
}

interface ColumnBuilder {
  readonly type: DataType;
  /** Appends `n` rows of a chunk's vector, which start at row `offset` of the result. */
  add(vector: duckdb.Vector, n: number, offset: number): void;
  finish(length: number): Data;
}

const BYTES: Partial<Record<DuckDBTypeId, number>> = {
  [DuckDBTypeId.TINYINT]: 1,
  [DuckDBTypeId.SMALLINT]: 2,
  [DuckDBTypeId.INTEGER]: 4,
  [DuckDBTypeId.UTINYINT]: 1,
  [DuckDBTypeId.USMALLINT]: 2,
  [DuckDBTypeId.UINTEGER]: 4,
  [DuckDBTypeId.FLOAT]: 4,
  [DuckDBTypeId.DOUBLE]: 8,
  [DuckDBTypeId.DATE]: 4,
  [DuckDBTypeId.TIME]: 8,
  [DuckDBTypeId.TIMESTAMP]: 8,
  [DuckDBTypeId.TIMESTAMP_S]: 8,
  [DuckDBTypeId.TIMESTAMP_MS]: 8,
  [DuckDBTypeId.TIMESTAMP_NS]: 8,
  [DuckDBTypeId.TIMESTAMP_TZ]: 8,
  [DuckDBTypeId.UHUGEINT]: 16,
};

function fixedArrowType(id: DuckDBTypeId): DataType | null {
  switch (id) {
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
      return new Int32();
    case DuckDBTypeId.UTINYINT:
      return new Uint8();
    case DuckDBTypeId.USMALLINT:
      return new Uint16();
    case DuckDBTypeId.UINTEGER:
      return new Uint32();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
      return new Float64();
    case DuckDBTypeId.DATE:
      return new DateDay();
    case DuckDBTypeId.TIME:
      return new Time(TimeUnit.MICROSECOND, 64);
    case DuckDBTypeId.TIMESTAMP:
      return new Timestamp(TimeUnit.MICROSECOND);
    case DuckDBTypeId.TIMESTAMP_S:
      return new Timestamp(TimeUnit.SECOND);
    case DuckDBTypeId.TIMESTAMP_MS:
      return new Timestamp(TimeUnit.MILLISECOND);
    case DuckDBTypeId.TIMESTAMP_NS:
      return new Timestamp(TimeUnit.NANOSECOND);
    case DuckDBTypeId.TIMESTAMP_TZ:
      // DuckDB-WASM labels instants with its session time zone, which is UTC; the native engine is opened in UTC too.
      return new Timestamp(TimeUnit.MICROSECOND, 'UTC');
    case DuckDBTypeId.UHUGEINT:
      return new FixedSizeBinary(16);
    default:
      return null;
  }
}

function columnBuilder(type: DuckDBType, rows: number): ColumnBuilder {
  const id = type.typeId;
  const fixed = fixedArrowType(id);
  if (fixed) return new FixedBuilder(fixed, BYTES[id]!, rows);
  switch (id) {
    case DuckDBTypeId.BOOLEAN:
      return new BoolBuilder(rows);
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
      return new DoubleBuilder(rows, id === DuckDBTypeId.BIGINT ? int64ToDouble : uint64ToDouble, 8, 1);
    case DuckDBTypeId.HUGEINT:
      return new DoubleBuilder(rows, int128ToDouble, 16, 1);
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = type as DuckDBDecimalType;
      const divisor = 10 ** scale;
      if (width <= 4) return new DoubleBuilder(rows, (v, i) => v.getInt16(i * 2, true), 2, divisor);
      if (width <= 9) return new DoubleBuilder(rows, (v, i) => v.getInt32(i * 4, true), 4, divisor);
      if (width <= 18) return new DoubleBuilder(rows, int64ToDouble, 8, divisor);
      return new DoubleBuilder(rows, int128ToDouble, 16, divisor);
    }
    case DuckDBTypeId.VARCHAR:
      return new BytesBuilder(new Utf8(), rows);
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return new BytesBuilder(new Binary(), rows);
    case DuckDBTypeId.ENUM:
      return new EnumBuilder(type as DuckDBEnumType, rows);
    case DuckDBTypeId.INTERVAL:
      return new IntervalBuilder(rows);
    default:
      return new ValueBuilder(type, rows);
  }
}

/** The validity of `n` rows appended at `offset`, shared by every builder. */
class Validity {
  private bitmap: Uint8Array | null = null;
  nulls = 0;
  constructor(private readonly rows: number) {}

  add(vector: duckdb.Vector, n: number, offset: number): Uint8Array | null {
    const mask = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8);
    if (!mask) {
      if (this.bitmap) setBits(this.bitmap, offset, n);
      return null;
    }
    if (!this.bitmap) {
      this.bitmap = new Uint8Array(Math.ceil(this.rows / 8));
      setBits(this.bitmap, 0, offset);
    }
    copyBits(this.bitmap, offset, mask, n);
    this.nulls += n - countBits(mask, n);
    return mask;
  }

  /** Arrow's `nullBitmap`: omitted when nothing is null. */
  get nullBitmap(): Uint8Array | undefined {
    return this.nulls > 0 && this.bitmap ? this.bitmap : undefined;
  }
}

function isValid(mask: Uint8Array | null, row: number): boolean {
  return mask === null || (mask[row >> 3]! & (1 << (row & 7))) !== 0;
}

function setBits(bitmap: Uint8Array, start: number, n: number): void {
  for (let i = start; i < start + n; i++) bitmap[i >> 3]! |= 1 << (i & 7);
}

function copyBits(dst: Uint8Array, dstOffset: number, src: Uint8Array, n: number): void {
  if ((dstOffset & 7) === 0) {
    const whole = n >> 3;
    dst.set(src.subarray(0, whole), dstOffset >> 3);
    for (let i = whole << 3; i < n; i++) if (src[i >> 3]! & (1 << (i & 7))) dst[(dstOffset + i) >> 3]! |= 1 << ((dstOffset + i) & 7);
    return;
  }
  for (let i = 0; i < n; i++) if (src[i >> 3]! & (1 << (i & 7))) dst[(dstOffset + i) >> 3]! |= 1 << ((dstOffset + i) & 7);
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x; x >>= 1) c += x & 1;
  return c;
});

function countBits(mask: Uint8Array, n: number): number {
  let count = 0;
  const whole = n >> 3;
  for (let i = 0; i < whole; i++) count += POPCOUNT[mask[i]!]!;
  for (let i = whole << 3; i < n; i++) if (mask[i >> 3]! & (1 << (i & 7))) count++;
  return count;
}

class FixedBuilder implements ColumnBuilder {
  private readonly bytes: Uint8Array;
  private readonly validity: Validity;
  constructor(
    readonly type: DataType,
    private readonly width: number,
    rows: number,
  ) {
    this.bytes = new Uint8Array(rows * width);
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    this.bytes.set(duckdb.vector_get_data(vector, n * this.width), offset * this.width);
    this.validity.add(vector, n, offset);
  }
  finish(length: number): Data {
    const ArrayType = (this.type as unknown as { ArrayType: TypedArrayConstructor }).ArrayType;
    // Arrow JS stores some types in narrower lanes (FixedSizeBinary as bytes): count lanes, not values.
    const data = new ArrayType(this.bytes.buffer as ArrayBuffer, 0, length * (this.width / ArrayType.BYTES_PER_ELEMENT));
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nullBitmap,
      data,
    } as never);
  }
}

function int64ToDouble(view: DataView, i: number): number {
  // hi * 2^32 is exact and the sum is rounded once: the same double as (double)int64 in C.
  return view.getInt32(i * 8 + 4, true) * 4294967296 + view.getUint32(i * 8, true);
}

function uint64ToDouble(view: DataView, i: number): number {
  return view.getUint32(i * 8 + 4, true) * 4294967296 + view.getUint32(i * 8, true);
}

function int128ToDouble(view: DataView, i: number): number {
  const lower = view.getBigUint64(i * 16, true);
  const upper = view.getBigInt64(i * 16 + 8, true);
  return Number((upper << 64n) + lower);
}

/** Integer and decimal columns, cast to DOUBLE as DuckDB-WASM's castBigIntToDouble / castDecimalToDouble do. */
class DoubleBuilder implements ColumnBuilder {
  readonly type = new Float64();
  private readonly values: Float64Array;
  private readonly validity: Validity;
  constructor(
    rows: number,
    private readonly read: (view: DataView, i: number) => number,
    private readonly width: number,
    private readonly divisor: number,
  ) {
    this.values = new Float64Array(rows);
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, n * this.width);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const mask = this.validity.add(vector, n, offset);
    const { read, divisor, values } = this;
    for (let i = 0; i < n; i++) if (isValid(mask, i)) values[offset + i] = divisor === 1 ? read(view, i) : read(view, i) / divisor;
  }
  finish(length: number): Data {
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nullBitmap,
      data: this.values.subarray(0, length),
    });
  }
}

class BoolBuilder implements ColumnBuilder {
  readonly type = new Bool();
  private readonly bits: Uint8Array;
  private readonly validity: Validity;
  constructor(rows: number) {
    this.bits = new Uint8Array(Math.ceil(rows / 8));
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, n);
    this.validity.add(vector, n, offset);
    for (let i = 0; i < n; i++) if (bytes[i]) this.bits[(offset + i) >> 3]! |= 1 << ((offset + i) & 7);
  }
  finish(length: number): Data {
    return makeData({ type: this.type, length, nullCount: this.validity.nulls, nullBitmap: this.validity.nullBitmap, data: this.bits });
  }
}

/** Reads the bytes of the `string_t` at `row`: up to 12 bytes inline, longer ones behind a pointer. */
function stringBytes(slots: Uint8Array, view: DataView, row: number): Uint8Array {
  const at = row * 16;
  const length = view.getUint32(at, true);
  if (length <= 12) return slots.subarray(at + 4, at + 4 + length);
  return duckdb.get_data_from_pointer(slots.buffer as ArrayBuffer, slots.byteOffset + at + 8, length);
}

class BytesBuilder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private readonly validity: Validity;
  constructor(
    readonly type: Utf8 | Binary,
    rows: number,
  ) {
    this.offsets = new Int32Array(rows + 1);
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const slots = duckdb.vector_get_data(vector, n * 16);
    const view = new DataView(slots.buffer, slots.byteOffset, slots.byteLength);
    const mask = this.validity.add(vector, n, offset);
    for (let i = 0; i < n; i++) {
      if (isValid(mask, i)) {
        const value = stringBytes(slots, view, i);
        this.reserve(value.length);
        this.bytes.set(value, this.used);
        this.used += value.length;
      }
      this.offsets[offset + i + 1] = this.used;
    }
  }
  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + more) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
  finish(length: number): Data {
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nullBitmap,
      valueOffsets: this.offsets.subarray(0, length + 1),
      data: this.bytes.subarray(0, this.used),
    } as never);
  }
}

/** ENUM as DuckDB-WASM gives it: a dictionary of the enum's members, indices of the enum's own width. */
class EnumBuilder implements ColumnBuilder {
  readonly type: Dictionary;
  private readonly indices: Uint8Array | Uint16Array | Uint32Array;
  private readonly validity: Validity;
  private readonly width: number;
  constructor(
    private readonly enumType: DuckDBEnumType,
    rows: number,
  ) {
    const n = enumType.values.length;
    const [index, Array_] = n <= 0xff ? [new Uint8(), Uint8Array] : n <= 0xffff ? [new Uint16(), Uint16Array] : [new Uint32(), Uint32Array];
    this.type = new Dictionary(new Utf8(), index);
    this.indices = new Array_(rows);
    this.width = Array_.BYTES_PER_ELEMENT;
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, n * this.width);
    const Array_ = this.indices.constructor as Uint8ArrayConstructor;
    this.indices.set(new Array_(bytes.slice().buffer, 0, n), offset);
    this.validity.add(vector, n, offset);
  }
  finish(length: number): Data {
    const dictionary = vectorFromArray([...this.enumType.values], new Utf8());
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nullBitmap,
      data: this.indices.subarray(0, length),
      dictionary,
    } as never);
  }
}

/** INTERVAL (months, days, micros) as Arrow's MONTH_DAY_NANO, which DuckDB-WASM gives. */
class IntervalBuilder implements ColumnBuilder {
  readonly type = new Interval(IntervalUnit.MONTH_DAY_NANO);
  private readonly lanes: Int32Array;
  private readonly validity: Validity;
  constructor(rows: number) {
    this.lanes = new Int32Array(rows * 4);
    this.validity = new Validity(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const bytes = duckdb.vector_get_data(vector, n * 16);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new DataView(this.lanes.buffer);
    this.validity.add(vector, n, offset);
    for (let i = 0; i < n; i++) {
      const at = (offset + i) * 16;
      out.setInt32(at, view.getInt32(i * 16, true), true);
      out.setInt32(at + 4, view.getInt32(i * 16 + 4, true), true);
      out.setBigInt64(at + 8, view.getBigInt64(i * 16 + 8, true) * 1000n, true);
    }
  }
  finish(length: number): Data {
    return makeData({
      type: this.type,
      length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.nullBitmap,
      data: this.lanes.subarray(0, length * 4),
    } as never);
  }
}

/**
 * Everything else (LIST, STRUCT, MAP, ARRAY, UUID, TIME WITH TIME ZONE, UNION, ...) through node-api's
 * value objects and Arrow JS's builders. Slower, but only previews of users' nested columns meet it.
 */
class ValueBuilder implements ColumnBuilder {
  readonly type: DataType;
  private readonly values: unknown[];
  constructor(
    private readonly duckType: DuckDBType,
    rows: number,
  ) {
    this.type = arrowTypeOf(duckType);
    this.values = new Array(rows);
  }
  add(vector: duckdb.Vector, n: number, offset: number): void {
    const values = DuckDBVector.create(vector, n, this.duckType).toArray();
    for (let i = 0; i < n; i++) this.values[offset + i] = toJs(values[i] ?? null, this.duckType);
  }
  finish(length: number): Data {
    return vectorFromArray(this.values.slice(0, length), this.type).data[0]!;
  }
}

function arrowTypeOf(type: DuckDBType): DataType {
  const fixed = fixedArrowType(type.typeId);
  if (fixed) return fixed;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.DECIMAL:
      return new Float64();
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return new Binary();
    case DuckDBTypeId.ENUM:
      return new Dictionary(new Utf8(), new Uint32());
    case DuckDBTypeId.INTERVAL:
      return new Interval(IntervalUnit.MONTH_DAY_NANO);
    case DuckDBTypeId.LIST:
      return new List(new Field('l', arrowTypeOf((type as DuckDBListType).valueType), true));
    case DuckDBTypeId.ARRAY:
      return new List(new Field('l', arrowTypeOf((type as DuckDBArrayType).valueType), true));
    case DuckDBTypeId.STRUCT: {
      const s = type as DuckDBStructType;
      return new Struct(s.entryNames.map((name, i) => new Field(name, arrowTypeOf(s.entryTypes[i]!), true)));
    }
    case DuckDBTypeId.MAP: {
      const m = type as DuckDBMapType;
      const entries = new Struct([new Field('key', arrowTypeOf(m.keyType), false), new Field('value', arrowTypeOf(m.valueType), true)]);
      return new Map_(new Field('entries', entries, false) as never);
    }
    default:
      // UUID, TIME WITH TIME ZONE, UNION, VARIANT, ...: their text, as DuckDB-WASM writes UUIDs.
      return new Utf8();
  }
}

/** A node-api value as the plain JS value Arrow JS's builder for `arrowTypeOf(type)` accepts. */
function toJs(value: DuckDBValue, type: DuckDBType): unknown {
  if (value === null) return null;
  const arrow = arrowTypeOf(type);
  if (arrow instanceof Utf8) return String(value);
  if (arrow instanceof Float64)
    return Number(typeof value === 'object' && 'toDouble' in value ? (value as { toDouble(): number }).toDouble() : value);
  if (arrow instanceof Int64) return value;
  switch (type.typeId) {
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = (type as DuckDBListType).valueType;
      return (value as { items: readonly DuckDBValue[] }).items.map((v) => toJs(v, child));
    }
    case DuckDBTypeId.STRUCT: {
      const s = type as DuckDBStructType;
      const entries = (value as { entries: Record<string, DuckDBValue> }).entries;
      return Object.fromEntries(s.entryNames.map((name, i) => [name, toJs(entries[name] ?? null, s.entryTypes[i]!)]));
    }
    case DuckDBTypeId.MAP: {
      const m = type as DuckDBMapType;
      const entries = (value as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries;
      return new Map(entries.map((e) => [toJs(e.key, m.keyType), toJs(e.value, m.valueType)]));
    }
    case DuckDBTypeId.BOOLEAN:
      return value;
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return (value as { bytes?: Uint8Array }).bytes ?? new TextEncoder().encode(String(value));
    default: {
      // Temporal values inside nested columns: milliseconds since the epoch, which Arrow JS's builders take.
      const micros = (value as { micros?: bigint }).micros;
      if (micros !== undefined) return Number(micros) / 1000;
      const days = (value as { days?: number }).days;
      if (days !== undefined) return days * 86_400_000;
      return value;
    }
  }
}
