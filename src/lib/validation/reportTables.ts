/**
 * The validation report as tables of the HTML report (aggregates only: groups, columns, metrics, slices,
 * features and folds; never a row of the data beyond the example ids a shared-id finding names).
 */
import type { ReportTable } from '../report/reportData';
import type { ValidationReport } from '../usecases/validate';
import { valueOrNull } from '../metrics/value';
import { flatMetrics } from '../metrics/performance';
import type { Task } from '../metrics/spec';

export function validationTables(r: ValidationReport | null): ReportTable[] {
  if (!r) return [];
  const out: ReportTable[] = [
    {
      id: 'validation-checks',
      title: 'Validation checks',
      header: ['status', 'check', 'value', 'passes when', 'evidence'],
      rows: r.checks.map((c) => [c.status, c.title, c.value, c.threshold, c.message]),
    },
  ];
  const f = r.fairness;
  if (f) {
    out.push({
      id: 'validation-fairness',
      title: `Fairness across ${f.sensitive.join(' x ')} (fairlearn's definitions; groups of at least ${f.minGroupSize} rows compared)`,
      header: ['measure', 'value'],
      rows: (
        ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio'] as const
      ).map((k) => [k.replace(/_/g, ' '), valueOrNull(f[k])]),
    });
    out.push({
      id: 'validation-groups',
      title: 'Groups',
      header: ['group', 'rows', 'compared', 'selection rate', 'true positive rate', 'false positive rate', 'precision'],
      rows: f.groups.map((g) => [
        g.label,
        g.n,
        g.ranked,
        valueOrNull(g.selection_rate),
        valueOrNull(g.tpr),
        valueOrNull(g.fpr),
        valueOrNull(g.precision),
      ]),
    });
  }
  out.push({
    id: 'validation-leakage',
    title: 'Leakage',
    header: ['column', 'reason', 'evidence'],
    rows: r.leakage.findings.map((x) => [x.column ?? '(rows)', x.reason, x.evidence]),
  });
  if (r.overfitting)
    out.push(
      {
        id: 'validation-gaps',
        title: 'Training against held-out data (gap: how much worse held-out is)',
        header: ['metric', 'training', 'held-out', 'gap', 'interval low', 'interval high'],
        rows: r.overfitting.metrics.map((m) => [m.metric, m.train, m.test, m.gap, m.interval?.lo ?? null, m.interval?.hi ?? null]),
      },
      {
        id: 'validation-slice-gaps',
        title: `Slices with the largest gap in ${r.overfitting.sliceMetric}`,
        header: ['slice', 'training rows', 'held-out rows', 'training', 'held-out', 'gap'],
        rows: r.overfitting.slices.map((s) => [s.label, s.trainRows, s.testRows, s.train, s.test, s.gap]),
      },
    );
  if (r.robustness)
    out.push({
      id: 'validation-robustness',
      title: `Robustness (noise of ${r.robustness.share} standard deviations; categories swapped)`,
      header: ['feature', 'perturbation', 'flip rate', 'mean |change|'],
      rows: r.robustness.features.map((x) => [x.feature, x.perturbation, x.flip_rate, x.mean_abs_change]),
    });
  if (r.backtest) {
    const task = r.task as Task;
    out.push({
      id: 'validation-backtest',
      title: `Backtest over ${r.backtest.folds.length} time folds`,
      header: ['fold', 'from', 'to', 'rows', r.backtest.metric],
      rows: r.backtest.folds.map((x) => [
        x.fold,
        x.start.slice(0, 10),
        x.end.slice(0, 10),
        x.n,
        flatMetrics(task, x.metrics)[r.backtest!.metric] ?? null,
      ]),
    });
  }
  return out;
}
