import { beforeAll, describe, expect, it } from 'vitest';
import { joinDelayedLabels } from '../../src/lib/labels/join';
import { inferPositiveClass, inferTask, profileLabels } from '../../src/lib/labels/task';
import type { BinaryMetrics } from '../../src/lib/metrics/binary';
import { binaryByGroupSql } from '../../src/lib/metrics/groupedBinary';
import type { MulticlassMetrics } from '../../src/lib/metrics/multiclass';
import { metricsByGroup, overallPerformance } from '../../src/lib/metrics/performance';
import type { RegressionMetrics } from '../../src/lib/metrics/regression';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { timestampSql } from '../../src/lib/metrics/time';
import { metricsOverTime } from '../../src/lib/metrics/windows';
import { ident } from '../../src/lib/sql';
import { expectClose, expectMetric, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';
import { kindOf, loadFixture } from '../helpers/perf';
import { BINARY_METRIC_NAMES, MULTICLASS_METRIC_NAMES } from '../helpers/metricNames';

type Expected = Record<string, number | null>;
const BINARY = BINARY_METRIC_NAMES;

function expectBinary(m: BinaryMetrics, e: Expected, what: string, rel = 1e-12) {
  expect(m.n, `${what}.n`).toBe(e['n']);
  expect(m.positives, `${what}.positives`).toBe(e['positives']);
  for (const k of BINARY) expectMetric(m[k], e[k] ?? null, rel, `${what}.${k}`);
}

describe('binary log with missing labels, windows and segments', () => {
  const fx = readFixture<{
    overall: Expected;
    per_day: (Expected & { window: string; predictions: number })[];
    per_region: (Expected & { value: string })[];
    labelled: number;
    rows: number;
  }>('log.json');
  let spec: PerfSpec;
  let ts: string;

  beforeAll(async () => {
    const cols = await loadFixture('log.csv', 'log');
    spec = {
      table: 'log',
      label: 'label',
      labelKind: kindOf(cols, 'label'),
      score: 'score',
      timestamp: 'timestamp',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    ts = timestampSql('timestamp', kindOf(cols, 'timestamp'));
  });

  it('infers a binary task with positive class 1', async () => {
    const db = await testDb();
    const profile = await profileLabels(db, 'log', 'label', spec.labelKind);
    expect(inferTask(spec.labelKind, profile)).toBe('binary');
    expect(inferPositiveClass(profile)).toBe('1');
  });

  it('overall metrics equal sklearn on the labelled rows (JS score-table path and SQL path)', async () => {
    const db = await testDb();
    const full = await overallPerformance(db, spec);
    if (full.task !== 'binary') throw new Error('task');
    expectBinary(full.metrics, fx.overall, 'overall');
    const point = await overallPerformance(db, spec, { pointOnly: true });
    if (point.task !== 'binary') throw new Error('task');
    expectBinary(point.metrics, fx.overall, 'overall(sql)');
  });

  it('per-day metrics with label counts, including a day with only negatives and unlabelled days', async () => {
    const db = await testDb();
    const over = await metricsOverTime(db, spec, ts, { unit: 'day' });
    expect(over.unit).toBe('day');
    expect(over.windows.length).toBe(20);
    expect(over.windows.reduce((a, w) => a + w.predictions, 0)).toBe(fx.rows);
    expect(over.windows.reduce((a, w) => a + w.labelled, 0)).toBe(fx.labelled);
    for (const e of fx.per_day) {
      const w = over.windows.find((x) => new Date(x.start).toISOString().slice(0, 10) === e.window);
      expect(w, e.window).toBeDefined();
      expect(w!.predictions).toBe(e.predictions);
      expect(w!.labelled).toBe(e['n']);
      expectBinary(w!.metrics as BinaryMetrics, e, e.window);
    }
    const last = over.windows[over.windows.length - 1]!;
    expect(last.labelled).toBe(0);
    expect(last.metrics).toBeUndefined();
    const day5 = over.windows.find((x) => new Date(x.start).toISOString().slice(0, 10) === '2024-03-05')!;
    expect((day5.metrics as BinaryMetrics).roc_auc).toMatchObject({ defined: false });
  });

  it('per-segment metrics equal sklearn per region', async () => {
    const db = await testDb();
    const groups = await metricsByGroup(db, spec, [{ sql: ident('region'), as: 'region' }]);
    expect(groups.map((g) => g.key['region'])).toEqual(fx.per_region.map((r) => r.value));
    groups.forEach((g, i) => expectBinary(g.metrics as BinaryMetrics, fx.per_region[i]!, String(g.key['region'])));
  });

  it('builds valid SQL even for hostile column names', async () => {
    const db = await testDb();
    await db.query(
      `CREATE OR REPLACE TABLE hostile AS SELECT label AS "lab""el", score AS """; DROP TABLE x; --", region AS "select" FROM log`,
    );
    const h: PerfSpec = { ...spec, table: 'hostile', label: 'lab"el', score: '"; DROP TABLE x; --' };
    const [row] = await db.query(binaryByGroupSql(h, []).sql.text);
    expect(Number(row?.['n'])).toBe(fx.labelled);
  });
});

describe('labels in a separate file, joined by prediction id', () => {
  const fx = readFixture<Expected>('join.json') as Expected & { overall: Expected };

  it('counts matched, unlabelled, orphan labels, duplicate and conflicting ids, and metrics on the join', async () => {
    await loadFixture('predictions.csv', 'preds');
    const labelCols = await loadFixture('labels.csv', 'labels');
    const db = await testDb();
    const summary = await joinDelayedLabels(db, {
      predictions: 'preds',
      labels: 'labels',
      id: 'prediction_id',
      label: 'label',
      out: 'joined',
    });
    for (const k of [
      'predictions',
      'matched',
      'unlabelled',
      'labelRows',
      'labelsWithoutPrediction',
      'duplicatePredictionIds',
      'duplicateLabelIds',
      'conflictingLabelIds',
    ] as const) {
      expect(summary[k], k).toBe(fx[k]);
    }
    const spec: PerfSpec = {
      table: 'joined',
      label: 'label',
      labelKind: kindOf(labelCols, 'label'),
      score: 'score',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    const perf = await overallPerformance(db, spec, { pointOnly: true });
    expectBinary(perf.metrics as BinaryMetrics, fx.overall as unknown as Expected, 'joined');
  });
});

describe('multiclass', () => {
  const fx = readFixture<{
    overall: Expected & { classes: string[]; per_class: Record<string, number[]>; confusion: number[][] };
    per_segment: (Expected & { value: string })[];
  }>('multiclass.json');

  it('matches sklearn: accuracy, macro/weighted P/R/F1, per-class table, confusion, log loss', async () => {
    const cols = await loadFixture('multiclass.csv', 'mc');
    const db = await testDb();
    const profile = await profileLabels(db, 'mc', 'label', 'string');
    expect(inferTask('string', profile)).toBe('multiclass');
    const spec: PerfSpec = {
      table: 'mc',
      label: 'label',
      labelKind: kindOf(cols, 'label'),
      prediction: 'prediction',
      predictionKind: kindOf(cols, 'prediction'),
      task: 'multiclass',
      threshold: 0.5,
      classScores: ['bird', 'cat', 'dog', 'fish'].map((c) => ({ cls: c, column: `proba_${c}` })),
    };
    const perf = await overallPerformance(db, spec);
    const m = perf.metrics as MulticlassMetrics;
    const e = fx.overall;
    for (const k of MULTICLASS_METRIC_NAMES) {
      expectMetric(m[k], e[k] as number, 1e-12, k);
    }
    expect(m.classes.map((c) => c.cls)).toEqual(e.classes);
    expect(m.confusion).toEqual(e.confusion);
    m.classes.forEach((c, i) => {
      expect(c.support).toBe(e.per_class['support']![i]);
      expectClose(c.recall.defined ? c.recall.value : 0, e.per_class['recall']![i]!, 1e-12, `recall ${c.cls}`);
      expectClose(c.f1.defined ? c.f1.value : 0, e.per_class['f1']![i]!, 1e-12, `f1 ${c.cls}`);
    });
    const fish = m.classes.find((c) => c.cls === 'fish')!;
    expect(fish.precision).toMatchObject({ defined: false });
    const groups = await metricsByGroup(db, spec, [{ sql: ident('segment'), as: 'segment' }]);
    groups.forEach((g, i) => {
      const pe = fx.per_segment[i]!;
      expect(g.key['segment']).toBe(pe.value);
      for (const k of ['accuracy', 'macro_f1', 'weighted_f1', 'macro_precision', 'log_loss'] as const)
        expectMetric((g.metrics as MulticlassMetrics)[k], pe[k] as number, 1e-12, `${pe.value}.${k}`);
    });
  });
});

describe('regression', () => {
  const fx = readFixture<{ overall: Expected; per_segment: (Expected & { value: string })[]; residual_min: number; residual_max: number }>(
    'regression.json',
  );

  it('matches sklearn MAE, RMSE, MAPE (eps for zero labels), R2, mean error, max error overall and per store', async () => {
    const cols = await loadFixture('regression.csv', 'reg');
    const db = await testDb();
    const profile = await profileLabels(db, 'reg', 'label', kindOf(cols, 'label'));
    expect(inferTask(kindOf(cols, 'label'), profile)).toBe('regression');
    const spec: PerfSpec = {
      table: 'reg',
      label: 'label',
      labelKind: 'numeric',
      prediction: 'prediction',
      predictionKind: 'numeric',
      task: 'regression',
      threshold: 0.5,
    };
    const perf = await overallPerformance(db, spec);
    if (perf.task !== 'regression') throw new Error('task');
    const names = ['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'] as const;
    for (const k of names) expectMetric(perf.metrics[k], fx.overall[k]!, 1e-12, k);
    expect(perf.residuals.reduce((a, b) => a + b.count, 0)).toBe(fx.overall['n']);
    expectClose(perf.residuals[0]!.lo, fx.residual_min, 1e-12, 'residual min');
    expectClose(perf.residuals[perf.residuals.length - 1]!.hi, fx.residual_max, 1e-9, 'residual max');
    expect(perf.scatter.reduce((a, b) => a + b.count, 0)).toBe(fx.overall['n']);
    const groups = await metricsByGroup(db, spec, [{ sql: ident('store'), as: 'store' }]);
    groups.forEach((g, i) => {
      for (const k of names)
        expectMetric((g.metrics as RegressionMetrics)[k], fx.per_segment[i]![k]!, 1e-12, `${fx.per_segment[i]!.value}.${k}`);
    });
  });
});
