/**
 * Where a column's drift is: every segment (each value of every column that can segment the rows - text
 * and few-valued columns by value, other numbers by quantile bins - whatever its role) in every time
 * window of the log and over the whole log, against the same segment in the reference. One scan per side
 * with GROUPING SETS: each segment is measured per window, from each window to the end of the log (a
 * change that lasts is seen whole, even when each of its windows is small) and over the whole log. The
 * column is binned once (the reference's deciles, or its most frequent values, with
 * missing values as a bin of their own so that a feed that goes empty shows), and each cell's distance is
 * the Jensen-Shannon distance between its bins and the reference segment's. Cells with fewer rows than the
 * minimum support on either side are too small: counted and listed, never ranked.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import type { SegmentCondition } from '../findings/types';
import type { RoleMap } from '../roles';
import { describeTable } from '../schema';
import { sliceDimensions, type Dimension } from '../slices/dimensions';
import { ident, join, num, numOrNull, raw, rowsOf, select, sql, text, type Column, type Sql } from '../sql';
import { jensenShannonDistance } from './divergence';
import type { DriftKind } from './methods';
import type { TimeWindow } from './overTime';
import type { DriftTables } from './sql';

/** Values a segmenting column is split into at most (the most frequent; the rest are not a segment). */
export const BREAKDOWN_SEGMENT_VALUES = 30;
/** Bins of a numerical column (its reference deciles) and kept values of a categorical one. */
const NUMERIC_BINS = 10;
const CATEGORY_BINS = 20;
/** Cells returned ranked, and too-small cells listed. */
const RANKED = 150;
const SMALL_LISTED = 40;
/** The distance at which a cell counts as drifted: the Jensen-Shannon threshold of the drift table. */
export const BREAKDOWN_THRESHOLD = 0.1;

/** Roles whose columns are never a segment: they are what the model reads or returns, or not data. */
const NOT_SEGMENTS = new Set(['id', 'timestamp', 'label', 'score', 'prediction', 'ignore']);

export interface BreakdownCell {
  /** The segment: one condition, in the investigation's terms (a binned number carries its bounds). */
  segment: SegmentCondition;
  /** "origin = ATL", "distance_mi ≥ 1,200". */
  label: string;
  /** The window of the log (epoch ms, end exclusive), or null for the whole log. */
  window: { start: number; end: number } | null;
  /** One window, or every window from this one to the last ("since when"), or the whole log. */
  span: 'window' | 'since' | 'all';
  /** Log rows in the cell, and reference rows in the segment. */
  rows: number;
  referenceRows: number;
  /** Share of rows where the column is empty. */
  missing: { reference: number; current: number };
  /** Numerical columns: the mean of the finite values on each side. */
  mean: { reference: number | null; current: number | null } | null;
  /** Jensen-Shannon distance between the cell's bins and the reference segment's (missing values a bin). */
  distance: number;
  tooSmall: boolean;
}

export interface DriftBreakdown {
  column: string;
  kind: DriftKind;
  /** The columns the rows were segmented by. */
  segmentColumns: string[];
  windows: { start: number; end: number; rows: number }[];
  minSupport: number;
  /** Cells with enough rows, the largest distance first. */
  ranked: BreakdownCell[];
  /** How many cells had enough rows, and how many did not (never ranked); some of the latter, listed. */
  tested: number;
  tooSmall: number;
  small: BreakdownCell[];
  threshold: number;
}

export interface BreakdownOptions {
  /** Roles of the log's columns: ids, times and model outputs never segment. */
  roles: RoleMap;
  /** Only these columns segment the rows (default: every column that can). */
  columns?: readonly string[] | undefined;
  /** Windows of the log (calendar or chunks); none: the whole log only. */
  windows?: readonly TimeWindow[];
  minSupport: number;
  signal?: AbortSignal;
}

/** The bin of each row's value (0 = missing), and the text of each bin. */
async function binsOf(
  db: Db,
  t: DriftTables,
  column: string,
  kind: DriftKind,
  signal?: AbortSignal,
): Promise<{ code: Sql; bins: number; mean: Sql | null }> {
  const c = ident(column);
  if (kind === 'numerical') {
    const x = sql`CAST(${c} AS DOUBLE)`;
    const probs = Array.from({ length: NUMERIC_BINS - 1 }, (_, i) => (i + 1) / NUMERIC_BINS);
    const edges = [
      ...new Set(
        (
          await rowsOf(
            db,
            select(
              { q: num(raw('q')) },
              sql`FROM (SELECT unnest(quantile_disc(${x}, [${probs}]))::DOUBLE AS q FROM ${ident(t.reference)} WHERE isfinite(${x}))`,
            ),
            { signal },
          )
        )
          .map((r) => r.q)
          .filter(Number.isFinite),
      ),
    ].sort((a, b) => a - b);
    const steps = edges.map((e, i) => sql`WHEN ${x} < ${e} THEN ${i + 1}`);
    const finite = sql`CASE WHEN NOT isfinite(${x}) OR ${x} IS NULL THEN 0 ${join(steps, ' ')} ELSE ${edges.length + 1} END`;
    return { code: finite, bins: edges.length + 2, mean: sql`CASE WHEN isfinite(${x}) THEN ${x} END` };
  }
  const v = sql`CAST(${c} AS VARCHAR)`;
  const top = (
    await rowsOf(
      db,
      select(
        { v: text(raw('v')) },
        sql`FROM (SELECT ${v} AS v, count(*) AS n FROM (SELECT ${c} FROM ${ident(t.reference)} UNION ALL SELECT ${c} FROM ${ident(t.current)}) WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, v LIMIT ${CATEGORY_BINS})`,
      ),
      { signal },
    )
  )
    .map((r) => r.v)
    .filter((x): x is string => x !== null);
  const code = top.length
    ? sql`CASE WHEN ${c} IS NULL THEN 0 ELSE coalesce(list_position([${top}], ${v}), ${top.length + 1}) END`
    : sql`CASE WHEN ${c} IS NULL THEN 0 ELSE 1 END`;
  return { code, bins: top.length + 2, mean: null };
}

