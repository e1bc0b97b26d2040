import { beforeAll, describe, expect, it } from 'vitest';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { inferRoles } from '../../src/lib/roles';
import type { ColumnInfo } from '../../src/lib/schema';
import { discoverSlices } from '../../src/lib/slices/discover';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
import { expectClose, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';
import { kindOf, loadFixture } from '../helpers/perf';

interface FxSlice {
  predicates: { column: string; value: string }[];
  n: number;
  score: number;
  metric: number;
  p_value: number;
}
const fx = readFixture<{
  alpha: number;
  min_support: number;
  k: number;
  overall: number;
  top: FxSlice[];
  planted: { column: string; value: string }[];
}>('slices.json');

describe('worst-slice discovery on a log with a planted bad slice', () => {
  let cols: ColumnInfo[];
  let spec: PerfSpec;
  beforeAll(async () => {
    cols = await loadFixture('slices.csv', 'sl');
    spec = {
      table: 'sl',
      label: 'label',
      labelKind: kindOf(cols, 'label'),
      prediction: 'prediction',
      predictionKind: kindOf(cols, 'prediction'),
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
  });

  it('finds exactly the brute-force SliceLine top-k (depth 3), planted slice first, with Welch p-values as scipy', async () => {
    const db = await testDb();
    const dims = await sliceDimensions(db, 'sl', cols, inferRoles(cols));
    expect(dims.map((d) => d.name).sort()).toEqual(['channel', 'country', 'device', 'plan', 'tenure']);
    const found = await discoverSlices(db, spec, dims, { maxDepth: 3, k: fx.k, minSupport: fx.min_support, alpha: fx.alpha });
    expectClose(found.overall, fx.overall, 1e-12, 'overall error');
    expect(found.slices.length).toBe(fx.top.length);
    found.slices.forEach((s, i) => {
      const e = fx.top[i]!;
      const got = s.predicates.map((p) => `${p.column}=${p.value}`).sort();
      expect(got).toEqual(e.predicates.map((p) => `${p.column}=${p.value}`).sort());
      expect(s.n).toBe(e.n);
      expectClose(s.score, e.score, 1e-12, `score ${i}`);
      expectClose(s.metric, e.metric, 1e-12, `metric ${i}`);
      expectClose(s.p_value, e.p_value, 1e-6, `p ${i}`);
    });
    const first = found.slices[0]!;
    expect(first.predicates.map((p) => `${p.column}=${p.value}`).sort()).toEqual(fx.planted.map((p) => `${p.column}=${p.value}`).sort());
    expect(first.significant).toBe(true);
    expect(first.difference).toBeGreaterThan(0.4);
    // Pruning did its job: far fewer slices evaluated than the 1 + 5*... lattice holds.
    expect(found.levels.length).toBeGreaterThan(1);
  });

  it('ranks by log loss or Brier when the classifier has scores, and rejects regression metrics', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE sl2 AS SELECT *, CASE WHEN prediction = 1 THEN 0.8 ELSE 0.2 END AS score FROM sl`);
    const dims = await sliceDimensions(db, 'sl2', cols, inferRoles(cols));
    const found = await discoverSlices(db, { ...spec, table: 'sl2', score: 'score' }, dims, {
      metric: 'log_loss',
      maxDepth: 2,
      minSupport: 30,
    });
    expect(found.slices[0]!.predicates.map((p) => p.column).sort()).toEqual(['channel', 'device']);
    await expect(discoverSlices(db, spec, dims, { metric: 'squared_error' })).rejects.toThrow(/regression/);
  });
});
