/**
 * Drift per time window of the current data against the whole reference: calendar windows (hour, day,
 * week, month; DuckDB's date_trunc, weeks start on Monday) or N chunks of about equal row counts in time
 * order. Each window gets the same method and threshold as the whole-period result, so the chart's
 * threshold line means one thing.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { textTimestampSql } from '../metrics/time';
import { ident, num, raw, rowsOf, select, sql, type Sql } from '../sql';
import { categoricalColumnDrift, numericalColumnDrift, type ColumnDrift } from './columnDrift';
import type { DriftKind, DriftMethod } from './methods';
import type { DriftTables, SideFilter } from './sql';

export type WindowUnit = 'hour' | 'day' | 'week' | 'month';
export type WindowSpec = { unit: WindowUnit } | { chunks: number };

export interface TimeWindow {
  /** Epoch milliseconds, start inclusive, end exclusive (the last chunk's end is inclusive). */
  start: number;
  end: number;
  rows: number;
  /** SQL filter selecting the window's rows of the current table, as text (it travels with the results). */
  where: string;
}

const tsExpr = (column: string) => sql`epoch_ms(${textTimestampSql(ident(column))})`;

/** One window of each unit: the unit reaches SQL only through this table (it comes from the page). */
const ONE: Record<WindowUnit, Sql> = {
  hour: raw('INTERVAL 1 hour'),
  day: raw('INTERVAL 1 day'),
  week: raw('INTERVAL 1 week'),
  month: raw('INTERVAL 1 month'),
};

/** Window start, end (epoch ms) and rows, in time order. */
const windowColumns = (start: Sql, end: Sql) => ({ start: num(start, 0), end: num(end, 0), rows: num(raw('count(*)::DOUBLE'), 0) });

export function calendarWindowsSql(table: string, timestamp: string, unit: WindowUnit) {
  const one = Object.hasOwn(ONE, unit) ? ONE[unit] : undefined;
  if (!one) throw new Error(`Unknown window unit ${unit}`);
  const start = sql`date_trunc(${unit}, ${textTimestampSql(ident(timestamp))})`;
  return select(
    windowColumns(sql`epoch_ms(${start})::DOUBLE`, sql`epoch_ms(${start} + ${one})::DOUBLE`),
    sql`FROM ${ident(table)} WHERE ${textTimestampSql(ident(timestamp))} IS NOT NULL GROUP BY ALL ORDER BY 1`,
  );
}

export function chunkWindowsSql(table: string, timestamp: string, chunks: number) {
  if (!Number.isInteger(chunks) || chunks < 1) throw new Error('chunks must be a positive integer');
  return select(
    windowColumns(raw('min(t)::DOUBLE'), raw('max(t)::DOUBLE')),
    sql`FROM (SELECT t, ntile(${chunks}) OVER (ORDER BY t) AS chunk FROM (SELECT ${tsExpr(timestamp)} AS t FROM ${ident(table)}) WHERE t IS NOT NULL) GROUP BY chunk ORDER BY chunk`,
  );
}

export async function timeWindows(db: Db, table: string, timestamp: string, spec: WindowSpec, signal?: AbortSignal): Promise<TimeWindow[]> {
  const t = tsExpr(timestamp);
  if ('unit' in spec) {
    const rows = await rowsOf(db, calendarWindowsSql(table, timestamp, spec.unit), { signal });
    return rows.map(({ start, end, rows }) => ({ start, end, rows, where: sql`${t} >= ${start} AND ${t} < ${end}`.text }));
  }
  const rows = await rowsOf(db, chunkWindowsSql(table, timestamp, spec.chunks), { signal });
  // ntile can split a run of equal timestamps across two chunks; filtering by [start, next start) puts
  // the whole run in the later chunk, so no row is counted twice.
  return rows.map((r, i) => {
    const start = r.start;
    const next = rows[i + 1];
    const last = next === undefined;
    const end = last ? r.end : next.start;
    const where = last ? sql`${t} >= ${start} AND ${t} <= ${end}` : sql`${t} >= ${start} AND ${t} < ${end}`;
    return { start, end, rows: r.rows, where: where.text };
  });
}

export interface ColumnTest {
  name: string;
  kind: DriftKind;
  method: DriftMethod;
  threshold: number;
}

export interface WindowDrift {
  window: TimeWindow;
  drift: ColumnDrift;
}

/** One column's drift in each window of the current data (optionally within a segment on both sides). */
export async function driftOverTime(
  db: Db,
  t: DriftTables,
  column: ColumnTest,
  windows: readonly TimeWindow[],
  options: { segment?: SideFilter; signal?: AbortSignal } = {},
): Promise<WindowDrift[]> {
  const out: WindowDrift[] = [];
  for (const window of windows) {
    throwIfAborted(options.signal);
    const current = options.segment?.current ? sql`(${raw(window.where)}) AND (${raw(options.segment.current)})` : window.where;
    const where: SideFilter = { reference: options.segment?.reference, current };
    const common = { method: column.method, threshold: column.threshold, where, signal: options.signal };
    // Windows are small: counting per value is always the cheaper load here.
    const drift =
      column.kind === 'numerical'
        ? await numericalColumnDrift(db, t, column.name, { approxDistinct: window.rows }, common)
        : await categoricalColumnDrift(db, t, column.name, common);
    out.push({ window, drift });
  }
  return out;
}
