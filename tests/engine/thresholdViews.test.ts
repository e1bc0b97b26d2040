import { beforeAll, describe, expect, it } from 'vitest';
import { performanceApi } from '../../src/engine/api/performance';
import type { BinaryMetrics } from '../../src/lib/metrics/binary';
import { metricsByGroup } from '../../src/lib/metrics/performance';
import type { MetricValue } from '../../src/lib/metrics/value';
import { windowSql } from '../../src/lib/metrics/time';
import { inferRoles } from '../../src/lib/roles';
import { describeTable } from '../../src/lib/schema';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
import { discoverSlices } from '../../src/lib/slices/discover';
import { worsenedSlices } from '../../src/lib/slices/worsened';
import { testDb } from '../helpers/db';
import { ctx, testScheduler } from '../helpers/scheduler';
import { loadFixture } from '../helpers/perf';
import { BINARY_METRIC_NAMES } from '../helpers/metricNames';

const NAMES = BINARY_METRIC_NAMES;

/** Same definedness, values within `rel` relative (the SQL path sums in another order). */
function expectSame(a: BinaryMetrics, b: BinaryMetrics, what: string, rel = 1e-12) {
  expect(a.n, `${what}.n`).toBe(b.n);
  expect(a.positives, `${what}.positives`).toBe(b.positives);
  for (const k of NAMES) {
    const x: MetricValue = a[k];
    const y: MetricValue = b[k];
    expect(x.defined, `${what}.${k} defined`).toBe(y.defined);
    if (x.defined && y.defined)
      expect(Math.abs(x.value - y.value), `${what}.${k}`).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(y.value)));
  }
}

describe('a threshold move answered from cached per-score counts', () => {
  let engine: ReturnType<typeof performanceApi>;
  let id: string;

  beforeAll(async () => {
    await loadFixture('log.csv', 'tv_log');
    engine = performanceApi(await testScheduler());
    const prepared = await engine.preparePerformance(ctx('p'), {
      data: 'tv_log',
      choices: { label: 'label', score: 'score', timestamp: 'timestamp', id: 'prediction_id' },
    });
    id = prepared.id;
    await engine.overall(ctx('o'), id, 0.5);
    await engine.overTime(ctx('t'), id, 0.5);
    await engine.bySlice(ctx('s'), id, 'region', 0.5);
    await engine.heatmap(ctx('h'), id, 'region', 'timestamp.day_of_week', 'f1', 0.5);
  });

  it('equals the SQL computation at every threshold: overall, per window, per slice value, per heatmap cell', async () => {
    const db = await testDb();
    const summary = (
      await engine.preparePerformance(
        ctx('p2'),
        { data: 'tv_log', choices: { label: 'label', score: 'score', timestamp: 'timestamp', id: 'prediction_id' } },
        'second',
      )
    ).summary;
    const spec0 = summary.spec;
    // Thresholds between, at and beyond the scores (ties at a score fall on the positive side).
    for (const t of [0, 0.2, 0.331, 0.4327, 0.5, 0.73, 1, 1.5]) {
      const at = engine.atThreshold(ctx('a'), id, t, {
        dimension: 'region',
        heat: { x: 'region', y: 'timestamp.day_of_week', metric: 'f1' },
      })!;
      expect(at.threshold).toBe(t);
      const spec = { ...spec0, threshold: t };
      const [overall] = await metricsByGroup(db, spec, []);
      expectSame(at.metrics, overall!.metrics as BinaryMetrics, `overall@${t}`);
      expect(at.confusion.tp + at.confusion.fn).toBe(at.metrics.positives);

      const ts = `CAST(${'"timestamp"'} AS TIMESTAMP)`;
      const byDay = await metricsByGroup(db, spec, [{ sql: `epoch_ms(${windowSql(ts, summary.windowUnit!)})`, as: 'w' }], {
        where: `${ts} IS NOT NULL`,
      });
      const windows = at.overTime!.windows.filter((w) => w.metrics);
      expect(windows.map((w) => w.start)).toEqual(byDay.map((g) => Number(g.key['w'])));
      windows.forEach((w, i) => expectSame(w.metrics as BinaryMetrics, byDay[i]!.metrics as BinaryMetrics, `window ${w.start}@${t}`));

      const byRegion = await metricsByGroup(db, spec, [{ sql: '"region"', as: 'r' }]);
      const sql = new Map(byRegion.map((g) => [`region = ${String(g.key['r'])}`, g.metrics as BinaryMetrics]));
      expect(at.bySlice!.rows.map((r) => r.value).sort()).toEqual([...sql.keys()].sort());
      for (const r of at.bySlice!.rows) expectSame(r.metrics as BinaryMetrics, sql.get(r.value)!, `${r.value}@${t}`);

      const cells = await engine.heatmap(ctx('h2'), id, 'region', 'timestamp.day_of_week', 'f1', t);
      expect(at.heat!.cells).toEqual(cells);
      expect(at.ms).toBeLessThan(200);
    }
  });

  it('findSlices (one encoding for discovery and the worsened comparisons) equals the separate analyses', async () => {
    const db = await testDb();
    const { summary } = await engine.preparePerformance(
      ctx('p3'),
      { data: 'tv_log', choices: { label: 'label', score: 'score', timestamp: 'timestamp', id: 'prediction_id' } },
      'third',
    );
    const dims = await sliceDimensions(
      db,
      summary.spec.table,
      await describeTable(db, summary.spec.table),
      inferRoles(await describeTable(db, summary.spec.table)),
      {
        timestamp: { column: 'timestamp', sql: 'CAST("timestamp" AS TIMESTAMP)' },
      },
    );
    const windowExpr = windowSql('CAST("timestamp" AS TIMESTAMP)', summary.windowUnit === 'day' ? 'week' : summary.windowUnit!);
    // The second and third searches reuse the session's codes and scores (0/1 errors computed in JS).
    for (const t of [0.4, 0.6, 0.4327]) {
      const spec = { ...summary.spec, threshold: t };
      const found = await engine.findSlices(ctx(`f${t}`), id, { maxDepth: 2, threshold: t });
      expect(found.discovery).toEqual(await discoverSlices(db, spec, dims, { maxDepth: 2 }));
      expect(found.worsened).toEqual(
        await worsenedSlices(
          db,
          spec,
          dims.filter((d) => d.kind !== 'time'),
          { windowSql: windowExpr },
        ),
      );
    }
  });
});
