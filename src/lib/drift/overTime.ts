/**
 * Drift per time window of the current data against the whole reference: calendar windows (hour, day,
 * week, month; DuckDB's date_trunc, weeks start on Monday) or N chunks of about equal row counts in time
 * order. Each window gets the same method and threshold as the whole-period result, so the chart's
 * threshold line means one thing.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { ident, literal } from '../sql';
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
  /** SQL filter selecting the window's rows of the current table. */
  where: string;
}

const tsExpr = (column: string) => `epoch_ms(TRY_CAST(${ident(column)} AS TIMESTAMP))`;

export function calendarWindowsSql(table: string, timestamp: string, unit: WindowUnit): string {
  const ts = `TRY_CAST(${ident(timestamp)} AS TIMESTAMP)`;
  return (
    `SELECT epoch_ms(date_trunc(${literal(unit)}, ${ts}))::DOUBLE AS start, epoch_ms(date_trunc(${literal(unit)}, ${ts}) + INTERVAL 1 ${unit})::DOUBLE AS "end", ` +
    `count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${ts} IS NOT NULL GROUP BY ALL ORDER BY start`
  );
}

export function chunkWindowsSql(table: string, timestamp: string, chunks: number): string {
  if (!Number.isInteger(chunks) || chunks < 1) throw new Error('chunks must be a positive integer');
  return (
    `SELECT chunk, min(t)::DOUBLE AS start, max(t)::DOUBLE AS "end", count(*)::DOUBLE AS n FROM ` +
    `(SELECT t, ntile(${chunks}) OVER (ORDER BY t) AS chunk FROM (SELECT ${tsExpr(timestamp)} AS t FROM ${ident(table)}) WHERE t IS NOT NULL) ` +
    `GROUP BY chunk ORDER BY chunk`
  );
}

export async function timeWindows(db: Db, table: string, timestamp: string, spec: WindowSpec, signal?: AbortSignal): Promise<TimeWindow[]> {
  const t = tsExpr(timestamp);
  if ('unit' in spec) {
    const rows = await db.query(calendarWindowsSql(table, timestamp, spec.unit), { signal });
    return rows.map((r) => {
      const start = Number(r['start']);
      const end = Number(r['end']);
      return { start, end, rows: Number(r['n']), where: `${t} >= ${literal(start)} AND ${t} < ${literal(end)}` };
    });
  }
  const rows = await db.query(chunkWindowsSql(table, timestamp, spec.chunks), { signal });
  // ntile can split a run of equal timestamps across two chunks; filtering by [start, next start) puts
  // the whole run in the later chunk, so no row is counted twice.
  return rows.map((r, i) => {
    const start = Number(r['start']);
    const next = rows[i + 1];
    const last = next === undefined;
    const end = last ? Number(r['end']) : Number(next['start']);
    const where = last ? `${t} >= ${literal(start)} AND ${t} <= ${literal(end)}` : `${t} >= ${literal(start)} AND ${t} < ${literal(end)}`;
    return { start, end, rows: Number(r['n']), where };
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
    const current = options.segment?.current ? `(${window.where}) AND (${options.segment.current})` : window.where;
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
