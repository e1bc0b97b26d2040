import { describe, expect, it } from 'vitest';
import { binaryRates } from '../../src/lib/metrics/confusion';
import { regressionMetrics } from '../../src/lib/metrics/regression';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { literal } from '../../src/lib/sql';
import { expectMetric, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';

interface RegressionCase {
  name: string;
  y: number[];
  p: number[];
  n: number;
  [metric: string]: unknown;
}

const fx = readFixture<{
  regression: RegressionCase[];
  precision_no_predicted_positive: { y: number[]; sklearn: number; lantern: null };
}>('edge.json');

describe('edge cases against sklearn 1.2.1', () => {
  it.each(fx.regression.map((c, i) => [c.name, c, i] as const))('regression: %s', async (_, c, i) => {
    const db = await testDb();
    const table = `edge_reg_${i}`;
    const values = c.y.map((y, j) => `(${literal(y)}::DOUBLE, ${literal(c.p[j]!)}::DOUBLE)`).join(', ');
    await db.query(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM (VALUES ${values}) t(label, prediction)`);
    const spec: PerfSpec = { table, label: 'label', labelKind: 'numeric', prediction: 'prediction', task: 'regression', threshold: 0.5 };
    const m = await regressionMetrics(db, spec);
    expect(m.n).toBe(c.n);
    for (const k of ['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'] as const)
      expectMetric(m[k], c[k] as number | null, 1e-12, `${c.name}.${k}`);
  });

  it('precision without predicted positives: sklearn says 0 (with a warning), Lantern says undefined', () => {
    const c = fx.precision_no_predicted_positive;
    expect(c.sklearn).toBe(0);
    const positives = c.y.filter((v) => v === 1).length;
    const rates = binaryRates({ tp: 0, fp: 0, fn: positives, tn: c.y.length - positives });
    expect(rates.precision).toMatchObject({ defined: false });
    expectMetric(rates.recall, 0, 0, 'recall');
  });
});
