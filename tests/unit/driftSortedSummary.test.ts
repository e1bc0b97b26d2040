/**
 * The one-pass summary of two sorted sides must give bit for bit the numbers of the ValueCounts path
 * (mergeSorted, then summarizeEcdf / referenceStd / histogram), which the scipy fixtures check: ties,
 * -0 and 0, one side entirely above the other, a few values among many, tiny and large samples.
 */
import { describe, expect, it } from 'vitest';
import { sturgesEdges } from '../../src/lib/drift/binning';
import { numericalDriftFromCounts, numericalDriftFromSorted } from '../../src/lib/drift/columnDrift';
import { histogram, mergeSorted, referenceStd, summarizeEcdf } from '../../src/lib/drift/ecdf';
import { seededRandom } from '../../src/lib/metrics/intervals';
import { sortFinite } from '../../src/lib/drift/radixSort';
import { distinctUpTo, pooledEnds, summarizeSorted } from '../../src/lib/drift/sortedSummary';

const sample = (n: number, seed: number, draw: (u: number) => number) => {
  const r = seededRandom(seed);
  return sortFinite(Float64Array.from({ length: n }, () => draw(r())));
};

const cases: [string, Float64Array, Float64Array][] = [
  ['continuous, shifted', sample(5000, 1, (u) => Math.tan(u - 0.5)), sample(4000, 2, (u) => Math.tan(u - 0.4) * 1.2)],
  [
    'rounded values: ties within and across sides',
    sample(20_000, 3, (u) => Math.round(u * 400) / 8),
    sample(9000, 4, (u) => Math.round(u * u * 400) / 8),
  ],
  [
    '-0 and 0 on both sides',
    Float64Array.from([-0, -0, 0, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]),
    Float64Array.from([-0, 0, 0, 3, 30]),
  ],
  [
    'max is zero, reached by -0 on the reference side',
    sample(100, 5, (u) => -Math.floor(u * 50)).map((v) => (v === 0 ? -0 : v)),
    Float64Array.from([-3, 0, 0]),
  ],
  ['current entirely above the reference', sample(3000, 6, (u) => u), sample(2000, 7, (u) => 10 + u)],
  ['current entirely below the reference', sample(3000, 8, (u) => u), sample(2000, 9, (u) => -10 - u)],
  ['one current value', sample(500, 10, (u) => u * 7), Float64Array.from([3.5])],
  ['21 reference values (just past value bins)', Float64Array.from({ length: 21 }, (_, i) => i), sample(50, 11, (u) => Math.floor(u * 30))],
  ['large: 200,000 vs 150,000', sample(200_000, 12, (u) => Math.log(u + 1e-9)), sample(150_000, 13, (u) => Math.log(u + 2e-9) * 1.01)],
];

describe('summarizeSorted = the ValueCounts path, bit for bit', () => {
  for (const [name, ref, cur] of cases) {
    it(name, () => {
      const vc = mergeSorted(ref, cur);
      const summary = summarizeEcdf(vc);
      const ends = pooledEnds(ref, cur);
      expect(Object.is(ends.lo, summary.lo) && Object.is(ends.hi, summary.hi)).toBe(true);
      const edges = sturgesEdges(ref.length + cur.length, summary.lo, summary.hi);
      const fused = summarizeSorted(ref, cur, edges);
      expect(fused.summary).toEqual(summary);
      expect(fused.refStd).toBe(referenceStd(vc));
      expect(fused.hist).toEqual(histogram(vc, edges));
      // The whole column result, whichever path it takes.
      expect(numericalDriftFromSorted('x', ref, cur)).toEqual(numericalDriftFromCounts('x', vc));
      expect(numericalDriftFromSorted('x', ref, cur, { method: 'chisquare' })).toEqual(
        numericalDriftFromCounts('x', vc, { method: 'chisquare' }),
      );
    });
  }

  it('handles empty sides as the ValueCounts path does (untestable)', () => {
    const some = Float64Array.from({ length: 30 }, (_, i) => i);
    const none = new Float64Array(0);
    expect(numericalDriftFromSorted('x', some, none)).toEqual(numericalDriftFromCounts('x', mergeSorted(some, none)));
    expect(numericalDriftFromSorted('x', none, some)).toEqual(numericalDriftFromCounts('x', mergeSorted(none, some)));
    expect(numericalDriftFromSorted('x', none, none).score).toBeNull();
  });

  it('counts distinct values only as far as asked', () => {
    expect(distinctUpTo(Float64Array.from([1, 1, 2, 3, 3, 4]), 10)).toBe(4);
    expect(distinctUpTo(Float64Array.from([1, 2, 3, 4, 5, 6]), 3)).toBe(3);
    expect(distinctUpTo(Float64Array.from([-0, 0]), 10)).toBe(1);
    expect(distinctUpTo(new Float64Array(0), 10)).toBe(0);
  });
});
