import { describe, expect, it } from 'vitest';
import { Float64, makeData } from 'apache-arrow';
import { sortFinite } from '../../src/lib/drift/radixSort';
import { columnsPerQuery, finiteValues, BATCH_VALUES } from '../../src/lib/drift/sides';
import { uniform } from '../helpers/seeded';

/** The built-in comparison sort, bit for bit (Object.is tells -0 from 0). */
function expectSameOrder(values: Float64Array, scratch?: Float64Array) {
  const want = values.slice().sort();
  const got = sortFinite(values.slice(), scratch);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
}

describe('sortFinite (radix sort of finite doubles)', () => {
  const u = uniform(50_000, 11);
  const v = uniform(50_000, 12);

  it('orders like Float64Array.sort across signs, magnitudes, subnormals, ties and -0', () => {
    const mixed = Float64Array.from(u, (x, i) => {
      if (i % 11 === 0) return -0;
      if (i % 13 === 0) return 0;
      if (i % 17 === 0) return (x - 0.5) * Number.MIN_VALUE * 1e3; // subnormals
      if (i % 19 === 0) return (x - 0.5) * Number.MAX_VALUE;
      if (i % 23 === 0) return Math.round(x * 10); // ties
      return (x - 0.5) * 10 ** Math.floor(v[i]! * 40 - 20);
    });
    expectSameOrder(mixed);
  });

  it('orders all-negative, all-equal and already sorted inputs', () => {
    expectSameOrder(Float64Array.from(u, (x) => -x * 1000));
    expectSameOrder(new Float64Array(10_000).fill(3.25));
    expectSameOrder(Float64Array.from(u).sort());
    expectSameOrder(Float64Array.from(u).sort().reverse());
  });

  it('uses a caller scratch buffer longer than the values, and sorts small inputs and subarrays', () => {
    expectSameOrder(
      Float64Array.from(v, (x) => x - 0.5),
      new Float64Array(80_000),
    );
    expectSameOrder(Float64Array.from([3, -1, 2, -0, 0, 1e-310]));
    const big = Float64Array.from(u, (x) => x * 7 - 3);
    const view = big.subarray(1000, 40_000);
    const want = view.slice().sort();
    sortFinite(view);
    expect(Array.from(view)).toEqual(Array.from(want));
    expect(big[999]).toBe(u[999]! * 7 - 3); // outside the view: untouched
  });
});

describe('finiteValues (Arrow DOUBLE chunks to finite values, NULLs and NaN/±inf counted)', () => {
  it('reads validity bits at the chunk offset and drops NaN and ±inf', () => {
    const values = Float64Array.from([1, Number.NaN, 2, Infinity, 3, -Infinity, 4, 5, 6, 7, 8]);
    // bit i set = valid; positions 2 and 9 (the values 2 and 7) are NULL.
    const nullBitmap = Uint8Array.from([0b11111011, 0b00000101]);
    const whole = makeData({ type: new Float64(), length: 11, nullCount: 2, nullBitmap, data: values });
    expect(finiteValues([whole])).toEqual({ values: Float64Array.from([1, 3, 4, 5, 6, 8]), nulls: 2, nonFinite: 3 });
    // A slice keeps the bitmap and moves the offset: positions 2..9 of the original.
    const slice = whole.slice(2, 8);
    expect(finiteValues([slice])).toEqual({ values: Float64Array.from([3, 4, 5, 6]), nulls: 2, nonFinite: 2 });
    expect(finiteValues([whole.slice(0, 2), whole.slice(2, 9)])).toEqual(finiteValues([whole]));
  });

  it('handles chunks without NULLs and empty input', () => {
    const d = makeData({ type: new Float64(), length: 3, nullCount: 0, data: Float64Array.from([2, Number.NaN, -1]) });
    expect(finiteValues([d])).toEqual({ values: Float64Array.from([2, -1]), nulls: 0, nonFinite: 1 });
    expect(finiteValues([])).toEqual({ values: new Float64Array(0), nulls: 0, nonFinite: 0 });
  });
});

describe('columnsPerQuery', () => {
  it('keeps one query under BATCH_VALUES values and pulls at least one column', () => {
    expect(columnsPerQuery(1_000_000)).toBe(Math.floor(BATCH_VALUES / 1_000_000));
    expect(columnsPerQuery(0)).toBe(BATCH_VALUES);
    expect(columnsPerQuery(50_000_000)).toBe(1);
  });
});
