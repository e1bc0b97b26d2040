import { describe, expect, it } from 'vitest';
import type { Dimension } from '../../src/lib/slices/dimensions';
import { describeSlice } from '../../src/lib/slices/discover';
import type { EncodedRows } from '../../src/lib/slices/encode';
import { worsenedFromEncoded } from '../../src/lib/slices/worsened';
import { compareSliceWindows, windowComparison, worsenedRunsFromEncoded } from '../../src/lib/slices/worsenedRuns';
import { closeTo, expectClose, readFixture } from '../helpers/close';
import { encodeColumns, readCsv } from '../helpers/sliceFixtures';

interface FxComparison {
  label: string;
  window: number | null;
  n: number;
  metric: number;
  baseline_n: number;
  baseline_metric: number;
  difference: number;
  t: number;
  p_value: number;
  q_value: number;
}
interface FxRun extends FxComparison {
  predicates: { column: string; value: string }[];
  window_end: number | null;
  windows: number;
}
interface FxFamily {
  compared: FxComparison[];
  too_small: number;
  subsumed: number;
  runs: FxRun[];
}
const fx = readFixture<{
  min_support: number;
  fdr: number;
  min_effect: number;
  windows: number[];
  dimensions: string[];
  planted: { column: string; value: string }[];
  planted_onset: number;
  small: { column: string; value: string };
  earlier_windows: FxFamily;
  reference: FxFamily;
}>('windows.json');

const current = readCsv('windows.csv');
const reference = readCsv('windows_reference.csv');
const [cur, ref] = encodeColumns([current, reference], fx.dimensions);
const dims = cur!.dims;
const WEEK = 7 * 86_400_000;
const errorsOf = (rows: Record<string, string>[]) => Float64Array.from(rows, (r) => (r['label'] === r['prediction'] ? 0 : 1));
// Weekly windows from Monday 2024-01-01, as date_trunc('week', ...) gives them.
const windowOf = (ts: string) => Math.floor((Date.parse(`${ts.replace(' ', 'T')}Z`) - fx.windows[0]!) / WEEK);
const currentRows: EncodedRows = {
  codes: cur!.codes,
  cardinality: cur!.cardinality,
  errors: errorsOf(current),
  window: Int32Array.from(current, (r) => windowOf(r['timestamp']!)),
  windowStarts: fx.windows,
};
const referenceRows: EncodedRows = { codes: ref!.codes, cardinality: ref!.cardinality, errors: errorsOf(reference) };

function expectComparison(got: Omit<FxComparison, 'label'>, e: Omit<FxComparison, 'label'>, what: string) {
  expect(got.window, what).toBe(e.window);
  expect(got.n, what).toBe(e.n);
  expect(got.baseline_n, what).toBe(e.baseline_n);
  expectClose(got.metric, e.metric, 1e-9, `${what} metric`);
  expectClose(got.baseline_metric, e.baseline_metric, 1e-9, `${what} baseline`);
  closeTo(got.difference, e.difference, 1e-9, 1e-12);
  closeTo(got.t, e.t, 1e-9, 1e-12);
  closeTo(got.p_value, e.p_value, 0, 1e-6);
  closeTo(got.q_value, e.q_value, 0, 1e-6);
}

