/**
 * The screening grid of an investigation: for every segment (each value of each segmenting column, and
 * all rows) and every calendar window of the log, the count, mean and spread of each numeric column, the
 * non-missing count of every column, the values outside the reference's range and the per-row error of
 * labelled rows - and the same per segment over the whole reference. One scan per side with GROUPING
 * SETS, whatever the number of segments and windows; everything after it is arithmetic on small arrays.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { ident, join, num, numOrNull, raw, rowsOf, select, Sql, sql } from '../sql';
import type { CalendarUnit } from './windows';

/** A segmenting column: integer codes (1-based; 0 = a value not offered) and the label of each code. */
export interface GridDimension {
  name: string;
  codeSql: string;
  labels: string[];
}

export interface GridSide {
  table: string;
  /** The per-row error of labelled rows (NULL elsewhere), when the side has labels and model outputs. */
  errorSql?: string | undefined;
}

export interface GridInput {
  current: GridSide & { timeSql: string; unit: CalendarUnit };
  reference?: GridSide | undefined;
  dims: GridDimension[];
  /** Numeric columns: mean, spread and range are screened. */
  numeric: string[];
  /**
   * Numeric entries that are expressions, not columns (the score's logit, a repeated id): name -> SQL over
   * the columns, the same on both sides or one per side (null: the reference cannot have it).
   */
  expressions?: Record<string, Sql | { current: Sql; reference: Sql | null }>;
  /** Other columns whose missing values are screened (their distributions: see categories.ts). */
  other: string[];
}

/** Count, mean and sum of squared deviations of some values (combined exactly with `merge`). */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

export const EMPTY: Moments = { n: 0, mean: 0, m2: 0 };

/** Chan et al.'s pairwise update: the moments of two groups together. */
export function merge(a: Moments, b: Moments): Moments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

/** The moments of `all` without the group `part` (exact up to rounding). */
export function without(all: Moments, part: Moments): Moments {
  const n = all.n - part.n;
  if (n <= 0) return EMPTY;
  const mean = (all.n * all.mean - part.n * part.mean) / n;
  const delta = part.mean - mean;
  return { n, mean, m2: Math.max(0, all.m2 - part.m2 - (delta * delta * n * part.n) / all.n) };
}

export const variance = (m: Moments) => (m.n > 1 ? m.m2 / (m.n - 1) : 0);
export const sdPop = (m: Moments) => (m.n > 0 ? Math.sqrt(m.m2 / m.n) : 0);

export interface Cell {
  rows: number;
  /** Per numeric column. */
  x: Moments[];
  /** Per numeric column: values above / below the reference's range. */
  above: number[];
  below: number[];
  /** Per column of `numeric` then `other`: non-missing values. */
  present: number[];
  /** Per-row error of labelled rows. */
  error: Moments;
}

const emptyCell = (numeric: number, columns: number): Cell => ({
  rows: 0,
  x: Array.from({ length: numeric }, () => EMPTY),
  above: new Array<number>(numeric).fill(0),
  below: new Array<number>(numeric).fill(0),
  present: new Array<number>(columns).fill(0),
  error: EMPTY,
});

export function addCells(a: Cell, b: Cell): Cell {
  return {
    rows: a.rows + b.rows,
    x: a.x.map((m, i) => merge(m, b.x[i]!)),
    above: a.above.map((v, i) => v + b.above[i]!),
    below: a.below.map((v, i) => v + b.below[i]!),
    present: a.present.map((v, i) => v + b.present[i]!),
    error: merge(a.error, b.error),
  };
}

export function subtractCells(a: Cell, b: Cell): Cell {
  return {
    rows: a.rows - b.rows,
    x: a.x.map((m, i) => without(m, b.x[i]!)),
    above: a.above.map((v, i) => v - b.above[i]!),
    below: a.below.map((v, i) => v - b.below[i]!),
    present: a.present.map((v, i) => v - b.present[i]!),
    error: without(a.error, b.error),
  };
}

/** The segment of a cell: a dimension's code, or all rows (dim -1). */
export interface SegmentKey {
  dim: number;
  code: number;
}

export const ALL: SegmentKey = { dim: -1, code: 0 };

export class Grid {
  /** Window starts, epoch ms, ascending. */
  readonly windows: number[];
  /** Per numeric column: the reference's smallest and largest finite value. */
  readonly range: { lo: number; hi: number }[];
  private readonly current = new Map<string, Cell>();
  private readonly reference = new Map<string, Cell>();

  constructor(
    readonly input: GridInput,
    windows: number[],
    range: { lo: number; hi: number }[],
    /** Calendar window start (epoch ms) -> window index (edge windows merged into their neighbours). */
    private readonly index: Map<number, number> = new Map(windows.map((w, i) => [w, i])),
  ) {
    this.windows = windows;
    this.range = range;
  }

  /** The window a calendar window start belongs to. */
  windowOf(start: number): number | undefined {
    return this.index.get(start);
  }

