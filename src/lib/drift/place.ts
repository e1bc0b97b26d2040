/**
 * A place in the data: a segment (conditions on columns) and a time window of the log, as a finding names
 * it. Its SQL filters for both sides (the segment in the reference; the segment within the window in the
 * log), and a column's drift there: the segment's own reference and current distributions.
 */
import type { Db } from '../db';
import type { FindingWindow, SegmentCondition } from '../findings/types';
import { timestampSql } from '../metrics/time';
import type { ColumnInfo } from '../schema';
import { ident, join, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { categoricalColumnDrift, numericalColumnDrift, type ColumnDrift } from './columnDrift';
import type { ColumnTest } from './overTime';
import type { DriftTables, SideFilter } from './sql';

export interface Place {
  segment: SegmentCondition[];
  window: FindingWindow | null;
}

/** Parts of the timestamp a condition may name as `<timestamp>.<part>` (the slice search's time dimensions). */
const TIME_PARTS: Record<string, string> = { month: 'month', week: 'week', day_of_week: 'isodow', hour: 'hour' };

/** The numbers a binned condition's text holds ("x ≥ 28", "x < 603", "12 ≤ x < 30"), when it carries no bounds. */
function boundsOf(c: SegmentCondition): [number, number] {
  if (c.bounds) return c.bounds;
  const numbers = (c.value.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
  if (c.op === '<') return [Number.NEGATIVE_INFINITY, numbers[numbers.length - 1] ?? Number.NaN];
  if (c.op === '>=') return [numbers[numbers.length - 1] ?? Number.NaN, Number.POSITIVE_INFINITY];
  return [numbers[0] ?? Number.NaN, numbers[numbers.length - 1] ?? Number.NaN];
}

export interface PlaceColumns {
  /** Columns of the table the condition is written for. */
  columns: readonly ColumnInfo[];
  /** The table's time column, for windows and `<timestamp>.<part>` conditions. */
  timestamp?: ColumnInfo | undefined;
}

/**
 * One condition as SQL over a table, or null when the table cannot express it (a time part on a table
 * without that time column). A plain value "missing" is how the investigation names the rows where the
 * segment's column is empty.
 */
export function conditionSql(c: SegmentCondition, table: PlaceColumns): Sql | null {
  const column = table.columns.find((x) => x.name === c.column);
  if (!column) {
    const ts = table.timestamp;
    const part = ts && c.column.startsWith(`${ts.name}.`) ? TIME_PARTS[c.column.slice(ts.name.length + 1)] : undefined;
    if (!ts || !part || !Number.isFinite(Number(c.value))) return null;
    return sql`${raw(part)}(${raw(timestampSql(ts.name, ts.kind))}) = ${Number(c.value)}`;
  }
  const x = ident(c.column);
  if (c.op === 'is null') return sql`${x} IS NULL`;
  if (!c.op || c.op === '=') {
    const equal = sql`CAST(${x} AS VARCHAR) = ${c.value}`;
    return c.value === 'missing' ? sql`(${x} IS NULL OR ${equal})` : equal;
  }
  const [lo, hi] = boundsOf(c);
  const d = sql`CAST(${x} AS DOUBLE)`;
  const parts: Sql[] = [];
  if (Number.isFinite(lo)) parts.push(sql`${d} >= ${lo}`);
  if (Number.isFinite(hi)) parts.push(sql`${d} < ${hi}`);
  return parts.length ? sql`(${join(parts, ' AND ')})` : raw('FALSE');
}

/** A time as a window bound: the day at midnight UTC, the minute on whole minutes, else the full time. */
export function isoPoint(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  if (iso.endsWith(':00.000Z')) return iso.slice(0, 16);
  return iso.slice(0, 23).replace('T', ' ');
}

/** A window's ISO dates (or hours, "2001-06-04T13:00") as epoch milliseconds, UTC. */
export function windowMs(window: FindingWindow): { start: number; end: number } {
  const ms = (iso: string) =>
    Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso.length === 16 ? `${iso}:00Z` : `${iso.replace(' ', 'T')}Z`);
  return { start: ms(window.start), end: ms(window.end) };
}

/** The window as SQL over a table's time column (start inclusive, end exclusive). */
export function windowWhere(window: FindingWindow, ts: ColumnInfo): Sql {
  const t = raw(timestampSql(ts.name, ts.kind));
  return sql`${t} >= CAST(${window.start} AS TIMESTAMP) AND ${t} < CAST(${window.end} AS TIMESTAMP)`;
}

/** A condition list as one SQL filter (TRUE when empty); conditions the table cannot express are left out. */
export function segmentWhere(segment: readonly SegmentCondition[], table: PlaceColumns): Sql {
  const parts = segment.map((c) => conditionSql(c, table)).filter((x): x is Sql => x !== null);
  return parts.length ? join(parts, ' AND ') : raw('TRUE');
}

/**
 * The place's filters: the segment in the reference (its whole period: the baseline of the segment), the
 * segment within the window in the log.
 */
export function placeFilter(place: Place, reference: PlaceColumns, current: PlaceColumns): { reference: Sql; current: Sql } {
  // A time part (week 40) says nothing about the reference's own period: the reference keeps the other conditions.
  const refSegment = place.segment.filter((c) => reference.columns.some((x) => x.name === c.column));
  const cur = segmentWhere(place.segment, current);
  const when = place.window && current.timestamp ? windowWhere(place.window, current.timestamp) : null;
  return { reference: segmentWhere(refSegment, reference), current: when ? sql`(${cur}) AND (${when})` : cur };
}

export interface PlaceDrift {
  place: Place;
  /** The column's drift between the segment's reference rows and its rows in the window of the log. */
  drift: ColumnDrift;
  rows: { reference: number; current: number };
  /** Share of the place's rows where the column is empty, on each side. */
  missing: { reference: number; current: number };
}

async function countWhere(db: Db, table: string, column: string, where: Sql, signal?: AbortSignal) {
  const c = ident(column);
  return oneOf(
    db,
    select(
      { n: num(raw('count(*)::DOUBLE'), 0), empty: num(sql`count(*) FILTER (WHERE ${c} IS NULL)::DOUBLE`, 0) },
      sql`FROM ${ident(table)} WHERE ${where}`,
    ),
    { signal },
  );
}

/** A column's drift in one place, with the method and threshold of the column's test. */
export async function driftInPlace(
  db: Db,
  t: DriftTables,
  column: ColumnTest,
  place: Place,
  sides: { reference: PlaceColumns; current: PlaceColumns },
  signal?: AbortSignal,
): Promise<PlaceDrift> {
  const f = placeFilter(place, sides.reference, sides.current);
  const where: SideFilter = { reference: f.reference.text, current: f.current.text };
  const ref = await countWhere(db, t.reference, column.name, f.reference, signal);
  const cur = await countWhere(db, t.current, column.name, f.current, signal);
  const common = { method: column.method, threshold: column.threshold, where, signal };
  const drift =
    column.kind === 'numerical'
      ? await numericalColumnDrift(db, t, column.name, { approxDistinct: ref.n + cur.n }, common)
      : await categoricalColumnDrift(db, t, column.name, common);
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  return {
    place,
    drift,
    rows: { reference: ref.n, current: cur.n },
    missing: { reference: share(ref.empty, ref.n), current: share(cur.empty, cur.n) },
  };
}