describe.each([
  ['earlier windows', undefined, fx.earlier_windows],
  ['the reference', referenceRows, fx.reference],
] as const)('slices of one or two conditions per weekly window against %s, against scipy and statsmodels', (_name, baseline, family) => {
  it('makes exactly the reference comparisons, each with its n, means, Welch t and p and BH q', async () => {
    const c = await compareSliceWindows(currentRows, baseline, {});
    expect(c.baseline).toBe(baseline ? 'reference' : 'earlier windows');
    expect(c.q.length).toBe(family.compared.length);
    expect(c.tooSmall).toBe(family.too_small);
    const expected = new Map(family.compared.map((e) => [`${e.label}@${e.window}`, e]));
    for (let i = 0; i < c.q.length; i++) {
      const got = windowComparison(c, i);
      const key = `${describeSlice(dims, c.slices[c.slice[i]!]!).label}@${got.window}`;
      expect(expected.get(key), key).toBeDefined();
      expectComparison(got, expected.get(key)!, key);
    }
  });

  it('groups consecutive significantly worse windows into runs from the onset, as the reference does', async () => {
    const found = await worsenedRunsFromEncoded(dims, currentRows, baseline, { limit: 100 });
    expect(found).toMatchObject({ compared: family.compared.length, tooSmall: family.too_small, subsumed: family.subsumed, fdr: fx.fdr });
    expect(found.runs.map((r) => [r.label, r.window, r.window_end, r.byWindow.length])).toEqual(
      family.runs.map((r) => [r.label, r.window, r.window_end, r.windows]),
    );
    found.runs.forEach((r, i) => {
      expectComparison(r, family.runs[i]!, r.label);
      expect(r.byWindow[0]).toEqual({ ...r.byWindow[0], window: r.window, n: r.n, q_value: r.q_value });
      for (const w of r.byWindow) expect(w.q_value).toBeLessThan(fx.fdr);
    });
  });

  it('finds the planted slice first, from the window it starts failing in', async () => {
    const [first] = (await worsenedRunsFromEncoded(dims, currentRows, baseline, {})).runs;
    expect(first!.predicates.map((p) => ({ column: p.column, value: p.value }))).toEqual(fx.planted);
    expect(first!.window).toBe(fx.planted_onset);
    expect(first!.window_end).toBe(fx.windows.at(-1));
  });

  it('never compares a slice with fewer rows than minSupport in a window, however bad it gets', async () => {
    const c = await compareSliceWindows(currentRows, baseline, {});
    const small = describeSlice(dims, { dims: [2], codes: [dims[2]!.values.find((v) => v.predicate.value === fx.small.value)!.code] });
    const involving = c.slices.filter((s) => describeSlice(dims, s).label.includes(small.label));
    expect(involving).toEqual([]);
    // It fails badly in the last weeks, on fewer than 30 rows a week.
    const late = current.filter((r) => r['channel'] === fx.small.value && windowOf(r['timestamp']!) >= 5);
    expect(late.filter((r) => r['label'] !== r['prediction']).length / late.length).toBeGreaterThan(0.6);
    for (let w = 0; w < fx.windows.length; w++)
      expect(current.filter((r) => r['channel'] === fx.small.value && windowOf(r['timestamp']!) === w).length).toBeLessThan(fx.min_support);
  });
});

