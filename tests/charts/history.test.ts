import { describe, expect, it } from 'vitest';
import { DRIFT_COLOR, OK_COLOR } from '../../src/charts/colors';
import { historyChart, historySeries, historyTable } from '../../src/charts/history';
import type { BatchSummary, HistoryReport } from '../../src/lib/profiles/history';
import type { ProfileMetrics } from '../../src/lib/profiles/metrics';
import { domainOf, marks, render } from './render';

const metrics = (roc_auc: number, accuracy: number) => ({ roc_auc, accuracy }) as ProfileMetrics;

function batch(name: string, rows: number, auc: number, regressed: boolean): BatchSummary {
  return {
    name,
    window: null,
    rows,
    drift: { share: 0.25, driftedColumns: 1, testedColumns: 4, drifted: false, columns: [] },
    quality: [{ column: 'x', missingReference: 0.01, missing: regressed ? 0.4 : 0.01, outOfRange: 0, unseen: null, exact: true }],
    metrics: metrics(auc, 0.8),
    approximate: false,
    regressions: regressed
      ? [
          { batch: name, kind: 'metric', subject: 'roc_auc', value: auc, limit: 0.7, message: '' },
          { batch: name, kind: 'missing', subject: 'x', value: 0.4, limit: 0.06, message: '' },
        ]
      : [],
  };
}

const report: HistoryReport = {
  reference: { name: 'ref', rows: 1000, metrics: metrics(0.75, 0.8) },
  batches: [batch('mon', 100, 0.74, false), batch('tue', 110, 0.76, false), batch('wed', 90, 0.3, true)],
  settings: { driftShare: 0.5, metricDrop: 0.05, missingRise: 0.05, volumeShare: 0.5 },
  regressions: [],
  firstRegression: 'wed',
  typicalRows: 100,
};

describe('the history charts', () => {
  const series = historySeries(report);

  it('draws each watched figure per batch with its limit, red where the batch regressed', () => {
    expect(series.map((s) => s.key)).toEqual(['drift', 'roc_auc', 'accuracy', 'missing', 'rows']);
    const auc = series.find((s) => s.key === 'roc_auc')!;
    expect(auc.limit).toBeCloseTo(0.7, 12);
    const chart = render(historyChart(auc));
    expect(domainOf(chart, 'x')).toEqual(['mon', 'tue', 'wed']);
    const fills = marks(chart, 'dot').flatMap((g) => [...g.querySelectorAll('circle')].map((c) => c.getAttribute('fill')));
    expect(fills).toEqual([OK_COLOR, OK_COLOR, DRIFT_COLOR]);
    // The y domain takes in the limit and starts at 0.
    const y = domainOf(chart, 'y').map(Number);
    expect(y[0]).toBe(0);
    expect(y[1]).toBeGreaterThanOrEqual(0.76);
  });

  it('the missing series is the largest rise over the reference; rows carry the volume limit', () => {
    expect(series.find((s) => s.key === 'missing')!.points.map((p) => p.value)).toEqual([0, 0, expect.closeTo(0.39, 12)]);
    const rows = series.find((s) => s.key === 'rows')!;
    expect(rows.limit).toBe(50);
    expect(historyTable(rows).rows).toEqual([
      ['mon', '100', 'no'],
      ['tue', '110', 'no'],
      ['wed', '90', 'no'],
    ]);
  });

  it('no metrics series without labelled batches', () => {
    const unlabelled = {
      ...report,
      reference: { ...report.reference, metrics: null },
      batches: report.batches.map((b) => ({ ...b, metrics: null })),
    };
    expect(historySeries(unlabelled).map((s) => s.key)).toEqual(['drift', 'missing', 'rows']);
  });
});
