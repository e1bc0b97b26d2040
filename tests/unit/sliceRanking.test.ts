import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/metrics/intervals';
import { CellCounter } from '../../src/lib/slices/cells';
import type { Dimension } from '../../src/lib/slices/dimensions';
import { describeSlice } from '../../src/lib/slices/discover';
import { rankSlices, testSlices, type SliceTest } from '../../src/lib/slices/ranked';
import { effectSizeFromSums, welchFromSums } from '../../src/lib/slices/significance';
import { sliceLine, sliceScore } from '../../src/lib/slices/sliceline';
import { closeTo, expectClose, readFixture } from '../helpers/close';
import { encodeColumns, predicateKey, readCsv } from '../helpers/sliceFixtures';

interface FxSlice {
  predicates: { column: string; value: string | null }[];
  label: string;
  n: number;
  metric: number;
  rest_n: number;
  rest_metric: number;
  difference: number;
  effect_size: number;
  t: number;
  p_value: number;
  q_value: number;
  excess_error: number;
}
interface FxFamily {
  slices: FxSlice[];
  ranked: string[];
  significant: number;
  below_effect: number;
  subsumed: number;
}
const fx = readFixture<{
  rows: number;
  overall: number;
  error_sum: number;
  min_support: number;
  fdr: number;
  min_effect: number;
  planted: { column: string; value: string }[];
  planted_n: number;
  planted_metric: number;
  mild: { column: string; value: string }[];
  planted_sliceline_score: number;
  null_not_sliceable: FxFamily;
  null_as_value: FxFamily;
}>('ranked.json');

const COLUMNS = ['channel', 'device', 'plan', 'country'];
const csv = readCsv('ranked.csv');
// Log loss per row as rowErrorSql computes it (scores are within [0.001, 0.999]: no clipping).
const errors = Float64Array.from(csv, (r) => (r['label'] === '1' ? -Math.log(Number(r['score'])) : -Math.log(1 - Number(r['score']))));

function encoded(nullAsValue: boolean) {
  const [e] = encodeColumns([csv], COLUMNS, nullAsValue);
  return { dims: e!.dims, rows: { codes: e!.codes, cardinality: e!.cardinality, errors } };
}

const keyOf = (dims: Dimension[], s: Pick<SliceTest, 'dims' | 'codes'>) =>
  predicateKey(describeSlice(dims, s).predicates.map((p) => ({ column: p.column, value: p.value })));

