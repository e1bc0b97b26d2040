import type { DataSource, Db } from './db';
import { LanternError, throwIfAborted } from './errors';
import { loadDataset, type LoadedDataset, type ParquetCodec } from './ingest';
import { describeTable, type ColumnInfo } from './schema';
import { bool, ident, join, oneOf, raw, select, sql } from './sql';

/**
 * A dataset's table written as Parquet and read back, so a saved workspace never needs the user's files.
 *
 * DuckDB hands the table out as Arrow (with BIGINT and DECIMAL cast to DOUBLE by the engine's query
 * config), Parquet keeps that Arrow schema, and the restore goes through the ordinary ingestion path.
 * The casts are undone from the column types recorded at save time, so a restored table has the types,
 * the row order and the values of the original.
 */
export async function tableToParquet(db: Db, codec: ParquetCodec, table: string, signal?: AbortSignal): Promise<Uint8Array> {
  if (!codec.fromArrowStream) throw new LanternError('usage', 'This engine cannot write Parquet.');
  const columns = await describeTable(db, table);
  const exact = await columnsNeedingText(db, table, columns);
  const list = columns.map((c) => (exact.has(c.name) ? sql`CAST(${ident(c.name)} AS VARCHAR) AS ${ident(c.name)}` : ident(c.name)));
  const ipc = await db.queryArrow(sql`SELECT ${join(list, ', ')} FROM ${ident(table)}`.text, signal ? { signal } : undefined);
  throwIfAborted(signal);
  return codec.fromArrowStream(ipc);
}

const WIDE_INTEGER = /^(BIGINT|UBIGINT|HUGEINT|UHUGEINT)$/;

/**
 * The engine hands BIGINT and DECIMAL out as DOUBLE (castBigIntToDouble / castDecimalToDouble), which is
 * exact only up to 2^53. Wide integer columns whose values go past it, and DECIMALs wider than 15 digits,
 * are written as text instead and cast back on restore. One scan answers for all wide integer columns.
 */
export async function columnsNeedingText(db: Db, table: string, columns: ColumnInfo[]): Promise<Set<string>> {
  const out = new Set(columns.filter((c) => /^DECIMAL\((1[6-9]|[2-9]\d)/.test(c.type)).map((c) => c.name));
  const wide = columns.filter((c) => WIDE_INTEGER.test(c.type));
  if (wide.length === 0) return out;
  const beyond = wide.map((c) => bool(sql`coalesce(max(abs(${ident(c.name)}::HUGEINT)) > 9007199254740991, false)`));
  const { wide: past } = await oneOf(db, select({ wide: beyond }, sql`FROM ${ident(table)}`));
  wide.forEach((c, i) => {
    if (past[i] === true) out.add(c.name);
  });
  return out;
}

/** Bytes already in memory, read through the same interface as a user's file. */
export class BytesSource implements DataSource {
  constructor(
    readonly bytes: Uint8Array,
    readonly name: string,
  ) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(start: number, end: number): Promise<Uint8Array> {
    return this.bytes.subarray(start, end);
  }
}

export interface RestoreTarget {
  table: string;
  /** The dataset's name, for messages. */
  name: string;
  /** Row count and columns recorded at save time; the restored table must match them. */
  rows: number;
  columns: ColumnInfo[];
}

/**
 * A DuckDB type name we are willing to paste into a CAST: plain names, with optional precision, and
 * list suffixes. Anything else (nested STRUCT/MAP types, or text from a tampered file) is left as read.
 */
const SAFE_TYPE = /^[A-Z][A-Z0-9_ ]{0,40}(\(\d{1,3}(, ?\d{1,3})?\))?(\[\])*$/;

export function castBackSql(staging: string, table: string, saved: ColumnInfo[], restored: ColumnInfo[]): string | null {
  let changed = false;
  const list = restored.map((column) => {
    const want = saved.find((c) => c.name === column.name)?.type;
    if (want && want !== column.type && SAFE_TYPE.test(want)) {
      changed = true;
      // SAFE_TYPE lets through only plain type names: the one piece of a file's text pasted as SQL.
      return sql`CAST(${ident(column.name)} AS ${raw(want)}) AS ${ident(column.name)}`;
    }
    return ident(column.name);
  });
  if (!changed) return null;
  return sql`CREATE TABLE ${ident(table)} AS SELECT ${join(list, ', ')} FROM ${ident(staging)}`.text;
}

/**
 * Creates `target.table` from Parquet bytes written by `tableToParquet`, through `loadDataset` (staging
 * table, renamed on success), then restores the saved column types. A row count or column list that
 * differs from what was saved is an error: the data would not be the data the settings were made for.
 */
export async function restoreTableFromParquet(
  db: Db,
  codec: ParquetCodec,
  parquet: Uint8Array,
  target: RestoreTarget,
  signal?: AbortSignal,
): Promise<LoadedDataset> {
  const staging = `${target.table}__restoring`;
  const loaded = await loadDataset(db, codec, new BytesSource(parquet, `${target.name}.parquet`), {
    table: staging,
    ...(signal ? { signal } : {}),
  });
  try {
    const names = loaded.columns.map((c) => c.name).join('\u0000');
    if (names !== target.columns.map((c) => c.name).join('\u0000') || loaded.rows !== target.rows)
      throw new LanternError(
        'bad-parquet',
        `The saved data of "${target.name}" does not match its description (${loaded.rows} rows, ${loaded.columns.length} columns; expected ${target.rows} rows, ${target.columns.length} columns).`,
      );
    await db.query(sql`DROP TABLE IF EXISTS ${ident(target.table)}`.text);
    const cast = castBackSql(staging, target.table, target.columns, loaded.columns);
    if (cast) {
      await db.query(cast);
      await db.query(sql`DROP TABLE ${ident(staging)}`.text);
    } else {
      await db.query(sql`ALTER TABLE ${ident(staging)} RENAME TO ${ident(target.table)}`.text);
    }
  } catch (error) {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(staging)}`.text).catch(() => undefined);
    throw error;
  }
  return { ...loaded, table: target.table, columns: await describeTable(db, target.table) };
}
