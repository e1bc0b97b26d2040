/**
 * Where the challenger is worse: every one-condition slice of the slice search's dimensions (the same
 * codes, `src/lib/slices/`), compared with the test used overall - McNemar within the slice (paired
 * classification), the pooled z-test of accuracy (split), the paired t-test or Welch's on the per-row
 * absolute errors (regression) - with Benjamini-Hochberg over every slice compared. A challenger that
 * wins overall can still lose in a slice; this is how it is found.
 */
import { studentTTwoSided } from '../metrics/distributions';
import type { Dimension } from '../slices/dimensions';
import type { EncodedRows } from '../slices/encode';
import { benjaminiHochberg, welchFromSums } from '../slices/significance';
import { mcnemar } from './mcnemar';
import { twoProportionZ } from './proportions';
import type { SliceComparison } from './types';

interface Cell {
  n: number;
  s: number;
  q: number;
  /** Paired classification: discordant counts and each version's right answers. */
  b: number;
  c: number;
  rightA: number;
  rightB: number;
}

function cells(rows: EncodedRows, d: number, decode: (e: number, cell: Cell) => void): Cell[] {
  const card = rows.cardinality[d]!;
  const out: Cell[] = Array.from({ length: card }, () => ({ n: 0, s: 0, q: 0, b: 0, c: 0, rightA: 0, rightB: 0 }));
  const codes = rows.codes[d]!;
  for (let i = 0; i < rows.errors.length; i++) {
    const cell = out[codes[i]!]!;
    const e = rows.errors[i]!;
    cell.n++;
    cell.s += e;
    cell.q += e * e;
    decode(e, cell);
  }
  return out;
}

type Candidate = Omit<SliceComparison, 'q_value' | 'worse' | 'better'>;

function finish(candidates: Candidate[], fdr: number, lowerIsBetter: boolean): { slices: SliceComparison[]; compared: number } {
  const q = benjaminiHochberg(candidates.map((c) => c.p_value));
  const all = candidates.map((c, i) => {
    const significant = q[i]! < fdr && c.difference !== 0;
    const favours = lowerIsBetter ? c.difference < 0 : c.difference > 0;
    return { ...c, q_value: q[i]!, worse: significant && !favours, better: significant && favours };
  });
  return {
    slices: all.filter((s) => s.worse || s.better).sort((a, b) => a.q_value - b.q_value || a.label.localeCompare(b.label)),
    compared: all.length,
  };
}

function describe(dims: Dimension[], d: number, code: number) {
  const v = dims[d]!.values[code - 1]!;
  return { label: v.label, predicates: [v.predicate] };
}

/**
 * Paired classification. `outcomes`: per row 2 x (champion right) + (challenger right), encoded over
 * the shared dimensions.
 */
export function pairedClassificationSlices(dims: Dimension[], outcomes: EncodedRows, minRows: number, fdr: number) {
  const candidates: Candidate[] = [];
  dims.forEach((_, d) => {
    const found = cells(outcomes, d, (e, cell) => {
      const a = e >= 2 ? 1 : 0;
      const b = e % 2;
      cell.rightA += a;
      cell.rightB += b;
      if (a && !b) cell.b++;
      if (!a && b) cell.c++;
    });
    for (let code = 1; code < found.length; code++) {
      const cell = found[code]!;
      if (cell.n < minRows) continue;
      const test = mcnemar(cell.b, cell.c);
      candidates.push({
        ...describe(dims, d, code),
        n: cell.n,
        champion: cell.rightA / cell.n,
        challenger: cell.rightB / cell.n,
        difference: (cell.rightB - cell.rightA) / cell.n,
        b: cell.b,
        c: cell.c,
        p_value: test.exact_p_value,
      });
    }
  });
  return finish(candidates, fdr, false);
}

/** Paired regression: `difference` holds |challenger error| - |champion error| and `champion` |champion error|, per row. */
export function pairedRegressionSlices(dims: Dimension[], difference: EncodedRows, champion: EncodedRows, minRows: number, fdr: number) {
  const candidates: Candidate[] = [];
  dims.forEach((_, d) => {
    const diff = cells(difference, d, () => undefined);
    const base = cells(champion, d, () => undefined);
    for (let code = 1; code < diff.length; code++) {
      const cell = diff[code]!;
      if (cell.n < Math.max(minRows, 2)) continue;
      const mean = cell.s / cell.n;
      const variance = (cell.q - cell.n * mean * mean) / (cell.n - 1);
      const p = variance > 0 ? studentTTwoSided(mean / Math.sqrt(variance / cell.n), cell.n - 1) : mean === 0 ? 1 : 0;
      const maeA = base[code]!.s / base[code]!.n;
      candidates.push({ ...describe(dims, d, code), n: cell.n, champion: maeA, challenger: maeA + mean, difference: mean, p_value: p });
    }
  });
  return finish(candidates, fdr, true);
}

/**
 * Split: each version's rows encoded on the same dimensions, with the per-row 0/1 error (classification)
 * or absolute error (regression).
 */
export function splitSlices(
  dims: Dimension[],
  baseline: EncodedRows,
  other: EncodedRows,
  regression: boolean,
  minRows: number,
  fdr: number,
) {
  const candidates: Candidate[] = [];
  dims.forEach((_, d) => {
    const a = cells(baseline, d, () => undefined);
    const b = cells(other, d, () => undefined);
    for (let code = 1; code < a.length; code++) {
      const x = a[code]!;
      const y = b[code]!;
      if (x.n < minRows || y.n < minRows) continue;
      if (regression) {
        const t = welchFromSums(y.n, y.s, y.q, x.n, x.s, x.q);
        if (!t) continue;
        candidates.push({
          ...describe(dims, d, code),
          n: x.n,
          nChallenger: y.n,
          champion: x.s / x.n,
          challenger: y.s / y.n,
          difference: y.s / y.n - x.s / x.n,
          p_value: t.p,
        });
        continue;
      }
      // Errors are 0/1: accuracy is 1 - the mean error.
      const z = twoProportionZ(y.n - y.s, y.n, x.n - x.s, x.n);
      if ('defined' in z) continue;
      candidates.push({
        ...describe(dims, d, code),
        n: x.n,
        nChallenger: y.n,
        champion: 1 - x.s / x.n,
        challenger: 1 - y.s / y.n,
        difference: z.difference,
        p_value: z.p_value,
      });
    }
  });
  return finish(candidates, fdr, regression);
}
