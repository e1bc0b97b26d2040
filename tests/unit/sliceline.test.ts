import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/metrics/intervals';
import { sliceLine, sliceScore, sliceScoreUpperBound } from '../../src/lib/slices/sliceline';
import { benjaminiHochberg } from '../../src/lib/slices/significance';

/** Every conjunction of up to `depth` predicates, scored: the answer the pruned search must reproduce. */
function bruteForce(
  codes: Int32Array[],
  card: number[],
  errors: Float64Array,
  depth: number,
  minSupport: number,
  alpha: number,
  k: number,
) {
  const n = errors.length;
  const avg = errors.reduce((a, b) => a + b, 0) / n;
  const out: { key: string; score: number }[] = [];
  const dimsets: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length) dimsets.push(acc);
    if (acc.length === depth) return;
    for (let d = start; d < codes.length; d++) rec(d + 1, [...acc, d]);
  };
  rec(0, []);
  for (const ds of dimsets) {
    const tuples: number[][] = [[]];
    for (const d of ds) {
      const next: number[][] = [];
      for (const t of tuples) for (let c = 1; c < card[d]!; c++) next.push([...t, c]);
      tuples.splice(0, tuples.length, ...next);
    }
    for (const t of tuples) {
      let size = 0;
      let sum = 0;
      for (let r = 0; r < n; r++) {
        if (ds.every((d, i) => codes[d]![r] === t[i])) {
          size++;
          sum += errors[r]!;
        }
      }
      if (size < minSupport || sum <= 0) continue;
      const score = sliceScore(size, sum, n, avg, alpha);
      if (score > 0) out.push({ key: ds.map((d, i) => `${d}:${t[i]}`).join(','), score });
    }
  }
  return out.sort((a, b) => b.score - a.score).slice(0, k);
}

describe('SliceLine', () => {
  it.each([1, 2, 3, 4, 5])('equals brute force on random data with real-valued errors (seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const n = 2000;
    const card = [4, 3, 5, 3];
    const codes = card.map((c) => Int32Array.from({ length: n }, () => 1 + Math.floor(random() * (c - 1)) + (random() < 0.05 ? -1 : 0)));
    const errors = Float64Array.from({ length: n }, (_, r) => {
      const bad = codes[0]![r] === 2 && codes[2]![r] === 1;
      return random() < (bad ? 0.5 : 0.15) ? random() * 3 : 0;
    });
    const result = await sliceLine({ codes, cardinality: card, errors }, { k: 8, maxDepth: 3, minSupport: 25, alpha: 0.9 });
    const expected = bruteForce(codes, card, errors, 3, 25, 0.9, 8);
    expect(result.top.map((s) => s.dims.map((d, i) => `${d}:${s.codes[i]}`).join(','))).toEqual(expected.map((e) => e.key));
    result.top.forEach((s, i) => expect(Math.abs(s.score - expected[i]!.score)).toBeLessThan(1e-12));
  });

  it.each([6, 7, 8])('equals brute force with 0/1 errors and byte codes (the counting fast path; seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const n = 2003; // not a multiple of 4: the unrolled loop's remainder counts too
    const card = [4, 3, 5, 3];
    const codes = card.map((c) => Uint8Array.from({ length: n }, () => 1 + Math.floor(random() * (c - 1)) + (random() < 0.05 ? -1 : 0)));
    const errors = Float64Array.from({ length: n }, (_, r) =>
      random() < (codes[1]![r] === 2 && codes[3]![r] === 1 ? 0.45 : 0.12) ? 1 : 0,
    );
    const result = await sliceLine({ codes, cardinality: card, errors }, { k: 8, maxDepth: 3, minSupport: 25, alpha: 0.9 });
    const expected = bruteForce(
      codes.map((c) => Int32Array.from(c)),
      card,
      errors,
      3,
      25,
      0.9,
      8,
    );
    expect(result.top.map((s) => s.dims.map((d, i) => `${d}:${s.codes[i]}`).join(','))).toEqual(expected.map((e) => e.key));
    result.top.forEach((s, i) => expect(Math.abs(s.score - expected[i]!.score)).toBeLessThan(1e-12));
    for (const s of result.tested) expect(s.errorSquares).toBe(s.errorSum);
  });

  it('equals brute force with 0/1 errors when a dimension has more than 128 codes (errors folded into 16-bit codes)', async () => {
    const random = seededRandom(9);
    const n = 6001;
    const card = [3, 200, 4];
    const codes = [
      Uint8Array.from({ length: n }, () => 1 + Math.floor(random() * 2)),
      Int32Array.from({ length: n }, () => Math.floor(random() * 200)),
      Uint8Array.from({ length: n }, () => Math.floor(random() * 4)),
    ];
    const errors = Float64Array.from({ length: n }, (_, r) =>
      random() < (codes[1]![r]! % 7 === 3 && codes[2]![r] === 2 ? 0.6 : 0.15) ? 1 : 0,
    );
    const result = await sliceLine({ codes, cardinality: card, errors }, { k: 6, maxDepth: 3, minSupport: 10, alpha: 0.9 });
    const expected = bruteForce(
      codes.map((c) => Int32Array.from(c)),
      card,
      errors,
      3,
      10,
      0.9,
      6,
    );
    expect(result.top.map((s) => s.dims.map((d, i) => `${d}:${s.codes[i]}`).join(','))).toEqual(expected.map((e) => e.key));
    result.top.forEach((s, i) => expect(Math.abs(s.score - expected[i]!.score)).toBeLessThan(1e-12));
  });

  it('upper bound is never below the score of a slice it bounds', () => {
    const random = seededRandom(9);
    for (let i = 0; i < 2000; i++) {
      const size = 10 + Math.floor(random() * 500);
      const emax = 0.1 + random() * 2;
      const sub = 10 + Math.floor(random() * (size - 9));
      const subErr = random() * sub * emax;
      const parentErr = subErr + random() * (size - sub) * emax;
      const ub = sliceScoreUpperBound(size, parentErr, emax, 5000, 0.3, 0.95, 10);
      expect(ub).toBeGreaterThanOrEqual(sliceScore(sub, subErr, 5000, 0.3, 0.95) - 1e-12);
    }
  });

  it('Benjamini-Hochberg matches the textbook step-up', () => {
    // statsmodels multipletests(p, method="fdr_bh") on these values gives:
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]).map((q) => Number(q.toFixed(10)))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
  });
});