describe('slice x window comparisons: edge cases', () => {
  const oneDim = (codes: number[], errors: number[], window: number[], windows: number): { dims: Dimension[]; rows: EncodedRows } => ({
    dims: [
      {
        name: 'd',
        kind: 'categorical',
        codeSql: '',
        values: [1, 2].map((v) => ({ code: v, predicate: { column: 'd', op: '=' as const, value: v }, where: '', label: `d = ${v}` })),
      },
    ],
    rows: {
      codes: [Uint8Array.from(codes)],
      cardinality: [3],
      errors: Float64Array.from(errors),
      window: Int32Array.from(window),
      windowStarts: Array.from({ length: windows }, (_, w) => w * 1000),
    },
  });

  it('compares a cell with exactly minSupport rows on each side and counts one with a row fewer as too small', async () => {
    // Window 0: d = 1 on 30 rows, d = 2 on 30; window 1: d = 1 on 30 rows, d = 2 on 29.
    const codes = [...Array<number>(30).fill(1), ...Array<number>(30).fill(2), ...Array<number>(30).fill(1), ...Array<number>(29).fill(2)];
    const errors = codes.map((_, r) => (r % 3 === 0 ? 1 : 0));
    const window = codes.map((_, r) => (r < 60 ? 0 : 1));
    const { rows } = oneDim(codes, errors, window, 2);
    const c = await compareSliceWindows(rows, undefined, { minSupport: 30 });
    expect(c.q.length).toBe(1);
    expect(windowComparison(c, 0)).toMatchObject({ window: 1000, n: 30, baseline_n: 30 });
    expect(c.tooSmall).toBe(1);
  });

  it('empty input, and a log without windows and without a reference: nothing to compare', async () => {
    const empty = oneDim([], [], [], 0);
    expect(await worsenedRunsFromEncoded(empty.dims, empty.rows, undefined, {})).toMatchObject({ compared: 0, tooSmall: 0, runs: [] });
    const { window: _w, windowStarts: _s, ...unwindowed } = oneDim([1, 2, 1, 2], [0, 1, 1, 0], [0, 0, 0, 0], 1).rows;
    const c = await compareSliceWindows(unwindowed, undefined, { minSupport: 2 });
    expect(c.q.length).toBe(0);
    expect(c.windowStarts).toEqual([null]);
  });

  it('without windows, against a reference: one comparison over the whole period (window null)', async () => {
    const { dims, rows } = oneDim([1, 1, 1, 2, 2, 2], [1, 1, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0], 1);
    const { window: _w, windowStarts: _s, ...whole } = rows;
    const ref: EncodedRows = {
      codes: [Uint8Array.from([1, 1, 1, 2, 2, 2])],
      cardinality: [3],
      errors: Float64Array.from([0, 0, 1, 0, 1, 0]),
    };
    const c = await compareSliceWindows(whole, ref, { minSupport: 2 });
    expect(c.q.length).toBe(2);
    expect(windowComparison(c, 0).window).toBeNull();
    expect((await worsenedRunsFromEncoded(dims, whole, ref, { minSupport: 2 })).baseline).toBe('reference');
  });

  it('every row the same error: every comparison has t = 0 and p = 1, no run', async () => {
    const codes = Array.from({ length: 400 }, (_, r) => 1 + (r % 2));
    const window = Array.from({ length: 400 }, (_, r) => Math.floor(r / 100));
    const { dims, rows } = oneDim(codes, new Array<number>(400).fill(-Math.log(0.3)), window, 4);
    const c = await compareSliceWindows(rows, undefined, {});
    expect(c.q.length).toBe(6);
    expect(new Set([...c.t, ...c.p])).toEqual(new Set([0, 1]));
    expect((await worsenedRunsFromEncoded(dims, rows, undefined, {})).runs).toEqual([]);
  });

  it('a gap in a run (a window not significantly worse) starts a new run', async () => {
    // d = 1 bad in windows 2, 3 and 5 (not 4); 200 rows a window per value.
    const n = 7 * 400;
    const window = Array.from({ length: n }, (_, r) => Math.floor(r / 400));
    const codes = Array.from({ length: n }, (_, r) => 1 + (r % 2));
    const errors = codes.map((c, r) => ((c === 1 && [2, 3, 5].includes(window[r]!) ? r % 10 < 8 : r % 10 < 2) ? 1 : 0));
    const { dims, rows } = oneDim(codes, errors, window, 7);
    const runs = (await worsenedRunsFromEncoded(dims, rows, undefined, {})).runs.filter((r) => r.label === 'd = 1');
    expect(runs.map((r) => [r.window, r.window_end, r.byWindow.length])).toEqual([
      [2000, 3000, 2],
      [5000, 5000, 1],
    ]);
  });
});

describe('the single-condition worsened list is unchanged', () => {
  it('still lists one line per slice, its strongest window', () => {
    const list = worsenedFromEncoded(dims, currentRows, undefined, {});
    expect(new Set(list.map((w) => w.label)).size).toBe(list.length);
    for (const w of list) expect(w.predicates.length).toBe(1);
  });
});
