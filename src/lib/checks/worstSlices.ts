/**
 * Every slice of one or two conditions, with its size and mean per-row error, from the slices core's encoded
 * rows. A check "no slice of at least m rows is worse than overall by more than d" must see every slice,
 * so this is exhaustive counting instead of SliceLine's top-k: SliceLine's score trades error against size
 * and leaves out small but bad slices (with alpha 0.95, a slice of 1% of the rows needs more than about 6x
 * the overall error to score above zero; Sagadeeva & Boehm, SIGMOD 2021, eq. 1).
 */
import type { EncodedRows } from '../slices/encode';
import type { Dimension, SlicePredicate } from '../slices/dimensions';

export interface WorstSlice {
  label: string;
  predicates: SlicePredicate[];
  n: number;
  error: number;
  difference: number;
}

export interface WorstSlices {
  overall: number;
  rows: number;
  /** Slices of at least `minRows` rows, worst (largest difference) first, at most `limit`. */
  slices: WorstSlice[];
}

export function worstSlices(
  encoded: EncodedRows,
  dims: Dimension[],
  options: { minRows: number; maxDepth: 1 | 2; limit?: number },
): WorstSlices {
  const { codes, errors, cardinality } = encoded;
  const rows = errors.length;
  let total = 0;
  for (let i = 0; i < rows; i++) total += errors[i]!;
  const overall = rows ? total / rows : 0;
  const found: WorstSlice[] = [];
  const consider = (n: number, sum: number, parts: [number, number][]) => {
    if (n < options.minRows || n === 0) return;
    const error = sum / n;
    const values = parts.map(([d, code]) => dims[d]!.values[code - 1]!);
    found.push({
      label: values.map((v) => v.label).join(' AND '),
      predicates: values.map((v) => v.predicate),
      n,
      error,
      difference: error - overall,
    });
  };
  for (let d = 0; d < dims.length; d++) {
    const card = cardinality[d]!;
    const n = new Float64Array(card);
    const s = new Float64Array(card);
    const col = codes[d]!;
    for (let i = 0; i < rows; i++) {
      n[col[i]!]! += 1;
      s[col[i]!]! += errors[i]!;
    }
    // Code 0 is "not offered as a slice" (rare categories), never a slice itself.
    for (let c = 1; c < card; c++) consider(n[c]!, s[c]!, [[d, c]]);
  }
  if (options.maxDepth >= 2) {
    for (let a = 0; a < dims.length; a++)
      for (let b = a + 1; b < dims.length; b++) {
        const ca = cardinality[a]!;
        const cb = cardinality[b]!;
        const n = new Float64Array(ca * cb);
        const s = new Float64Array(ca * cb);
        const colA = codes[a]!;
        const colB = codes[b]!;
        for (let i = 0; i < rows; i++) {
          const k = colA[i]! * cb + colB[i]!;
          n[k]! += 1;
          s[k]! += errors[i]!;
        }
        for (let x = 1; x < ca; x++)
          for (let y = 1; y < cb; y++)
            consider(n[x * cb + y]!, s[x * cb + y]!, [
              [a, x],
              [b, y],
            ]);
      }
  }
  found.sort((p, q) => q.difference - p.difference || q.n - p.n || (p.label < q.label ? -1 : 1));
  return { overall, rows, slices: found.slice(0, options.limit ?? 20) };
}