function conditionOf(dim: Dimension, code: number): { segment: SegmentCondition; label: string } {
  const v = dim.values[code - 1]!;
  const p = v.predicate;
  if (p.op === 'is null') return { segment: { column: dim.name, value: 'missing', op: 'is null' }, label: v.label };
  if (p.op === '=') return { segment: { column: dim.name, value: String(p.value) }, label: v.label };
  const bounds: [number, number] =
    p.op === '<'
      ? [Number.NEGATIVE_INFINITY, p.value as number]
      : p.op === '>='
        ? [p.value as number, Number.POSITIVE_INFINITY]
        : (p.value as [number, number]);
  return { segment: { column: dim.name, value: v.label, op: p.op, bounds }, label: v.label };
}

/** The segment x window breakdown of one column's drift. */
export async function driftBreakdown(
  db: Db,
  t: DriftTables,
  column: { name: string; kind: DriftKind },
  options: BreakdownOptions,
): Promise<DriftBreakdown> {
  const { signal, minSupport } = options;
  const curColumns = await describeTable(db, t.current);
  const refNames = new Set((await describeTable(db, t.reference)).map((c) => c.name));
  const segmentRoles: RoleMap = Object.fromEntries(
    curColumns.map((c) => [
      c.name,
      c.name !== column.name &&
      refNames.has(c.name) &&
      !NOT_SEGMENTS.has(options.roles[c.name] ?? 'feature') &&
      (!options.columns || options.columns.includes(c.name))
        ? 'segment'
        : 'ignore',
    ]),
  );
  const dims = (await sliceDimensions(db, t.current, curColumns, segmentRoles, { maxValues: BREAKDOWN_SEGMENT_VALUES, signal })).filter(
    (d) => d.kind !== 'time',
  );
  const windows = options.windows ?? [];
  const { code: bin, bins, mean } = await binsOf(db, t, column.name, column.kind, signal);
  throwIfAborted(signal);
  const out: DriftBreakdown = {
    column: column.name,
    kind: column.kind,
    segmentColumns: dims.map((d) => d.name),
    windows: windows.map((w) => ({ start: w.start, end: w.end, rows: w.rows })),
    minSupport,
    ranked: [],
    tested: 0,
    tooSmall: 0,
    small: [],
    threshold: BREAKDOWN_THRESHOLD,
  };
  if (dims.length === 0) return out;

  const d = (i: number) => raw(`d${i}`);
  const codes = dims.map((dim, i) => sql`CAST(${raw(dim.codeSql)} AS INTEGER) AS ${d(i)}`);
  const grouping: Record<string, Column<number>> = Object.fromEntries(
    dims.flatMap((_, i) => [
      [`g${i}`, num(sql`GROUPING(${d(i)})`, 1)],
      [`d${i}`, num(d(i), 0)],
    ]),
  );
  const values = { b: num(raw('b'), 0), n: num(raw('count(*)::DOUBLE'), 0), s: numOrNull(raw('sum(x)::DOUBLE')) };
  const base = (w: Sql | null) =>
    join([...codes, sql`${bin} AS b`, sql`${mean ?? raw('NULL::DOUBLE')} AS x`, ...(w ? [sql`${w} AS w`] : [])], ', ');
  const dimOf = (row: Record<string, number | null>) => {
    for (let i = 0; i < dims.length; i++) if (row[`g${i}`] === 0) return i;
    return -1;
  };

  // The reference: counts per segment and bin.
  const refSets = join(
    dims.map((_, i) => sql`(${d(i)}, b)`),
    ', ',
  );
  const refRows = await rowsOf(
    db,
    select({ ...grouping, ...values }, sql`FROM (SELECT ${base(null)} FROM ${ident(t.reference)}) GROUP BY GROUPING SETS (${refSets})`),
    { signal },
  );
  throwIfAborted(signal);
  // The log: counts per segment, window (0 = outside every window) and bin, and per segment and bin over all rows.
  const windowCode = windows.length
    ? sql`CASE ${join(
        windows.map((w, i) => sql`WHEN ${raw(w.where)} THEN ${i + 1}`),
        ' ',
      )} ELSE 0 END`
    : raw('0');
  const curSets = join(
    dims.flatMap((_, i) => [sql`(${d(i)}, w, b)`, sql`(${d(i)}, b)`]),
    ', ',
  );
  const curRows = await rowsOf(
    db,
    select(
      { ...grouping, gw: num(raw('GROUPING(w)'), 1), w: num(raw('w'), 0), ...values },
      sql`FROM (SELECT ${base(windowCode)} FROM ${ident(t.current)}) GROUP BY GROUPING SETS (${curSets})`,
    ),
    { signal },
  );

  interface Acc {
    counts: Float64Array;
    sum: number;
  }
  const add = (map: Map<string, Acc>, key: string, b: number, n: number, s: number | null) => {
    let acc = map.get(key);
    if (!acc) map.set(key, (acc = { counts: new Float64Array(bins), sum: 0 }));
    acc.counts[b] = acc.counts[b]! + n;
    acc.sum += s ?? 0;
  };
  const reference = new Map<string, Acc>();
  for (const r of refRows) {
    const row = r as unknown as Record<string, number | null>;
    const i = dimOf(row);
    if (i >= 0 && row[`d${i}`]) add(reference, `${i}:${row[`d${i}`]}`, r.b, r.n, r.s);
  }
  const current = new Map<string, Acc>();
  for (const r of curRows) {
    const row = r as unknown as Record<string, number | null>;
    const i = dimOf(row);
    const code = row[`d${i}`];
    if (i < 0 || !code) continue;
    const window = r['gw'] === 1 ? -1 : r['w'];
    if (window === 0) continue;
    add(current, `${i}:${code}:${window}`, r.b, r.n, r.s);
  }

  const total = (a: Acc) => a.counts.reduce((s, v) => s + v, 0);
  const meanOf = (a: Acc) => {
    const finite = total(a) - a.counts[0]!;
    return mean && finite > 0 ? a.sum / finite : null;
  };
  const cells: BreakdownCell[] = [];
  const cell = (i: number, code: number, span: BreakdownCell['span'], w: number, cur: Acc) => {
    const ref = reference.get(`${i}:${code}`);
    const rows = total(cur);
    const referenceRows = ref ? total(ref) : 0;
    const last = windows[windows.length - 1];
    const window = span === 'all' ? null : { start: windows[w]!.start, end: span === 'since' ? last!.end : windows[w]!.end };
    const { segment, label } = conditionOf(dims[i]!, code);
    cells.push({
      segment,
      label,
      window,
      span,
      rows,
      referenceRows,
      missing: { reference: ref && referenceRows ? ref.counts[0]! / referenceRows : 0, current: rows ? cur.counts[0]! / rows : 0 },
      mean: mean ? { reference: ref ? meanOf(ref) : null, current: meanOf(cur) } : null,
      distance: ref && referenceRows && rows ? jensenShannonDistance(ref.counts, cur.counts) : Number.NaN,
      tooSmall: rows < minSupport || referenceRows < minSupport,
    });
  };
  const segments = new Set([...current.keys()].map((k) => k.split(':').slice(0, 2).join(':')));
  for (const key of segments) {
    const [i, code] = key.split(':').map(Number) as [number, number];
    const all = current.get(`${key}:-1`);
    if (all) cell(i, code, 'all', -1, all);
    // Every window, and every run from a window to the last one (the first such run is the whole log).
    let since: Acc = { counts: new Float64Array(bins), sum: 0 };
    for (let w = windows.length - 1; w >= 0; w--) {
      const one = current.get(`${key}:${w + 1}`);
      if (one) {
        since = { counts: since.counts.map((v, b) => v + one.counts[b]!), sum: since.sum + one.sum };
        cell(i, code, 'window', w, one);
      }
      if (w > 0 && w < windows.length - 1 && total(since) > 0) cell(i, code, 'since', w, since);
    }
  }
  const eligible = cells.filter((c) => !c.tooSmall && Number.isFinite(c.distance));
  const small = cells.filter((c) => c.tooSmall);
  eligible.sort((a, b) => b.distance - a.distance || b.rows - a.rows);
  small.sort((a, b) => (Number.isFinite(b.distance) ? b.distance : -1) - (Number.isFinite(a.distance) ? a.distance : -1));
  out.tested = eligible.length;
  out.tooSmall = small.length;
  out.ranked = eligible.slice(0, RANKED);
  out.small = small.slice(0, SMALL_LISTED);
  return out;
}

/** The most distant cell of each segment, ranked: one row per segment, its worst window or run. */
export function worstCellPerSegment(cells: readonly BreakdownCell[]): BreakdownCell[] {
  const seen = new Set<string>();
  const out: BreakdownCell[] = [];
  for (const c of cells) {
    const key = `${c.segment.column}\u0000${c.segment.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
