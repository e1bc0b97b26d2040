import type { Db } from '../db';
import type { ColumnKind } from '../schema';
import { ident } from '../sql';

export type WindowUnit = 'hour' | 'day' | 'week' | 'month';

/**
 * A timestamp column as a TIMESTAMP expression: temporal types cast, text parsed leniently (TRY_CAST, so
 * a bad value becomes NULL rather than failing the query), numbers read as epoch seconds - or epoch
 * milliseconds when they are too large to be seconds (after the year 5138).
 */
export function timestampSql(column: string, kind: ColumnKind): string {
  const c = ident(column);
  if (kind === 'temporal') return `CAST(${c} AS TIMESTAMP)`;
  if (kind === 'numeric')
    return `(CASE WHEN abs(${c}) > 1e11 THEN epoch_ms(CAST(${c} AS BIGINT)) ELSE make_timestamp(CAST(${c} * 1e6 AS BIGINT)) END)`;
  return `TRY_CAST(${c} AS TIMESTAMP)`;
}

/** Window start for a unit; weeks start on Monday (ISO), as DuckDB's date_trunc('week', ...). */
export function windowSql(ts: string, unit: WindowUnit): string {
  return `date_trunc('${unit}', ${ts})`;
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
export async function timeSpanMs(db: Db, table: string, ts: string, signal?: AbortSignal): Promise<number> {
  const [span] = await db.query(`SELECT (epoch_ms(max(${ts})) - epoch_ms(min(${ts})))::DOUBLE AS span FROM ${ident(table)}`, { signal });
  return Number(span?.['span'] ?? 0);
}

/** The window unit for a table's time span (see chooseWindowUnit). */
export async function windowUnitOf(db: Db, table: string, ts: string, signal?: AbortSignal): Promise<WindowUnit> {
  return chooseWindowUnit(await timeSpanMs(db, table, ts, signal));
}
