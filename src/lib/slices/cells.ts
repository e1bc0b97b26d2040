import { LanternError } from '../errors';

export interface SliceSearchProgress {
  /** Conditions per slice of the passes counted (SliceLine's level). */
  level: number;
  done: number;
  total: number;
  /** After SliceLine: the passes the ranking of one- and two-condition slices still needs, or the window comparisons'. */
  stage?: 'ranking' | 'worsened';
}

/** Codes of one dimension, one per row (Uint8Array when every code fits in a byte, as the encoder pulls them). */
export type Codes = Uint8Array | Uint16Array | Int32Array;

/** Rows as slice analyses count them: per dimension a code per row (0 = in no slice on it), and the per-row error. */
export interface CountedRows {
  codes: Codes[];
  /** Per dimension, 1 + the largest code. */
  cardinality: number[];
  /** Per-row error (0/1 error, log loss, squared error, ...); larger is worse. */
  errors: Float64Array;
}

/** Per-cell sums over the rows of one combination of dimensions (cells are code tuples, row-major). */
export interface Cells {
  size: Float64Array;
  sum: Float64Array;
  sq: Float64Array;
  max: Float64Array;
}

/** Where the cell of a code tuple sits in a combination's dense arrays: index = sum of code * stride. */
export function cellLayout(cardinality: number[], dims: number[]): { stride: number[]; total: number } {
  const stride: number[] = [];
  let total = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    stride[i] = total;
    total *= cardinality[dims[i]!]!;
  }
  return { stride, total };
}

/**
 * A dimension's codes with the row's 0/1 error folded in (`2 * code + error`): the index of the row's
 * (cell, error) counter on that dimension alone, and the last term of it for a combination. Saves one
 * load and an or per row in every pass (about 15% of a pass).
 */
export type Folded = Uint8Array | Uint16Array;

function foldError(codes: Codes, cardinality: number, e: Uint8Array): Folded {
  const out = 2 * cardinality <= 256 ? new Uint8Array(e.length) : new Uint16Array(e.length);
  for (let r = 0; r < e.length; r++) out[r] = 2 * codes[r]! + e[r]!;
  return out;
}

/**
 * Counts per (cell, 0/1 error) - one increment per row - in four interleaved copies of the counters, so
 * that consecutive rows hitting the same cell do not wait on each other's store (about 40% faster).
 * `last` is the last dimension's codes with the error folded in; `cols` the others.
 */
function binaryCellCounts(cols: Codes[], last: Folded, stride: number[], total: number): Int32Array {
  const t = 2 * total;
  const h = new Int32Array(4 * t);
  const n = last.length;
  const end = n - (n % 4);
  let r = 0;
  // Written out per depth: a shared cell() closure or zero-filled dummy columns cost about half the speed.
  if (cols.length === 0) {
    for (; r < end; r += 4) {
      h[last[r]!]!++;
      h[t + last[r + 1]!]!++;
      h[2 * t + last[r + 2]!]!++;
      h[3 * t + last[r + 3]!]!++;
    }
    for (; r < n; r++) h[last[r]!]!++;
  } else if (cols.length === 1) {
    const c0 = cols[0]!;
    const m0 = 2 * stride[0]!;
    for (; r < end; r += 4) {
      h[c0[r]! * m0 + last[r]!]!++;
      h[t + c0[r + 1]! * m0 + last[r + 1]!]!++;
      h[2 * t + c0[r + 2]! * m0 + last[r + 2]!]!++;
      h[3 * t + c0[r + 3]! * m0 + last[r + 3]!]!++;
    }
    for (; r < n; r++) h[c0[r]! * m0 + last[r]!]!++;
  } else {
    const c0 = cols[0]!;
    const c1 = cols[1]!;
    const m0 = 2 * stride[0]!;
    const m1 = 2 * stride[1]!;
    for (; r < end; r += 4) {
      h[c0[r]! * m0 + c1[r]! * m1 + last[r]!]!++;
      h[t + c0[r + 1]! * m0 + c1[r + 1]! * m1 + last[r + 1]!]!++;
      h[2 * t + c0[r + 2]! * m0 + c1[r + 2]! * m1 + last[r + 2]!]!++;
      h[3 * t + c0[r + 3]! * m0 + c1[r + 3]! * m1 + last[r + 3]!]!++;
    }
    for (; r < n; r++) h[c0[r]! * m0 + c1[r]! * m1 + last[r]!]!++;
  }
  return h;
}

