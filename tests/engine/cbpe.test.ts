import { beforeAll, describe, expect, it } from 'vitest';
import { cbpeOverTime, fitCbpeCalibrator } from '../../src/lib/metrics/cbpe';
import { isotonicPredict } from '../../src/lib/metrics/isotonic';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { timestampSql, windowSql } from '../../src/lib/metrics/time';
import { metricsOverTime } from '../../src/lib/metrics/windows';
import type { BinaryMetrics } from '../../src/lib/metrics/binary';
import { expectClose, expectMetric, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';
import { kindOf, loadFixture } from '../helpers/perf';

const fx = readFixture<{
  threshold: number;
  isotonic: { x: number[]; y: number[] };
  probe: { x: number[]; y: number[] };
  windows: Record<string, number | string>[];
}>('cbpe.json');

describe('CBPE: isotonic calibration on the reference, expected confusion per window', () => {
  let reference: PerfSpec;
  let analysis: PerfSpec;
  let ts: string;
  beforeAll(async () => {
    const rc = await loadFixture('cbpe_reference.csv', 'cb_ref');
    const ac = await loadFixture('cbpe_analysis.csv', 'cb_an');
    reference = {
      table: 'cb_ref',
      label: 'label',
      labelKind: kindOf(rc, 'label'),
      score: 'score',
      task: 'binary',
      positive: '1',
      threshold: fx.threshold,
    };
    analysis = { ...reference, table: 'cb_an', labelKind: kindOf(ac, 'label') };
    ts = timestampSql('timestamp', kindOf(ac, 'timestamp'));
  });

  it('fits the same isotonic regression as sklearn (thresholds and clipped interpolation)', async () => {
    const fit = await fitCbpeCalibrator(await testDb(), reference);
    expect(fit.x).toEqual(fx.isotonic.x);
    fit.y.forEach((y, i) => expectClose(y, fx.isotonic.y[i]!, 1e-12, `y_thresholds_[${i}]`));
    fx.probe.x.forEach((x, i) => expectClose(isotonicPredict(fit, x), fx.probe.y[i]!, 1e-12, `predict(${x})`));
  });

  it('estimates per window as the reference computation, next to realised performance', async () => {
    const db = await testDb();
    const fit = await fitCbpeCalibrator(db, reference);
    const est = await cbpeOverTime(db, analysis, windowSql(ts, 'day'), fit);
    expect(est.length).toBe(fx.windows.length);
    const realised = await metricsOverTime(db, analysis, ts, { unit: 'day' });
    est.forEach((w, i) => {
      const e = fx.windows[i]!;
      expect(new Date(w.start).toISOString().slice(0, 10)).toBe(e['window']);
      expect(w.n).toBe(e['n']);
      for (const k of ['tp', 'fp', 'fn', 'tn'] as const) expectClose(w.estimated[k], e[k] as number, 1e-12, `${e['window']}.${k}`);
      for (const k of ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'roc_auc'] as const)
        expectMetric(w.estimated[k], e[k] as number, 1e-12, `${e['window']}.${k}`);
      const r = realised.windows[i]!.metrics as BinaryMetrics;
      expectMetric(r.accuracy, e['realised_accuracy'] as number, 1e-12, 'realised accuracy');
      expectMetric(r.roc_auc, e['realised_roc_auc'] as number, 1e-12, 'realised auc');
      // Estimation is close to reality on unshifted data.
      expect(Math.abs((w.estimated.accuracy as { value: number }).value - (e['realised_accuracy'] as number))).toBeLessThan(0.05);
    });
  });
});