describe('ranking of one- and two-condition slices against scipy and statsmodels', () => {
  it.each([
    ['missing country in no slice (code 0)', false, fx.null_not_sliceable],
    ['missing country as a value of its own', true, fx.null_as_value],
  ] as const)('every slice tested: n, means, effect size, Welch t and p, BH q, excess error (%s)', async (_what, nullAsValue, family) => {
    const { dims, rows } = encoded(nullAsValue);
    const tested = await testSlices(rows, { minSupport: fx.min_support });
    expect(tested.rows).toBe(fx.rows);
    expectClose(tested.overall, fx.overall, 1e-12, 'overall');
    expectClose(tested.errorSum, fx.error_sum, 1e-12, 'error sum');
    expect(tested.tests.length).toBe(family.slices.length);
    const expected = new Map(family.slices.map((s) => [predicateKey(s.predicates), s]));
    for (const t of tested.tests) {
      const key = keyOf(dims, t);
      const e = expected.get(key)!;
      expect(e, key).toBeDefined();
      expect(t.n, key).toBe(e.n);
      expect(t.rest_n, key).toBe(e.rest_n);
      expectClose(t.metric, e.metric, 1e-9, `${key} metric`);
      expectClose(t.rest_metric, e.rest_metric, 1e-9, `${key} rest metric`);
      // Differences of nearly equal means lose digits to cancellation in both: relative 1e-9 or 1e-12 absolute.
      closeTo(t.difference, e.difference, 1e-9, 1e-12);
      closeTo(t.effect_size, e.effect_size, 1e-9, 1e-12);
      closeTo(t.t, e.t, 1e-9, 1e-12);
      closeTo(t.excess_error, e.excess_error, 1e-9, 1e-10);
      closeTo(t.p_value, e.p_value, 0, 1e-6);
      closeTo(t.q_value, e.q_value, 0, 1e-6);
    }
  });

  it.each([
    ['missing country in no slice (code 0)', false, fx.null_not_sliceable],
    ['missing country as a value of its own', true, fx.null_as_value],
  ] as const)(
    'ranks as the reference does, the planted small severe slice in the top 3 and the large mild one not at all (%s)',
    async (_w, nullAsValue, family) => {
      const { dims, rows } = encoded(nullAsValue);
      const ranking = await rankSlices(dims, rows, { minSupport: fx.min_support });
      expect(ranking.slices.map((s) => s.label)).toEqual(family.ranked);
      expect(ranking).toMatchObject({
        tested: family.slices.length,
        significant: family.significant,
        belowEffect: family.below_effect,
        subsumed: family.subsumed,
        fdr: fx.fdr,
        minEffect: fx.min_effect,
      });
      const planted = predicateKey(fx.planted);
      const top3 = ranking.slices.slice(0, 3).map((s) => predicateKey(s.predicates.map((p) => ({ column: p.column, value: p.value }))));
      expect(top3).toContain(planted);
      const first = ranking.slices.find((s) => s.label === 'channel = partner AND device = tablet')!;
      expect(first.n).toBe(fx.planted_n);
      expectClose(first.metric, fx.planted_metric, 1e-9, 'planted metric');
      expectClose(first.excess_share, first.excess_error / fx.error_sum, 1e-12, 'excess share');
      expect(first.n / fx.rows).toBeLessThan(0.011);
      // The mild slice is significant and adds more error than the planted one, but its effect is negligible.
      const mild = family.slices.find((s) => predicateKey(s.predicates) === predicateKey(fx.mild))!;
      expect(mild.q_value).toBeLessThan(fx.fdr);
      expect(mild.excess_error).toBeGreaterThan(first.excess_error);
      expect(mild.effect_size).toBeLessThan(fx.min_effect);
      expect(ranking.slices.map((s) => s.label)).not.toContain('plan = free');
    },
  );

  it("SliceLine's top-k (alpha 0.95) does not contain the planted slice: its score is negative", async () => {
    const { dims, rows } = encoded(false);
    const result = await sliceLine(rows, { k: 10, maxDepth: 2, minSupport: fx.min_support, alpha: 0.95 });
    expect(result.top.map((s) => keyOf(dims, s))).not.toContain(predicateKey(fx.planted));
    expectClose(sliceScore(fx.planted_n, fx.planted_n * fx.planted_metric, fx.rows, fx.overall, 0.95), fx.planted_sliceline_score, 1e-9);
    expect(fx.planted_sliceline_score).toBeLessThan(0);
  });

  it("reuses SliceLine's counting passes with the same result as counting alone", async () => {
    const { dims, rows } = encoded(true);
    const alone = await rankSlices(dims, rows, { minSupport: fx.min_support });
    const counter = new CellCounter(rows);
    await sliceLine(rows, { maxDepth: 2, minSupport: fx.min_support, counter });
    const passes: number[] = [];
    const shared = await rankSlices(dims, rows, { minSupport: fx.min_support, counter, onProgress: (p) => passes.push(p.done) });
    expect(shared).toEqual(alone);
    // SliceLine counted every dimension; only the pairs its score bound skipped are counted again.
    expect(passes.length).toBeLessThan(1 + (COLUMNS.length * (COLUMNS.length - 1)) / 2 + 1);
  });
});

/** Codes and errors built by hand for the edge cases. */
function rowsOf(codes: number[][], errors: number[]) {
  const cardinality = codes.map((c) => c.reduce((x, y) => Math.max(x, y), 1) + 1);
  const dims: Dimension[] = cardinality.map((card, d) => ({
    name: `d${d}`,
    kind: 'categorical',
    codeSql: '',
    values: Array.from({ length: card - 1 }, (_, i) => ({
      code: i + 1,
      predicate: { column: `d${d}`, op: '=' as const, value: i + 1 },
      where: '',
      label: `d${d} = ${i + 1}`,
    })),
  }));
  return { dims, rows: { codes: codes.map((c) => Uint8Array.from(c)), cardinality, errors: Float64Array.from(errors) } };
}

