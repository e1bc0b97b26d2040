import { describe, expect, it } from 'vitest';
import { binaryMetricsAt, binaryReport, thresholdFreeMetrics } from '../../src/lib/metrics/binary';
import { precisionRecallCurve, reliabilityCurve, rocCurve, thresholdSweep } from '../../src/lib/metrics/curves';
import { scoreTableFromCounts, scoreTableFromRows } from '../../src/lib/metrics/scoreTable';
import { expectClose, expectMetric, readFixture } from '../helpers/close';
import { BINARY_METRIC_NAMES } from '../helpers/metricNames';

interface Case {
  threshold: number;
  y: number[];
  s: number[];
  metrics: Record<string, number | null>;
  roc?: { fpr: number[]; tpr: number[]; thresholds: (number | null)[] };
  pr?: { precision: number[]; recall: number[]; thresholds: number[] };
  reliability?: { prob_true: number[]; prob_pred: number[]; counts: number[]; ece: number };
  sweep: Record<string, number | null>[];
}

const { cases } = readFixture<{ cases: Record<string, Case> }>('binary.json');
const NAMES = BINARY_METRIC_NAMES;

describe.each(Object.entries(cases))('binary metrics against sklearn: %s', (name, c) => {
  const table = scoreTableFromRows(c.s, c.y);

  it('matches every point metric and the confusion matrix', () => {
    const m = binaryMetricsAt(table, c.threshold);
    expect(m.n).toBe(c.metrics['n']);
    expect(m.positives).toBe(c.metrics['positives']);
    for (const k of NAMES) expectMetric(m[k], c.metrics[k] ?? null, 1e-12, `${name}.${k}`);
  });

  it('matches roc_curve(drop_intermediate=False) and precision_recall_curve point for point', () => {
    const roc = rocCurve(table);
    if (!c.roc) return expect(roc).toEqual([]);
    expect(roc.length).toBe(c.roc.fpr.length);
    roc.forEach((p, i) => {
      expectClose(p.x, c.roc!.fpr[i]!, 1e-12, `fpr[${i}]`);
      expectClose(p.y, c.roc!.tpr[i]!, 1e-12, `tpr[${i}]`);
      if (i > 0) expect(p.threshold).toBe(c.roc!.thresholds[i]);
    });
    const pr = precisionRecallCurve(table);
    expect(pr.length).toBe(c.pr!.precision.length);
    pr.forEach((p, i) => {
      expectClose(p.y, c.pr!.precision[i]!, 1e-12, `precision[${i}]`);
      expectClose(p.x, c.pr!.recall[i]!, 1e-12, `recall[${i}]`);
    });
  });

  it('matches calibration_curve(n_bins=10, uniform) and its ECE', () => {
    if (!c.reliability) return;
    const r = reliabilityCurve(table, 10);
    expect(r.bins.map((b) => b.count)).toEqual(c.reliability.counts);
    r.bins.forEach((b, i) => {
      expectClose(b.fractionPositive, c.reliability!.prob_true[i]!, 1e-12, `prob_true[${i}]`);
      expectClose(b.meanScore, c.reliability!.prob_pred[i]!, 1e-12, `prob_pred[${i}]`);
    });
    expectClose(r.ece, c.reliability.ece, 1e-12, 'ece');
  });

  it('matches the threshold sweep', () => {
    const sweep = thresholdSweep(
      table,
      c.sweep.map((p) => p['threshold']!),
    );
    sweep.forEach((p, i) => {
      const e = c.sweep[i]!;
      expect([p.tp, p.fp, p.tn, p.fn]).toEqual([e['tp'], e['fp'], e['tn'], e['fn']]);
      for (const k of ['precision', 'recall', 'f1', 'accuracy'] as const) {
        if (e[k] === null) expect(p[k]).toBeNull();
        else expectClose(p[k], e[k]!, 1e-12, `sweep ${e['threshold']} ${k}`);
      }
    });
  });
});

describe('binary report', () => {
  it('gives seeded bootstrap intervals that contain the estimate, and Wilson intervals on rates', () => {
    const c = cases['continuous']!;
    const table = scoreTableFromRows(c.s, c.y);
    const a = binaryReport(table, c.threshold, { replicates: 100 });
    const b = binaryReport(table, c.threshold, { replicates: 100 });
    expect(a.metrics.roc_auc).toEqual(b.metrics.roc_auc);
    for (const k of ['roc_auc', 'average_precision', 'log_loss', 'brier', 'f1', 'accuracy', 'recall'] as const) {
      const m = a.metrics[k];
      if (!m.defined || !m.interval) throw new Error(`${k} has no interval`);
      expect(m.interval.lo).toBeLessThan(m.value);
      expect(m.interval.hi).toBeGreaterThan(m.value);
      expect(m.interval.hi - m.interval.lo).toBeLessThan(0.2);
    }
  });

  it('bootstraps on merged scores when there are many distinct scores, keeping exact point estimates', () => {
    const c = cases['continuous']!;
    const table = scoreTableFromRows(c.s, c.y);
    const full = binaryReport(table, c.threshold, { replicates: 200, maxGroups: 1e9 });
    const merged = binaryReport(table, c.threshold, { replicates: 200, maxGroups: 300 });
    expect(merged.metrics.roc_auc).toMatchObject({ value: (full.metrics.roc_auc as { value: number }).value });
    const w = (m: typeof full.metrics.roc_auc) => (m.defined && m.interval ? m.interval.hi - m.interval.lo : NaN);
    expect(w(merged.metrics.roc_auc) / w(full.metrics.roc_auc)).toBeGreaterThan(0.7);
    expect(w(merged.metrics.roc_auc) / w(full.metrics.roc_auc)).toBeLessThan(1.4);
  });

  it('says why AUC is undefined with one class', () => {
    const c = cases['negatives_only']!;
    const m = binaryMetricsAt(scoreTableFromRows(c.s, c.y), 0.5);
    expect(m.roc_auc).toEqual({ defined: false, reason: expect.stringContaining('only the negative class') });
  });
});

describe('threshold moves on a million distinct scores', () => {
  it('answer from the score table in well under the 200 ms budget, with unchanged threshold-free metrics', () => {
    const n = 1_000_000;
    const scores = new Float64Array(n);
    const pos = new Float64Array(n);
    const neg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = i / n;
      pos[i] = i % 7 === 0 ? 1 : 0;
      neg[i] = 1 - pos[i]!;
    }
    const table = scoreTableFromCounts(scores, pos, neg);
    const fixed = thresholdFreeMetrics(table);
    const started = performance.now();
    let last;
    for (let k = 0; k < 100; k++) last = binaryMetricsAt(table, k / 100, fixed);
    const perMove = (performance.now() - started) / 100;
    expect(perMove).toBeLessThan(20);
    expect(last!.roc_auc).toBe(fixed.roc_auc);
    expect(binaryMetricsAt(table, 0.5).recall).toEqual(binaryMetricsAt(table, 0.5, fixed).recall);
  });
});