  get columns(): string[] {
    return [...this.input.numeric, ...this.input.other];
  }

  /** A current cell (window index), or the empty cell. */
  cell(segment: SegmentKey, window: number): Cell {
    return this.current.get(`${segment.dim}:${segment.code}:${window}`) ?? this.empty();
  }

  /** The current rows of a segment over a run of windows [from, to]. */
  span(segment: SegmentKey, from: number, to: number): Cell {
    let out = this.empty();
    for (let w = from; w <= to; w++) out = addCells(out, this.cell(segment, w));
    return out;
  }

  /** The reference rows of a segment (all rows: ALL). */
  referenceCell(segment: SegmentKey): Cell {
    return this.reference.get(`${segment.dim}:${segment.code}`) ?? this.empty();
  }

  empty(): Cell {
    return emptyCell(this.input.numeric.length, this.columns.length);
  }

  /** Segments of a dimension that have rows in the log. */
  codes(dim: number): number[] {
    return (this.input.dims[dim]?.labels ?? []).map((_, i) => i + 1);
  }

  /** Adds a scanned cell to the window's (two calendar windows may share one after a merge). */
  addCurrent(segment: SegmentKey, window: number, cell: Cell): void {
    const key = `${segment.dim}:${segment.code}:${window}`;
    const there = this.current.get(key);
    this.current.set(key, there ? addCells(there, cell) : cell);
  }

  setReference(segment: SegmentKey, cell: Cell): void {
    this.reference.set(`${segment.dim}:${segment.code}`, cell);
  }
}

const d = (i: number) => raw(`d${i}`);

/** The SELECT list and GROUPING SETS shared by both sides: moments, range counts, presence, error. */
function aggregates(input: GridInput, range: { lo: number; hi: number }[] | null, withError: boolean) {
  const cols: Record<string, ReturnType<typeof num> | ReturnType<typeof numOrNull>> = {
    rows: num(raw('count(*)::DOUBLE'), 0),
  };
  input.numeric.forEach((_, i) => {
    const x = raw(`x${i}`);
    cols[`n${i}`] = num(sql`count(${x})::DOUBLE`, 0);
    cols[`m${i}`] = num(sql`avg(${x})`, 0);
    cols[`v${i}`] = num(sql`var_pop(${x})`, 0);
    if (range) {
      const r = range[i]!;
      cols[`a${i}`] = num(Number.isFinite(r.hi) ? sql`count(*) FILTER (WHERE ${x} > ${r.hi})::DOUBLE` : raw('0'), 0);
      cols[`b${i}`] = num(Number.isFinite(r.lo) ? sql`count(*) FILTER (WHERE ${x} < ${r.lo})::DOUBLE` : raw('0'), 0);
    } else {
      cols[`lo${i}`] = numOrNull(sql`min(${x})`);
      cols[`hi${i}`] = numOrNull(sql`max(${x})`);
    }
  });
  input.other.forEach((_, i) => (cols[`p${i}`] = num(sql`count(${raw(`o${i}`)})::DOUBLE`, 0)));
  if (withError) {
    cols['en'] = num(raw('count(e)::DOUBLE'), 0);
    cols['em'] = num(raw('avg(e)'), 0);
    cols['ev'] = num(raw('var_pop(e)'), 0);
  }
  return cols;
}

/** The columns every row of the scan carries: codes, window, numeric values, presence, error. */
function baseSelect(input: GridInput, side: GridSide, window: Sql | null): Sql {
  const parts: Sql[] = input.dims.map((dim, i) => sql`CAST(${raw(dim.codeSql)} AS INTEGER) AS ${d(i)}`);
  if (window) parts.push(sql`epoch_ms(${window})::DOUBLE AS w`);
  input.numeric.forEach((c, i) => {
    const e = input.expressions?.[c];
    const expr = e === undefined || e instanceof Sql ? e : side === input.reference ? e.reference : e.current;
    const x = expr === null ? raw('CAST(NULL AS DOUBLE)') : (expr ?? sql`CAST(${ident(c)} AS DOUBLE)`);
    parts.push(sql`(CASE WHEN isfinite(${x}) THEN ${x} END) AS ${raw(`x${i}`)}`);
  });
  input.other.forEach((c, i) => parts.push(sql`${ident(c)} AS ${raw(`o${i}`)}`));
  if (side.errorSql) parts.push(sql`CAST(${raw(side.errorSql)} AS DOUBLE) AS e`);
  // Nothing to screen (files that share no column): the rows are still counted.
  if (parts.length === 0) parts.push(raw('1 AS one'));
  return join(parts, ', ');
}

