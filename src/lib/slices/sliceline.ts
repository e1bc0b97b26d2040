import { LanternError } from '../errors';

/**
 * SliceLine (Sagadeeva & Boehm, "SliceLine: Fast, Linear-Algebra-based Slice Finding for ML Model
 * Debugging", SIGMOD 2021): the exact top-k slices - conjunctions of predicates "dimension = value" on
 * distinct dimensions - by the score
 *
 *   sc(S) = alpha * (mean error in S / mean error overall - 1) - (1 - alpha) * (n / |S| - 1)
 *
 * among slices with at least `minSupport` rows. Enumeration is level-wise (a slice at level L joins two
 * level L-1 slices that share L-2 predicates), children of slices with too few rows or no error are never
 * generated, and a candidate is evaluated only if the upper bound of its score, from the sizes and errors
 * of all its parents, can beat the current k-th best (section 3.2 of the paper). The bound probes the
 * points where the score can peak for sizes in [minSupport, min parent size]; this matches the paper
 * with n (rows) in the size term, where some ports use the number of encoded columns.
 *
 * Runs on integer-coded dimensions (code 0 = value not sliceable) held in typed arrays: one pass over the
 * rows per combination of dimensions, with a dense lookup table from code tuples to candidates.
 */
/** Codes of one dimension, one per row (Uint8Array when every code fits in a byte, as the encoder pulls them). */
export type Codes = Uint8Array | Uint16Array | Int32Array;

export interface SliceLineInput {
  /** Per dimension, the code of each row (0 = not part of any slice on this dimension). */
  codes: Codes[];
  /** Per dimension, 1 + the largest code. */
  cardinality: number[];
  /** Per-row error (0/1 error, log loss, squared error, ...); larger is worse. */
  errors: Float64Array;
}

export interface SliceLineOptions {
  k?: number;
  maxDepth?: number;
  minSupport?: number;
  alpha?: number;
  /** Told after each counting pass: the level, the passes done at this level and their number. */
  onProgress?: (progress: SliceSearchProgress) => void;
}

export interface SliceSearchProgress {
  level: number;
  done: number;
  total: number;
}

export interface SliceStats {
  /** Dimension indexes, ascending, and the code on each. */
  dims: number[];
  codes: number[];
  size: number;
  errorSum: number;
  errorMax: number;
  /** Sum of squared per-row errors: for the significance test. */
  errorSquares: number;
  score: number;
}

export interface SliceLineResult {
  top: SliceStats[];
  /** Every evaluated slice with at least minSupport rows (the family a false-discovery control runs over). */
  tested: SliceStats[];
  rows: number;
  errorSum: number;
  errorSquares: number;
  averageError: number;
  levels: { level: number; candidates: number; evaluated: number; valid: number }[];
}

const keyOf = (dims: number[], codes: number[]) => dims.map((d, i) => `${d}:${codes[i]}`).join(',');

export function sliceScore(size: number, errorSum: number, rows: number, averageError: number, alpha: number): number {
  if (size <= 0 || averageError <= 0) return -Infinity;
  return alpha * (errorSum / size / averageError - 1) - (1 - alpha) * (rows / size - 1);
}

/** Upper bound of the score of any slice with at most `size` rows, `errorSum` total error and `errorMax` per-row error. */
export function sliceScoreUpperBound(
  size: number,
  errorSum: number,
  errorMax: number,
  rows: number,
  averageError: number,
  alpha: number,
  minSupport: number,
): number {
  if (size < minSupport || errorSum <= 0) return -Infinity;
  // For sizes s in [minSupport, size] the best error is min(errorSum, s * errorMax); the score is monotone
  // on each side of s = errorSum / errorMax, so its maximum sits at one of these sizes.
  const probes = [minSupport, Math.min(size, Math.max(minSupport, errorSum / errorMax)), size];
  let best = -Infinity;
  for (const s of probes) {
    const e = Math.min(errorSum, s * errorMax);
    best = Math.max(best, alpha * (e / s / averageError - 1) - (1 - alpha) * (rows / s - 1));
  }
  return best;
}

interface Candidate {
  dims: number[];
  codes: number[];
  ub: number;
}

/** Per-cell sums over the rows of one combination of dimensions (cells are code tuples, row-major). */
interface Cells {
  size: Float64Array;
  sum: Float64Array;
  sq: Float64Array;
  max: Float64Array;
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
 * (rows with code 0 land in cells no candidate reads). With 0/1 errors the squares equal the sums and the
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

async function evaluate(
  input: SliceLineInput,
  candidates: Candidate[],
  pause: () => Promise<void>,
  folded: ((dim: number) => Folded) | null,
  onPass?: (done: number, total: number) => void,
): Promise<SliceStats[]> {
  const byDims = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const k = c.dims.join(',');
    const list = byDims.get(k);
    if (list) list.push(c);
    else byDims.set(k, [c]);
  }
  const out: SliceStats[] = [];
  let done = 0;
  for (const list of byDims.values()) {
    await pause();
    onPass?.(done++, byDims.size);
    const dims = list[0]!.dims;
    const stride: number[] = [];
    let total = 1;
    for (let i = dims.length - 1; i >= 0; i--) {
      stride[i] = total;
      total *= input.cardinality[dims[i]!]!;
    }
    const cells = cellSums(
      dims.map((d) => input.codes[d]!),
      stride,
      total,
      input.errors,
      folded ? folded(dims[dims.length - 1]!) : null,
    );
    for (const c of list) {
      let idx = 0;
      c.codes.forEach((code, i) => (idx += code * stride[i]!));
      out.push({
        dims: c.dims,
        codes: c.codes,
        size: cells.size[idx]!,
        errorSum: cells.sum[idx]!,
        errorMax: cells.max[idx]!,
        errorSquares: cells.sq[idx]!,
        score: 0,
      });
    }
  }
  onPass?.(done, byDims.size);
  return out;
}

