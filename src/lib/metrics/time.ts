import type { Db } from '../db';
import type { ColumnKind } from '../schema';
import { ident, num, oneOf, raw, select, sql, type Sql, type SqlLike } from '../sql';

export type WindowUnit = 'hour' | 'day' | 'week' | 'month';

/**
 * A timestamp column as a TIMESTAMP expression: temporal types cast, text parsed leniently (TRY_CAST, so
 * a bad value becomes NULL rather than failing the query), numbers read as epoch seconds - or epoch
 * milliseconds when they are too large to be seconds (after the year 5138). As text: the performance
 * setup and the investigation keep it with their other settings.
 */
export function timestampSql(column: string, kind: ColumnKind): string {
  const c = ident(column);
  if (kind === 'temporal') return sql`CAST(${c} AS TIMESTAMP)`.text;
  if (kind === 'numeric')
    return sql`(CASE WHEN abs(${c}) > 1e11 THEN epoch_ms(CAST(${c} AS BIGINT)) ELSE make_timestamp(CAST(${c} * 1e6 AS BIGINT)) END)`.text;
  return textTimestampSql(c).text;
}

/**
 * Text read as a TIMESTAMP (UTC), NULL where it does not parse. A time written with its offset is that
 * instant: "10:00+05:30" is 04:30 UTC, where a plain cast would drop the offset.
 */
export function textTimestampSql(expr: Sql): Sql {
  const text = sql`CAST(${expr} AS VARCHAR)`;
  return sql`(CASE WHEN regexp_matches(${text}, ${OFFSET_AT_END}) THEN make_timestamp(epoch_us(TRY_CAST(${text} AS TIMESTAMPTZ))) ELSE TRY_CAST(${text} AS TIMESTAMP) END)`;
}

/**
 * A clock time followed by a UTC offset or Z at the end of a text timestamp. Only such values go through
 * TIMESTAMPTZ, whose reading of a time without an offset would depend on the engine's time zone (ICU in
 * the CLI's engine, none in the tab's).
 */
const OFFSET_AT_END = '\\d:\\d\\d(:\\d\\d(\\.\\d*)?)?\\s*([Zz]|[+-]\\d\\d(:?\\d\\d)?)$';

/** Window start for a unit; weeks start on Monday (ISO), as DuckDB's date_trunc('week', ...). `ts`: a TIMESTAMP expression. */
export function windowSql(ts: SqlLike, unit: WindowUnit): Sql {
  return sql`date_trunc(${unit}, ${raw(ts)})`;
}

/** A window size that gives a readable number of points for the span of the data. */
export function chooseWindowUnit(spanMs: number): WindowUnit {
  const day = 86_400_000;
  if (spanMs <= 3 * day) return 'hour';
  if (spanMs <= 120 * day) return 'day';
  if (spanMs <= 3 * 365 * day) return 'week';
  return 'month';
}

/** Milliseconds between the first and the last timestamp of a table (`ts`: a TIMESTAMP expression). */
export async function timeSpanMs(db: Db, table: string, ts: SqlLike, signal?: AbortSignal): Promise<number> {
  const t = raw(ts);
  const q = select({ span: num(sql`(epoch_ms(max(${t})) - epoch_ms(min(${t})))::DOUBLE`, 0) }, sql`FROM ${ident(table)}`);
  return (await oneOf(db, q, { signal })).span;
}

/** The window unit for a table's time span (see chooseWindowUnit). */
export async function windowUnitOf(db: Db, table: string, ts: SqlLike, signal?: AbortSignal): Promise<WindowUnit> {
  return chooseWindowUnit(await timeSpanMs(db, table, ts, signal));
}
