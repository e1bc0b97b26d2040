import { describe, expect, it } from 'vitest';
import { mergeEdgeWindows, merge, without, type Grid, type Moments } from '../../src/lib/findings/grid';
import { jointContrast, jointShift } from '../../src/lib/findings/joint';
import { runsOf } from '../../src/lib/findings/scan';
import { contrastFactor, magnitudeFactor, reachFactor, severity } from '../../src/lib/findings/severity';
import { solve } from '../../src/lib/findings/scoreFit';
import { change, fmt, pct, whenText } from '../../src/lib/findings/text';
import { investigationUnit, minimumSupport, windowEnd } from '../../src/lib/findings/windows';
import { uniform } from '../helpers/seeded';

const moments = (xs: number[]): Moments => {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  return { n, mean, m2: xs.reduce((a, b) => a + (b - mean) ** 2, 0) };
};

describe("the investigation's parts", () => {
  it('merges and removes groups of values exactly (Chan et al.)', () => {
    const a = Array.from(uniform(137, 7), (u) => u * 10);
    const b = Array.from(uniform(59, 8), (u) => u * 3 - 1);
    const both = merge(moments(a), moments(b));
    const direct = moments([...a, ...b]);
    expect(both.n).toBe(direct.n);
    expect(both.mean).toBeCloseTo(direct.mean, 12);
    expect(both.m2).toBeCloseTo(direct.m2, 9);
    const back = without(both, moments(b));
    expect(back.mean).toBeCloseTo(moments(a).mean, 12);
    expect(back.m2).toBeCloseTo(moments(a).m2, 8);
    expect(without(moments(a), moments(a))).toEqual({ n: 0, mean: 0, m2: 0 });
  });

  it('tests every short run, every suffix and prefix, and the whole log, once each', () => {
    const runs = runsOf(20);
    const keys = runs.map(([a, b]) => `${a}:${b}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('0:19');
    expect(keys).toContain('6:19');
    expect(keys).toContain('0:2');
    expect(keys).toContain('4:7');
    expect(keys).not.toContain('2:16');
    for (const [a, b] of runs) expect(0 <= a && a <= b && b <= 19).toBe(true);
  });

  it('merges a first or last window with a fraction of a week into its neighbour', () => {
    const starts = [0, 1, 2, 3, 4];
    const rows = new Map([
      [0, 10],
      [1, 1000],
      [2, 1100],
      [3, 900],
      [4, 200],
    ]);
    const { starts: merged, index } = mergeEdgeWindows(starts, (w) => rows.get(w)!);
    expect(merged).toEqual([0, 2, 3]);
    expect([...index.entries()]).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 2],
    ]);
    expect(mergeEdgeWindows([0, 1], () => 5).starts).toEqual([0, 1]);
  });

  it('chooses windows that hold enough rows for a segment, and a minimum support from 30 to 200 rows', () => {
    const day = 86_400_000;
    expect(investigationUnit(91 * day, 72_000, 180)).toBe('week');
    expect(investigationUnit(5.5 * 365 * day, 5_500, 30)).toBe('year');
    expect(investigationUnit(6 * 7 * day, 30_000, 75)).toBe('week');
    expect(investigationUnit(0, 100, 30)).toBeNull();
    // A year of a few hundred rows: months, read in runs, rather than one window.
    expect(investigationUnit(365 * day, 228, 30)).toBe('month');
    expect(investigationUnit(70 * day, 200, 30)).toBe('week');
    expect(investigationUnit(400 * day, 80, 30)).toBe('quarter');
    expect(investigationUnit(365 * day, 20, 30)).toBe('year');
    expect(minimumSupport(1_000)).toBe(30);
    expect(minimumSupport(72_000)).toBe(180);
    expect(minimumSupport(10_000_000)).toBe(200);
    expect(new Date(windowEnd(Date.UTC(2001, 11, 1), 'month')).toISOString().slice(0, 10)).toBe('2002-01-01');
    expect(new Date(windowEnd(Date.UTC(2001, 9, 1), 'quarter')).toISOString().slice(0, 10)).toBe('2002-01-01');
  });

  it('says since when in words', () => {
    const week = 7 * 86_400_000;
    const starts = Array.from({ length: 10 }, (_, i) => Date.UTC(2001, 3, 2) + i * week);
    expect(whenText({ starts, from: 0, to: 9, unit: 'week' })).toBe('');
    expect(whenText({ starts, from: 6, to: 9, unit: 'week' })).toBe('from 2001-05-14');
    expect(whenText({ starts, from: 3, to: 3, unit: 'week' })).toBe('in the week of 2001-04-23');
    expect(whenText({ starts, from: 2, to: 3, unit: 'week' })).toBe('from 2001-04-16 to 2001-04-29');
    const months = [Date.UTC(2001, 0, 1), Date.UTC(2001, 1, 1), Date.UTC(2001, 2, 1)];
    expect(whenText({ starts: months, from: 1, to: 1, unit: 'month' })).toBe('in February 2001');
    expect(fmt(1473.7654)).toBe('1,474');
    expect(fmt(0.04211)).toBe('0.042');
    expect(pct(0.9625)).toBe('96%');
    expect(pct(0.029)).toBe('2.9%');
    expect(change(0.61)).toBe('+61%');
    expect(change(-0.12)).toBe('-12%');
    expect(change(3.9)).toBe('×4.9');
  });

  it('ranks on one scale: reach, contrast and magnitude each bounded, small or ordinary effects below clear ones', () => {
    expect(reachFactor(0.05)).toBe(1);
    expect(reachFactor(0)).toBe(0.35);
    expect(contrastFactor(3)).toBe(0.5);
    expect(contrastFactor(0)).toBe(0.25);
    expect(contrastFactor(Number.POSITIVE_INFINITY)).toBe(1);
    expect(magnitudeFactor(1)).toBeCloseTo(3 * Math.log1p(1 / 3), 12);
    const clear = severity({ kind: 'missing-values', magnitude: 20, reach: 0.012, contrast: 100 });
    const ordinary = severity({ kind: 'drift', magnitude: 12, reach: 0.003, contrast: 3 });
    const tiny = severity({ kind: 'drift', magnitude: 2, reach: 0.5, contrast: 1 });
    expect(clear).toBeGreaterThan(ordinary);
    expect(ordinary).toBeGreaterThan(tiny);
    expect(severity({ kind: 'drift', magnitude: 12, reach: 0.003, contrast: 3, expected: true })).toBeLessThan(ordinary);
    for (const s of [clear, ordinary, tiny]) expect(s >= 0 && s <= 100).toBe(true);
  });

  it('solves the normal equations', () => {
    const x = solve(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      [1, 2, 3],
    )!;
    // numpy.linalg.solve([[4,1,0],[1,3,1],[0,1,2]], [1,2,3])
    expect(x[0]).toBeCloseTo(0.2222222222222222, 12);
    expect(x[1]).toBeCloseTo(0.1111111111111111, 12);
    expect(x[2]).toBeCloseTo(1.4444444444444444, 12);
    expect(solve([[0]], [1])).toBeNull();
  });

  it("compares a segment's reconstruction error with its reference, and with the rise of the other rows of its windows", () => {
    const grid = {} as Grid;
    const cur: Moments = { n: 50, mean: 2, m2: 50 * 0.25 };
    const rest: Moments = { n: 400, mean: 1.2, m2: 400 * 0.16 };
    const ref = (mean: number): Moments => ({ n: 1000, mean, m2: 1000 * 0.2 });
    // Against the reference alone: +100%, Welch's test (scipy.stats.ttest_ind_from_stats, equal_var=False) against the reference.
    const shift = jointShift(grid, 0, 'e').compare(cur, ref(1))!;
    expect(shift.effect).toBeCloseTo(1, 12);
    expect(shift.detail).toMatchObject({ error: 2, baselineError: 1 });
    expect(jointShift(grid, 0, 'e').compare(ref(1), cur)).toMatchObject({ effect: 0, p: 1 });
    // Against the other rows: they rose from 1.1 to 1.2 and the segment's reference is 0.9, so 0.9 x 1.2 / 1.1
    // was expected; 2 is +103.7% past it. Welch's test against the rest scaled to that expectation:
    // ttest_ind_from_stats(2, sqrt(12.5/49), 50, 0.98182, sqrt(64 r^2/399), 400, equal_var=False), r = 0.98182/1.2.
    const contrast = jointContrast(grid, 0, 'e').compare({ log: cur, reference: ref(0.9) }, { log: rest, reference: ref(1.1) })!;
    expect(contrast.detail['expected']).toBeCloseTo(0.9818181818181818, 12);
    expect(contrast.effect).toBeCloseTo(1.0370370370370372, 12);
    expect(contrast.p / 1.6241914420115735e-19).toBeCloseTo(1, 6);
    // Same rise everywhere: nothing of the segment's own.
    const same = jointContrast(grid, 0, 'e').compare(
      { log: { ...cur, mean: 1.2 * 0.9 }, reference: ref(0.9) },
      { log: rest, reference: ref(1) },
    )!;
    expect(same.effect).toBeCloseTo(0, 12);
    // A reference without rows (or errors of zero) gives no comparison, never a division by zero.
    expect(jointContrast(grid, 0, 'e').compare({ log: cur, reference: ref(0) }, { log: rest, reference: ref(1) })).toBeNull();
  });
});