/**
 * Gives the event loop a turn every ~50 ms of work, so that a worker running a search still answers a
 * threshold move or a cancel promptly; aborts with the signal.
 */
function pacer(signal?: AbortSignal): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
    if (Date.now() - last < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = Date.now();
    if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
  };
}

export async function sliceLine(input: SliceLineInput, options: SliceLineOptions = {}, signal?: AbortSignal): Promise<SliceLineResult> {
  const pause = pacer(signal);
  const { k = 10, alpha = 0.95 } = options;
  const maxDepth = Math.min(options.maxDepth ?? 3, input.codes.length, 3);
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
  // 0/1 errors (the default for classifiers) as bytes: a quarter of the memory traffic per pass.
  const errorBits = binary ? Uint8Array.from(input.errors) : null;
  const foldedCache = new Map<number, Folded>();
  const folded = errorBits
    ? (d: number) => {
        let f = foldedCache.get(d);
        if (!f) foldedCache.set(d, (f = foldError(input.codes[d]!, input.cardinality[d]!, errorBits)));
        return f;
      }
    : null;
  const averageError = rows > 0 ? errorSum / rows : 0;
  const minSupport = options.minSupport ?? Math.max(10, Math.ceil(rows * 0.01));
  const result: SliceLineResult = { top: [], tested: [], rows, errorSum, errorSquares, averageError, levels: [] };
  if (rows === 0 || averageError <= 0 || maxDepth < 1) return result;

  let top: SliceStats[] = [];
  const offer = (list: SliceStats[]) => {
    for (const s of list) if (s.size >= minSupport && s.score > 0) top.push(s);
    top.sort((a, b) => b.score - a.score || a.dims.length - b.dims.length);
    top = top.slice(0, k);
  };
  const bar = () => (top.length >= k ? top[top.length - 1]!.score : 0);
  const score = (list: SliceStats[]) => {
    for (const s of list) s.score = sliceScore(s.size, s.errorSum, rows, averageError, alpha);
    return list;
  };

  // Level 1: every (dimension, code).
  const basic: Candidate[] = [];
  input.codes.forEach((_, d) => {
    for (let code = 1; code < input.cardinality[d]!; code++) basic.push({ dims: [d], codes: [code], ub: Infinity });
  });
  let level = score(await evaluate(input, basic, pause, folded, (done, total) => options.onProgress?.({ level: 1, done, total }))).filter(
    (s) => s.size > 0,
  );
  for (const s of level) if (s.size >= minSupport) result.tested.push(s);
  let valid = level.filter((s) => s.size >= minSupport && s.errorSum > 0);
  offer(valid);
  result.levels.push({ level: 1, candidates: basic.length, evaluated: basic.length, valid: valid.length });

  for (let L = 2; L <= maxDepth && valid.length > 1; L++) {
    const parents = new Map(valid.map((s) => [keyOf(s.dims, s.codes), s]));
    // Join slices that share L-2 predicates: bucket by each (L-2)-predicate subset.
    const buckets = new Map<string, { s: SliceStats; dropped: number }[]>();
    for (const s of valid) {
      for (let i = 0; i < s.dims.length; i++) {
        const rest = keyOf(
          s.dims.filter((_, j) => j !== i),
          s.codes.filter((_, j) => j !== i),
        );
        const list = buckets.get(rest);
        const item = { s, dropped: i };
        if (list) list.push(item);
        else buckets.set(rest, [item]);
      }
    }
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    const threshold = bar();
    for (const list of buckets.values()) {
      for (let a = 0; a < list.length; a++) {
        for (let b = a + 1; b < list.length; b++) {
          const x = list[a]!;
          const y = list[b]!;
          const dx = x.s.dims[x.dropped]!;
          const dy = y.s.dims[y.dropped]!;
          if (dx === dy) continue;
          const pairs = x.s.dims.map((d, i) => [d, x.s.codes[i]!] as [number, number]);
          pairs.push([dy, y.s.codes[y.dropped]!]);
          pairs.sort((p, q) => p[0] - q[0]);
          const dims = pairs.map((p) => p[0]);
          const codes = pairs.map((p) => p[1]);
          const key = keyOf(dims, codes);
          if (seen.has(key)) continue;
          seen.add(key);
          // All L parents must be valid (a child of a pruned parent cannot reach minSupport or have error).
          let size = Infinity;
          let err = Infinity;
          let emax = Infinity;
          let complete = true;
          for (let i = 0; i < dims.length && complete; i++) {
            const p = parents.get(
              keyOf(
                dims.filter((_, j) => j !== i),
                codes.filter((_, j) => j !== i),
              ),
            );
            if (!p) complete = false;
            else {
              size = Math.min(size, p.size);
              err = Math.min(err, p.errorSum);
              emax = Math.min(emax, p.errorMax);
            }
          }
          if (!complete) continue;
          const ub = sliceScoreUpperBound(size, err, emax, rows, averageError, alpha, minSupport);
          if (ub > threshold && ub > 0) candidates.push({ dims, codes, ub });
        }
      }
    }
    level = score(await evaluate(input, candidates, pause, folded, (done, total) => options.onProgress?.({ level: L, done, total })));
    for (const s of level) if (s.size >= minSupport) result.tested.push(s);
    valid = level.filter((s) => s.size >= minSupport && s.errorSum > 0);
    offer(valid);
    result.levels.push({ level: L, candidates: seen.size, evaluated: candidates.length, valid: valid.length });
  }
  result.top = top;
  return result;
}