/**
 * One pass over the rows for one combination of (up to 3) dimensions: dense per-cell sums, branch-free
 * (rows with code 0 land in cells no slice reads). With 0/1 errors the squares equal the sums and the
 * maximum is 1 wherever the sum is positive, so only sizes and sums are accumulated.
 */
function cellSums(cols: Codes[], stride: number[], total: number, errors: Float64Array, last: Folded | null): Cells {
  const size = new Float64Array(total);
  const sum = new Float64Array(total);
  const n = errors.length;
  const c0 = cols[0]!;
  const s0 = stride[0]!;
  if (last) {
    const h = binaryCellCounts(cols.slice(0, -1), last, stride, total);
    const max = new Float64Array(total);
    for (let i = 0; i < total; i++) {
      for (let copy = 0; copy < 4; copy++) {
        size[i]! += h[copy * 2 * total + 2 * i]! + h[copy * 2 * total + 2 * i + 1]!;
        sum[i]! += h[copy * 2 * total + 2 * i + 1]!;
      }
      if (sum[i]! > 0) max[i] = 1;
    }
    return { size, sum, sq: sum, max };
  }
  const sq = new Float64Array(total);
  const max = new Float64Array(total);
  const c1 = cols[1];
  const c2 = cols[2];
  const s1 = stride[1] ?? 0;
  for (let r = 0; r < n; r++) {
    const idx = c0[r]! * s0 + (c1 ? c1[r]! * s1 : 0) + (c2 ? c2[r]! : 0);
    const e = errors[r]!;
    size[idx]! += 1;
    sum[idx]! += e;
    sq[idx]! += e * e;
    if (e > max[idx]!) max[idx] = e;
  }
  return { size, sum, sq, max };
}

/**
 * The counting passes of one search's rows, shared by its analyses: SliceLine counts the combinations its
 * levels need, the exhaustive ranking of one- and two-condition slices (`ranked.ts`) reuses those and
 * counts only the rest. Combinations of up to two dimensions are kept (a few MB even for 30 dimensions of
 * 50 values); deeper ones are counted afresh.
 */
export class CellCounter {
  readonly rows: number;
  readonly errorSum: number;
  readonly errorSquares: number;
  /** Every error is 0 or 1 (the default for classifiers): passes count bytes, a quarter of the memory traffic. */
  readonly binary: boolean;
  private readonly errorBits: Uint8Array | null;
  private readonly folded = new Map<number, Folded>();
  private readonly kept = new Map<string, Cells>();

  constructor(readonly input: CountedRows) {
    const rows = input.errors.length;
    let errorSum = 0;
    let errorSquares = 0;
    let binary = true;
    for (let i = 0; i < rows; i++) {
      const e = input.errors[i]!;
      errorSum += e;
      errorSquares += e * e;
      if (e !== 0 && e !== 1) binary = false;
    }
    this.rows = rows;
    this.errorSum = errorSum;
    this.errorSquares = errorSquares;
    this.binary = binary;
    this.errorBits = binary ? Uint8Array.from(input.errors) : null;
  }

  /** Whether the sums of a combination are at hand without a pass. */
  has(dims: number[]): boolean {
    return this.kept.has(dims.join(','));
  }

  /** Dense sums of one combination of dimensions (ascending indexes), laid out as `cellLayout` says. */
  cells(dims: number[]): Cells {
    const key = dims.join(',');
    const hit = this.kept.get(key);
    if (hit) return hit;
    const { stride, total } = cellLayout(this.input.cardinality, dims);
    const last = dims[dims.length - 1]!;
    const out = cellSums(
      dims.map((d) => this.input.codes[d]!),
      stride,
      total,
      this.input.errors,
      this.errorBits ? this.foldedCodes(last) : null,
    );
    if (dims.length <= 2) this.kept.set(key, out);
    return out;
  }

