import { describe, expect, it } from 'vitest';
import type { MulticlassMetrics } from '../../src/lib/metrics/multiclass';
import { overallPerformance } from '../../src/lib/metrics/performance';
import { preparePerformance } from '../../src/lib/metrics/setup';
import { argmaxClassSql, predictionTextSql } from '../../src/lib/metrics/spec';
import { expectMetric, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';
import { loadFixture } from '../helpers/perf';
import { MULTICLASS_METRIC_NAMES } from '../helpers/metricNames';

const fx = readFixture<{
  overall: Record<string, number> & { prediction: string[]; classes: string[]; confusion: number[][] };
}>('multiclass_argmax.json');

describe('multiclass without a prediction column: argmax of the per-class probabilities', () => {
  it('infers p_<class> columns, predicts the argmax with ties to the first class, and matches sklearn', async () => {
    await loadFixture('multiclass_argmax.csv', 'mc_am');
    const db = await testDb();
    const setup = await preparePerformance(db, { data: 'mc_am', out: 'mc_am_rows', choices: { label: 'label', id: 'id' } });
    const spec = setup.spec;
    expect(spec.task).toBe('multiclass');
    expect(spec.prediction).toBeUndefined();
    expect(spec.predictionFromScores).toBe(true);
    expect(spec.classScores).toEqual(['bird', 'cat', 'dog'].map((c) => ({ cls: c, column: `p_${c}` })));
    const rows = await db.query(`SELECT ${predictionTextSql(spec)} AS p FROM mc_am_rows ORDER BY id`);
    expect(rows.map((r) => r['p'])).toEqual(fx.overall.prediction);
    const m = (await overallPerformance(db, spec)).metrics as MulticlassMetrics;
    expect(m.n).toBe(fx.overall['n']);
    for (const k of MULTICLASS_METRIC_NAMES) expectMetric(m[k], fx.overall[k]!, 1e-12, k);
    expect(m.classes.map((c) => c.cls)).toEqual(fx.overall.classes);
    expect(m.confusion).toEqual(fx.overall.confusion);
  });

  it('leaves a row with a missing probability unpredicted and lets NaN win as numpy does', async () => {
    const db = await testDb();
    const sql = argmaxClassSql([
      { cls: 'a', column: 'x' },
      { cls: 'b', column: 'y' },
      { cls: 'c', column: 'z' },
    ]);
    const rows = await db.query(
      `SELECT ${sql} AS p FROM (VALUES (1, 0.2, 0.5, 0.5), (2, NULL, 0.1, 0.2), (3, 0.1, 'NaN'::DOUBLE, 0.9), (4, 0.7, 0.7, 0.7), (5, 0.1, 0.2, 0.3)) t(i, x, y, z) ORDER BY i`,
    );
    expect(rows.map((r) => r['p'])).toEqual(['b', null, 'b', 'a', 'c']);
  });
});
