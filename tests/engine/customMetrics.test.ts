import { beforeAll, describe, expect, it } from 'vitest';
import { performanceApi } from '../../src/engine/api/performance';
import type { CustomMetric } from '../../src/lib/metrics/custom';
import { valueOrNull } from '../../src/lib/metrics/value';
import { ctx, testScheduler } from '../helpers/scheduler';
import { expectClose, iso, loadOpsFixture, opsFixture } from '../helpers/ops';

interface CustomCase {
  expression: string;
  overall: number | null;
  by_day: { start: string; value: number | null }[];
  by_origin: { value: string; metric: number | null }[];
  by_model_version: { value: string; metric: number | null }[];
}
const fixture = opsFixture<{ labelled: number; metrics: Record<string, CustomCase> }>('custom.json');
const metrics: CustomMetric[] = Object.entries(fixture.metrics).map(([name, c]) => ({ name, expression: c.expression }));

describe('custom metrics (one SQL aggregate over the labelled rows) equal pandas', () => {
  let engine: ReturnType<typeof performanceApi>;
  let id: string;
  beforeAll(async () => {
    await loadOpsFixture('service_log.csv', 'custom_log');
    engine = performanceApi(await testScheduler());
    ({ id } = await engine.preparePerformance(ctx('p'), {
      data: 'custom_log',
      choices: { label: 'delayed', score: 'score', prediction: 'prediction', timestamp: 'requested_at', id: 'request_id' },
    }));
  });

  it('overall, per day, per origin and per model version', async () => {
    for (const dimension of ['origin', 'model_version'] as const) {
      const r = await engine.customMetrics(ctx(dimension), id, metrics, dimension);
      expect(r.overall.labelled).toBe(fixture.labelled);
      for (const [name, c] of Object.entries(fixture.metrics)) {
        expectClose(valueOrNull(r.overall.values[name]), c.overall, `${name} overall`);
        const days = new Map(r.windows!.map((w) => [iso(w.start), valueOrNull(w.values[name])]));
        expect(days.size).toBe(c.by_day.length);
        for (const d of c.by_day) expectClose(days.get(d.start), d.value, `${name} on ${d.start}`);
        const rows = new Map(r.slices!.rows.map((s) => [s.value, valueOrNull(s.values[name])]));
        const expected = dimension === 'origin' ? c.by_origin : c.by_model_version;
        let seen = 0;
        for (const g of expected) {
          const label = `${dimension} = ${g.value}`; // as the slice table names its rows
          if (!rows.has(label)) continue; // origins past the dimension's most frequent values are not sliced on
          seen++;
          expectClose(rows.get(label), g.metric, `${name} for ${dimension} ${g.value}`);
        }
        expect(seen).toBeGreaterThan(1);
      }
    }
  });

  const refused: [string, string, RegExp][] = [
    ['unknown column', 'avg(delayd)', /unknown column "delayd"/],
    ['not an aggregate', 'delayed + 1', /not an aggregate.*"delayed"/],
    ['two expressions', 'avg(delayed), avg(score)', /more than one expression/],
    ['a statement', 'avg(delayed); DROP TABLE custom_log', /";"/],
    ['a subquery', 'avg((SELECT 1))', /starts a query/],
    ['another table', 'avg(delayed) FROM custom_log', /starts a query|not valid SQL/],
    ['a table function', "avg((FROM read_csv('x.csv')))", /starts a query|table function/],
    ['a window function', 'avg(delayed) OVER ()', /window function/],
    ['no aggregate', '1 + 1', /calls no aggregate/],
    ['a string', "string_agg(origin, ',')", /not a number/],
    ['unbalanced', 'avg(delayed', /not one complete expression/],
    ['empty', '   ', /is empty/],
  ];
  for (const [what, expression, message] of refused) {
    it(`refuses ${what}, naming the problem`, async () => {
      await expect(engine.checkCustomMetric(ctx(what), id, { name: 'm', expression })).rejects.toThrow(message);
    });
  }

  it('refuses a built-in metric name and nothing runs when one metric of several is invalid', async () => {
    await expect(engine.checkCustomMetric(ctx('b'), id, { name: 'accuracy', expression: 'avg(delayed)' })).rejects.toThrow(/built-in/);
    await expect(engine.customMetrics(ctx('several'), id, [metrics[0]!, { name: 'bad', expression: 'avg(nope)' }], null)).rejects.toThrow(
      /"bad" uses an unknown column "nope"/,
    );
  });
});