  private foldedCodes(d: number): Folded {
    let f = this.folded.get(d);
    if (!f) this.folded.set(d, (f = foldError(this.input.codes[d]!, this.input.cardinality[d]!, this.errorBits!)));
    return f;
  }
}

/**
 * Gives the event loop a turn every ~50 ms of work, so that a worker running a search still answers a
 * threshold move or a cancel promptly; aborts with the signal.
 */
export function pacer(signal?: AbortSignal): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
    if (Date.now() - last < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = Date.now();
    if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
  };
}

/** Sums of one combination of dimensions per group of rows (a time window): cell `g * total + cell`. */
export interface GroupedSums {
  size: Float64Array;
  sum: Float64Array;
  /** The same array as `sum` when every error is 0 or 1. */
  sq: Float64Array;
  total: number;
  stride: number[];
}

/**
 * One pass over the rows for one or two dimensions, per group (`group[r]`, -1 = in no group; all rows in
 * group 0 without it). A single dimension runs the two-dimension loop with itself at stride 0, so both
 * are one loop without a branch per row; 0/1 errors skip the squares.
 */
export function groupedCellSums(rows: CountedRows, dims: number[], group: Int32Array | null, groups: number, binary: boolean): GroupedSums {
  const { stride, total } = cellLayout(rows.cardinality, dims);
  const size = new Float64Array(groups * total);
  const sum = new Float64Array(groups * total);
  const sq = binary ? sum : new Float64Array(groups * total);
  const e = rows.errors;
  const c0 = rows.codes[dims[0]!]!;
  const c1 = rows.codes[dims[dims.length - 1]!]!;
  const s0 = dims.length > 1 ? stride[0]! : 0;
  const n = e.length;
  if (group && binary) {
    for (let r = 0; r < n; r++) {
      const g = group[r]!;
      if (g < 0) continue;
      const idx = g * total + c0[r]! * s0 + c1[r]!;
      size[idx]! += 1;
      sum[idx]! += e[r]!;
    }
  } else if (group) {
    for (let r = 0; r < n; r++) {
      const g = group[r]!;
      if (g < 0) continue;
      const idx = g * total + c0[r]! * s0 + c1[r]!;
      const x = e[r]!;
      size[idx]! += 1;
      sum[idx]! += x;
      sq[idx]! += x * x;
    }
  } else if (binary) {
    for (let r = 0; r < n; r++) {
      const idx = c0[r]! * s0 + c1[r]!;
      size[idx]! += 1;
      sum[idx]! += e[r]!;
    }
  } else {
    for (let r = 0; r < n; r++) {
      const idx = c0[r]! * s0 + c1[r]!;
      const x = e[r]!;
      size[idx]! += 1;
      sum[idx]! += x;
      sq[idx]! += x * x;
    }
  }
  return { size, sum, sq, total, stride };
}

/**
 * Progress of passes over combinations listed level by level (all singles, then all pairs): before each
 * pass the passes done at its level and their number, and a last report when a level is through - as
 * SliceLine reports its levels. Call with the combination about to be counted, and with null at the end.
 */
export function levelProgress(
  combos: number[][],
  stage: SliceSearchProgress['stage'],
  onProgress?: (progress: SliceSearchProgress) => void,
): (combo: number[] | null) => void {
  const totals = new Map<number, number>();
  for (const c of combos) totals.set(c.length, (totals.get(c.length) ?? 0) + 1);
  let level = 0;
  let done = 0;
  return (combo) => {
    if (!onProgress) return;
    const next = combo ? combo.length : 0;
    if (level && next !== level) onProgress({ level, done, total: done, ...(stage ? { stage } : {}) });
    if (next !== level) done = 0;
    level = next;
    if (combo) onProgress({ level, done: done++, total: totals.get(level)!, ...(stage ? { stage } : {}) });
  };
}