describe('ranking edge cases', () => {
  const random = seededRandom(11);
  const n = 400;
  const a = Array.from({ length: n }, (_, r) => 1 + (r % 4));
  const b = Array.from({ length: n }, () => 1 + Math.floor(random() * 3));

  it('empty input: nothing tested, nothing ranked', async () => {
    const { dims, rows } = rowsOf([[], []], []);
    const ranking = await rankSlices(dims, rows, {});
    expect(ranking).toMatchObject({ rows: 0, tested: 0, significant: 0, slices: [] });
  });

  it('every row the same error (no variance anywhere): t = 0, p = 1, effect 0, nothing ranked', async () => {
    for (const value of [0, 1, -Math.log(0.7), 0.1]) {
      const { dims, rows } = rowsOf([a, b], new Array<number>(n).fill(value));
      const tested = await testSlices(rows, { minSupport: 20 });
      expect(tested.tests.length).toBe(4 + 3 + 12);
      for (const t of tested.tests) expect([t.t, t.p_value, t.q_value, t.effect_size]).toEqual([0, 1, 1, 0]);
      expect((await rankSlices(dims, rows, { minSupport: 20 })).slices).toEqual([]);
    }
  });

  it('a million rows of the same error not a binary fraction: the rounding of the sums is not taken for spread', async () => {
    const m = 1_000_000;
    const { rows } = rowsOf([Array.from({ length: m }, (_, r) => 1 + (r % 7))], new Array<number>(m).fill(0.3567));
    for (const t of (await testSlices(rows, { minSupport: 20 })).tests) expect([t.t, t.p_value, t.effect_size]).toEqual([0, 1, 0]);
  });

  it('a slice with no spread against a rest with no spread and a different mean: infinite t and effect, p = 0', () => {
    expect(welchFromSums(30, 30, 30, 70, 0, 0)).toEqual({ t: Infinity, df: 98, p: 0 });
    expect(effectSizeFromSums(30, 30, 30, 70, 0, 0)).toBe(Infinity);
    expect(effectSizeFromSums(1, 1, 1, 70, 0, 0)).toBeUndefined();
  });

  it('a slice with exactly minSupport rows is tested, one row fewer is not', async () => {
    // d0 = 2 on exactly 25 rows, d0 = 3 on 24.
    const codes = Array.from({ length: n }, (_, r) => (r < 25 ? 2 : r < 49 ? 3 : 1));
    const errors = Array.from({ length: n }, (_, r) => (r < 25 ? 0.9 + 0.01 * (r % 5) : 0.2 + 0.01 * (r % 7)));
    const { dims, rows } = rowsOf([codes], errors);
    const tested = await testSlices(rows, { minSupport: 25 });
    expect(tested.tests.map((t) => [t.codes[0], t.n])).toEqual([
      [1, 351],
      [2, 25],
    ]);
    const ranking = await rankSlices(dims, rows, { minSupport: 25 });
    expect(ranking.slices[0]!.label).toBe('d0 = 2');
  });

  it('rows with code 0 are in no slice of that dimension but in the rest of every slice', async () => {
    const codes = Array.from({ length: n }, (_, r) => (r % 10 === 0 ? 0 : 1 + (r % 2)));
    const errors = Array.from({ length: n }, (_, r) => (r % 3 === 0 ? 1 : 0));
    const { rows } = rowsOf([codes], errors);
    const tested = await testSlices(rows, { minSupport: 10 });
    const sizes = tested.tests.map((t) => t.n);
    expect(sizes).toEqual([160, 200]);
    for (const t of tested.tests) expect(t.rest_n).toBe(n - t.n);
    const inSlice = errors.filter((_, r) => codes[r] === 1);
    expectClose(tested.tests[0]!.metric, inSlice.reduce((x: number, y) => x + y, 0) / inSlice.length, 1e-12);
  });

  it('a dimension with one value: its slice is every row (not testable) and its pairs repeat the other condition (subsumed)', async () => {
    const errors = Array.from({ length: n }, (_, r) => (a[r] === 2 ? 0.8 + 0.1 * (r % 3) : 0.2 + 0.1 * (r % 3)));
    const one = new Array<number>(n).fill(1);
    const { dims, rows } = rowsOf([a, one], errors);
    const tested = await testSlices(rows, { minSupport: 20 });
    expect(tested.tests.filter((t) => t.dims.length === 1 && t.dims[0] === 1)).toEqual([]);
    const ranking = await rankSlices(dims, rows, { minSupport: 20 });
    expect(ranking.slices.map((s) => s.label)).toEqual(['d0 = 2']);
    expect(ranking.subsumed).toBe(1);
  });

  it('a two-condition slice explained by one of its conditions is dropped; one clearly worse than its condition is kept', async () => {
    // d0 = 2 is bad throughout (d0 = 2 AND d1 = x is no worse than the rest of d0 = 2); d0 = 3 AND d1 = 1 is bad alone.
    const errors = Array.from({ length: 4000 }, (_, r) => {
      const x = 1 + (r % 4);
      const y = 1 + (Math.floor(r / 4) % 3);
      const noise = 0.05 * ((r * 7919) % 11);
      return (x === 2 ? 0.9 : x === 3 && y === 1 ? 1.2 : 0.3) + noise;
    });
    const codes0 = Array.from({ length: 4000 }, (_, r) => 1 + (r % 4));
    const codes1 = Array.from({ length: 4000 }, (_, r) => 1 + (Math.floor(r / 4) % 3));
    const { dims, rows } = rowsOf([codes0, codes1], errors);
    const ranking = await rankSlices(dims, rows, { minSupport: 50 });
    const labels = ranking.slices.map((s) => s.label);
    expect(labels).toContain('d0 = 2');
    expect(labels).toContain('d0 = 3 AND d1 = 1');
    expect(labels.filter((l) => l.startsWith('d0 = 2 AND'))).toEqual([]);
    expect(ranking.subsumed).toBeGreaterThanOrEqual(3);
  });

  it('lists at most `limit` slices, at least the default 10 when there are that many', async () => {
    const card = 30;
    const codes = Array.from({ length: 6000 }, (_, r) => 1 + (r % card));
    const errors = Array.from({ length: 6000 }, (_, r) => (r % card < 14 ? 1.5 : 0.2) + 0.1 * ((r * 31) % 7));
    const { dims, rows } = rowsOf([codes], errors);
    expect((await rankSlices(dims, rows, { minSupport: 50 })).slices.length).toBe(10);
    expect((await rankSlices(dims, rows, { minSupport: 50, limit: 14 })).slices.length).toBe(14);
  });
});