function readCell(input: GridInput, row: Record<string, number | null>, withError: boolean): Cell {
  const cell = emptyCell(input.numeric.length, input.numeric.length + input.other.length);
  cell.rows = row['rows'] ?? 0;
  input.numeric.forEach((_, i) => {
    const n = row[`n${i}`] ?? 0;
    cell.x[i] = { n, mean: n > 0 ? (row[`m${i}`] ?? 0) : 0, m2: n > 0 ? (row[`v${i}`] ?? 0) * n : 0 };
    cell.above[i] = row[`a${i}`] ?? 0;
    cell.below[i] = row[`b${i}`] ?? 0;
    cell.present[i] = n;
  });
  input.other.forEach((_, i) => (cell.present[input.numeric.length + i] = row[`p${i}`] ?? 0));
  if (withError) {
    const n = row['en'] ?? 0;
    cell.error = { n, mean: n > 0 ? (row['em'] ?? 0) : 0, m2: n > 0 ? (row['ev'] ?? 0) * n : 0 };
  }
  return cell;
}

/** Which dimension a GROUPING SETS row belongs to: the one code column that is not aggregated (-1: none). */
function segmentOf(row: Record<string, number | null>, dims: number): SegmentKey {
  for (let i = 0; i < dims; i++) if (row[`g${i}`] === 0) return { dim: i, code: row[`d${i}`] ?? 0 };
  return ALL;
}

/**
 * A log rarely starts or ends on a window's edge: its first and last windows may hold a day of a week,
 * whose mix (one weekday, the warm-up of rolling features) is no sample of the period. A first or last
 * window with under a third of the median window's rows joins its neighbour.
 */
export function mergeEdgeWindows(calendar: number[], rows: (start: number) => number): { starts: number[]; index: Map<number, number> } {
  const counts = calendar.map(rows);
  const sorted = [...counts].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  const small = (i: number) => calendar.length > 2 && counts[i]! < median / 3;
  const dropFirst = small(0);
  const dropLast = small(calendar.length - 1) && calendar.length - 1 > (dropFirst ? 1 : 0);
  const starts = calendar.filter((_, i) => !(dropFirst && i === 1) && !(dropLast && i === calendar.length - 1));
  const index = new Map<number, number>();
  calendar.forEach((w, i) => {
    if (dropFirst && i === 1) index.set(w, 0);
    else if (dropLast && i === calendar.length - 1) index.set(w, starts.length - 1);
    else index.set(w, starts.indexOf(w));
  });
  return { starts, index };
}

/** Runs both scans and returns the grid. */
export async function screenGrid(db: Db, input: GridInput, signal?: AbortSignal): Promise<Grid> {
  const D = input.dims.length;
  const groupingCols = Object.fromEntries(
    input.dims.flatMap((_, i) => [
      [`g${i}`, num(sql`GROUPING(${d(i)})`, 1)],
      [`d${i}`, num(d(i), 0)],
    ]),
  );
  // The reference first: its ranges are the bounds the log is checked against.
  let range = input.numeric.map(() => ({ lo: Number.NaN, hi: Number.NaN }));
  const refRows: Record<string, number | null>[] = [];
  if (input.reference) {
    const sets = join([raw('()'), ...input.dims.map((_, i) => sql`(${d(i)})`)], ', ');
    const q = select(
      { ...groupingCols, ...aggregates(input, null, Boolean(input.reference.errorSql)) },
      sql`FROM (SELECT ${baseSelect(input, input.reference, null)} FROM ${ident(input.reference.table)}) GROUP BY GROUPING SETS (${sets})`,
    );
    for (const row of await rowsOf(db, q, { signal })) refRows.push(row as Record<string, number | null>);
    const all = refRows.find((r) => segmentOf(r, D).dim === -1);
    if (all) range = input.numeric.map((_, i) => ({ lo: all[`lo${i}`] ?? Number.NaN, hi: all[`hi${i}`] ?? Number.NaN }));
  }
  throwIfAborted(signal);
  const ts = raw(input.current.timeSql);
  const window = sql`date_trunc(${input.current.unit}, ${ts})`;
  const sets = join([raw('(w)'), ...input.dims.map((_, i) => sql`(${d(i)}, w)`)], ', ');
  const q = select(
    { ...groupingCols, w: num(raw('w')), ...aggregates(input, range, Boolean(input.current.errorSql)) },
    sql`FROM (SELECT ${baseSelect(input, input.current, window)} FROM ${ident(input.current.table)} WHERE ${ts} IS NOT NULL) GROUP BY GROUPING SETS (${sets})`,
  );
  const curRows = (await rowsOf(db, q, { signal })) as Record<string, number | null>[];
  const calendar = [...new Set(curRows.map((r) => r['w']!))].sort((a, b) => a - b);
  const windowRows = new Map(curRows.filter((r) => segmentOf(r, D).dim < 0).map((r) => [r['w']!, r['rows'] ?? 0]));
  const { starts, index } = mergeEdgeWindows(calendar, (w) => windowRows.get(w) ?? 0);
  const grid = new Grid(input, starts, range, index);
  for (const row of curRows)
    grid.addCurrent(segmentOf(row, D), index.get(row['w']!)!, readCell(input, row, Boolean(input.current.errorSql)));
  for (const row of refRows) grid.setReference(segmentOf(row, D), readCell(input, row, Boolean(input.reference?.errorSql)));
  return grid;
}
