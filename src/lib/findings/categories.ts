/**
 * Value counts of a categorical column per segment and window of the log, and per segment of the
 * reference, by the same GROUPING SETS as the grid: what category drift, new and renamed values are
 * read from. The most frequent values of either side are kept by name; the rest count together.
 */
import type { Db } from '../db';
import { ident, join, num, raw, rowsOf, select, sql, text } from '../sql';
import { ALL, type GridDimension, type SegmentKey } from './grid';
import type { CalendarUnit } from './windows';

/** Values kept by name per side; the rest is one "other" count. */
export const TOP_VALUES = 30;

export interface CategoryCounts {
  column: string;
  /** The values kept by name; counts have one more slot, the rest. */
  values: string[];
  /** Values seen in the reference (whole), by index into `values`. */
  inReference: boolean[];
  current: Map<string, Float64Array>;
  reference: Map<string, Float64Array>;
}

const key = (s: SegmentKey, w: number) => `${s.dim}:${s.code}:${w}`;

export function currentCounts(c: CategoryCounts, s: SegmentKey, w: number): Float64Array {
  return c.current.get(key(s, w)) ?? new Float64Array(c.values.length + 1);
}

export function currentSpan(c: CategoryCounts, s: SegmentKey, from: number, to: number): Float64Array {
  const out = new Float64Array(c.values.length + 1);
  for (let w = from; w <= to; w++) currentCounts(c, s, w).forEach((v, i) => (out[i] = out[i]! + v));
  return out;
}

export function referenceCounts(c: CategoryCounts, s: SegmentKey): Float64Array {
  return c.reference.get(key(s, -1)) ?? new Float64Array(c.values.length + 1);
}

/** Counts of one categorical column on both sides. */
export async function categoryCounts(
  db: Db,
  column: string,
  current: { table: string; timeSql: string; unit: CalendarUnit },
  reference: { table: string } | undefined,
  dims: GridDimension[],
  windowOf: (start: number) => number | undefined,
  signal?: AbortSignal,
): Promise<CategoryCounts> {
  const c = ident(column);
  const v = sql`CAST(${c} AS VARCHAR)`;
  const topOf = async (table: string) =>
    (
      await rowsOf(
        db,
        select(
          { v: text(raw('v')) },
          sql`FROM (SELECT ${v} AS v, count(*) AS n FROM ${ident(table)} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v LIMIT ${TOP_VALUES})`,
        ),
        { signal },
      )
    )
      .map((r) => r.v)
      .filter((x): x is string => x !== null);
  const curTop = await topOf(current.table);
  const refTop = reference ? await topOf(reference.table) : [];
  // Values the reference never had are what a new or renamed category looks like: kept by name even when
  // they are not among the most frequent.
  const unseen = reference
    ? (
        await rowsOf(
          db,
          select(
            { v: text(raw('v')) },
            sql`FROM (SELECT ${v} AS v, count(*) AS n FROM ${ident(current.table)} WHERE ${c} IS NOT NULL AND ${v} NOT IN (SELECT DISTINCT ${v} FROM ${ident(reference.table)} WHERE ${c} IS NOT NULL) GROUP BY 1 ORDER BY n DESC, v LIMIT ${TOP_VALUES})`,
          ),
          { signal },
        )
      )
        .map((r) => r.v)
        .filter((x): x is string => x !== null)
    : [];
  const values = [...new Set([...curTop, ...refTop, ...unseen])];
  // The position of the value in the kept list (1-based), 0 for the rest.
  const position = values.length ? sql`coalesce(list_position([${values}], ${v}), 0)` : raw('0');
  const codes = dims.map((dim, i) => sql`CAST(${raw(dim.codeSql)} AS INTEGER) AS ${raw(`d${i}`)}`);
  const grouping = Object.fromEntries(
    dims.flatMap((_, i) => [
      [`g${i}`, num(sql`GROUPING(${raw(`d${i}`)})`, 1)],
      [`d${i}`, num(raw(`d${i}`), 0)],
    ]),
  );
  const segmentOf = (row: Record<string, number | string | null>): SegmentKey => {
    for (let i = 0; i < dims.length; i++) if (row[`g${i}`] === 0) return { dim: i, code: Number(row[`d${i}`] ?? 0) };
    return ALL;
  };
  const out: CategoryCounts = { column, values, inReference: values.map(() => false), current: new Map(), reference: new Map() };
  const add = (map: Map<string, Float64Array>, k: string, slot: number, n: number) => {
    let counts = map.get(k);
    if (!counts) map.set(k, (counts = new Float64Array(values.length + 1)));
    counts[slot === 0 ? values.length : slot - 1]! += n;
  };
  const base = () => join([...codes, sql`${position} AS k`], ', ');
  if (reference) {
    const sets = join([raw('(k)'), ...dims.map((_, i) => sql`(${raw(`d${i}`)}, k)`)], ', ');
    const q = select(
      { ...grouping, k: num(raw('k'), 0), n: num(raw('count(*)::DOUBLE'), 0) },
      sql`FROM (SELECT ${base()} FROM ${ident(reference.table)} WHERE ${c} IS NOT NULL) GROUP BY GROUPING SETS (${sets})`,
    );
    for (const row of await rowsOf(db, q, { signal })) add(out.reference, key(segmentOf(row), -1), row.k, row.n);
    const all = out.reference.get(key(ALL, -1));
    if (all) values.forEach((_, i) => (out.inReference[i] = all[i]! > 0));
  }
  const ts = raw(current.timeSql);
  const sets = join([raw('(k, w)'), ...dims.map((_, i) => sql`(${raw(`d${i}`)}, k, w)`)], ', ');
  const q = select(
    { ...grouping, k: num(raw('k'), 0), w: num(raw('w')), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM (SELECT ${base()}, epoch_ms(date_trunc(${current.unit}, ${ts}))::DOUBLE AS w FROM ${ident(current.table)} WHERE ${c} IS NOT NULL AND ${ts} IS NOT NULL) GROUP BY GROUPING SETS (${sets})`,
  );
  for (const row of await rowsOf(db, q, { signal })) {
    const w = windowOf(row.w);
    if (w !== undefined) add(out.current, key(segmentOf(row), w), row.k, row.n);
  }
  return out;
}
