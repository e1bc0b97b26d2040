import { beforeAll, describe, expect, it } from 'vitest';
import { performanceApi } from '../../src/engine/api/performance';
import type { CostSettings } from '../../src/lib/metrics/costs';
import { ctx, testScheduler } from '../helpers/scheduler';
import { expectClose, iso, loadOpsFixture, opsFixture } from '../helpers/ops';

interface CostCase {
  costs: CostSettings;
  at: { threshold: number; per_prediction: number; total: number }[];
  best_threshold: number;
  best_per_prediction: number;
  curve: { thresholds: number[]; per_prediction: number[] };
  'by_day_at_0.3': { start: string; labelled: number; per_prediction: number }[];
  'by_origin_at_0.3': { value: string; labelled: number; per_prediction: number }[];
}
const fixture = opsFixture<{ labelled: number; threshold_of_predictions: number; cases: Record<string, CostCase> }>('costs.json');
const multiclass = opsFixture<{
  cases: Record<
    string,
    { costs: Record<string, Partial<CostSettings>>; per_prediction: number; by_month: { start: string; per_prediction: number }[] }
  >;
}>('multiclass_costs.json');

describe('costs of a binary classifier equal a numpy sweep over every distinct score', () => {
  let engine: ReturnType<typeof performanceApi>;
  let id: string;
  beforeAll(async () => {
    await loadOpsFixture('service_log.csv', 'cost_log');
    engine = performanceApi(await testScheduler());
    const prepared = await engine.preparePerformance(ctx('p'), {
      data: 'cost_log',
      choices: { label: 'delayed', score: 'score', prediction: 'prediction', timestamp: 'requested_at', id: 'request_id' },
    });
    id = prepared.id;
    // The predictions were made at score >= 0.3: the session reads the threshold from them.
    expect(prepared.summary.spec.threshold).toBe(fixture.threshold_of_predictions);
  });

  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name}: cost at thresholds, the cost-optimal threshold, the curve, by day and by origin`, async () => {
      const report = await engine.costs(ctx(`c-${name}`), id, c.costs, 0.3, 'origin');
      expect(report.at.n).toBe(fixture.labelled);
      expectClose(report.at.perPrediction, c.at[0]!.per_prediction, 'per prediction at 0.3');
      expect(report.best!.threshold).toBe(c.best_threshold);
      expectClose(report.best!.perPrediction, c.best_per_prediction, 'best per prediction');
      expect(report.swept).toBe(c.curve.thresholds.length);
      expect(report.curve.map((p) => p.threshold)).toEqual(c.curve.thresholds);
      report.curve.forEach((p, i) => expectClose(p.perPrediction, c.curve.per_prediction[i]!, `curve at ${p.threshold}`));
      for (const a of c.at) {
        const r = await engine.costs(ctx(`a-${name}`), id, c.costs, a.threshold);
        expectClose(r.at.perPrediction, a.per_prediction, `per prediction at ${a.threshold}`);
        expectClose(r.at.total, a.total, `total at ${a.threshold}`);
      }
      const days = new Map(report.windows!.map((w) => [iso(w.start), w]));
      expect(days.size).toBe(c['by_day_at_0.3'].length);
      for (const d of c['by_day_at_0.3']) {
        expect(days.get(d.start)?.n, d.start).toBe(d.labelled);
        expectClose(days.get(d.start)!.perPrediction, d.per_prediction, `day ${d.start}`);
      }
      const origins = new Map(report.slices!.rows.map((r) => [r.value, r]));
      expect(origins.size).toBeGreaterThan(5);
      let seen = 0;
      for (const o of c['by_origin_at_0.3']) {
        const row = origins.get(`origin = ${o.value}`); // as the slice table names its rows
        if (!row) continue; // origins past the dimension's most frequent values are not sliced on
        seen++;
        expect(row.n, o.value).toBe(o.labelled);
        expectClose(row.perPrediction, o.per_prediction, `origin ${o.value}`);
      }
      expect(seen).toBeGreaterThan(5);
    });
  }

  it('a threshold move gives the same costs from the cached counts, without a query', async () => {
    const c = fixture.cases['fraud_like']!;
    await engine.bySlice(ctx('s'), id, 'origin', 0.3);
    const at = engine.atThreshold(ctx('t'), id, 0.5, { dimension: 'origin', costs: c.costs });
    expectClose(at!.cost!.at.perPrediction, c.at[1]!.per_prediction, 'live cost at 0.5');
    expect(at!.cost!.best!.threshold).toBe(c.best_threshold);
    const queried = await engine.costs(ctx('q'), id, c.costs, 0.5, 'origin');
    expect(at!.cost!.slices).toEqual(queried.slices);
    expect(at!.cost!.windows).toEqual(queried.windows);
  });
});

describe('costs of a multiclass classifier: each class one-vs-rest, summed per row', () => {
  it('equals numpy overall and per month', async () => {
    await loadOpsFixture('weather_predictions.csv', 'weather');
    const engine = performanceApi(await testScheduler());
    const { id } = await engine.preparePerformance(ctx('p'), {
      data: 'weather',
      choices: { label: 'weather', prediction: 'predicted_weather', timestamp: 'date', task: 'multiclass' },
    });
    for (const [name, c] of Object.entries(multiclass.cases)) {
      const { '*': every, ...perClass } = c.costs;
      const settings: CostSettings = { fp: 0, fn: 0, tp: 0, tn: 0, ...(every ?? {}), perClass };
      const report = await engine.costs(ctx(name), id, settings, 0.5);
      expectClose(report.at.perPrediction, c.per_prediction, `${name} overall`);
      expect(report.best).toBeNull();
      const months = new Map(report.windows!.map((w) => [iso(w.start), w.perPrediction]));
      for (const m of c.by_month) expectClose(months.get(m.start), m.per_prediction, `${name} ${m.start}`);
    }
  });
});
