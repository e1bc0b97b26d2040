import { CellCounter, cellLayout, pacer, type CountedRows, type SliceSearchProgress } from './cells';

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
export type { Codes } from './cells';

/** Per dimension the code of each row (0 = not part of any slice on this dimension), and the per-row error. */
export type SliceLineInput = CountedRows;

export interface SliceLineOptions {
  k?: number;
  maxDepth?: number;
  minSupport?: number;
  alpha?: number;
  /**
   * The counting passes of these rows, when another analysis of the same search shares them (the
   * ranking of one- and two-condition slices reuses SliceLine's passes).
   */
  counter?: CellCounter;
  /** Told after each counting pass: the level, the passes done at this level and their number. */
  onProgress?: (progress: SliceSearchProgress) => void;
}

export type { SliceSearchProgress } from './cells';

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

async function evaluate(
  counter: CellCounter,
  candidates: Candidate[],
  pause: () => Promise<void>,
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
    const { stride } = cellLayout(counter.input.cardinality, dims);
    const cells = counter.cells(dims);
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

export async function sliceLine(input: SliceLineInput, options: SliceLineOptions = {}, signal?: AbortSignal): Promise<SliceLineResult> {
  const pause = pacer(signal);
  const { k = 10, alpha = 0.95 } = options;
  const maxDepth = Math.min(options.maxDepth ?? 3, input.codes.length, 3);
  const counter = options.counter ?? new CellCounter(input);
  const { rows, errorSum, errorSquares } = counter;
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
  let level = score(await evaluate(counter, basic, pause, (done, total) => options.onProgress?.({ level: 1, done, total }))).filter(
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
    level = score(await evaluate(counter, candidates, pause, (done, total) => options.onProgress?.({ level: L, done, total })));
    for (const s of level) if (s.size >= minSupport) result.tested.push(s);
    valid = level.filter((s) => s.size >= minSupport && s.errorSum > 0);
    offer(valid);
    result.levels.push({ level: L, candidates: seen.size, evaluated: candidates.length, valid: valid.length });
  }
  result.top = top;
  return result;
}
