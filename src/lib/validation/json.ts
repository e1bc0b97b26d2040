/**
 * The validation report as plain JSON (the CLI's `--json`): numbers or null in place of metric values,
 * intervals as [lo, hi]; each part present when its inputs were given.
 */
import { flatMetrics } from '../metrics/performance';
import type { Task } from '../metrics/spec';
import { valueOrNull, type Interval, type MetricValue } from '../metrics/value';
import type { ValidationReport } from '../usecases/validate';

const ci = (i: Interval | null | undefined) => (i ? [i.lo, i.hi] : null);
const withCi = (m: MetricValue) => ({ value: valueOrNull(m), ci: m.defined ? ci(m.interval) : null });

export function validationJson(r: ValidationReport): Record<string, unknown> {
  const task = r.task as Task;
  const out: Record<string, unknown> = { task, threshold: r.threshold };
  if (r.fairness) {
    const f = r.fairness;
    out['fairness'] = {
      sensitive: f.sensitive,
      min_group_size: f.minGroupSize,
      demographic_parity_difference: valueOrNull(f.demographic_parity_difference),
      demographic_parity_ratio: valueOrNull(f.demographic_parity_ratio),
      equalized_odds_difference: valueOrNull(f.equalized_odds_difference),
      equalized_odds_ratio: valueOrNull(f.equalized_odds_ratio),
      groups: f.groups.map((g) => ({
        values: g.values,
        label: g.label,
        n: g.n,
        ranked: g.ranked,
        selection_rate: withCi(g.selection_rate),
        tpr: withCi(g.tpr),
        fpr: withCi(g.fpr),
        precision: withCi(g.precision),
        metrics: flatMetrics(task, g.metrics),
      })),
    };
  }
  out['leakage'] = r.leakage.findings.map((x) => ({ column: x.column, reason: x.reason, evidence: x.evidence }));
  out['leakage_columns'] = r.leakage.columns.map((c) => ({
    column: c.column,
    roc_auc: c.roc_auc,
    mapping_accuracy: c.mapping_accuracy,
    correlation: c.correlation,
    label_agreement: c.label_agreement,
    leak: c.leak,
  }));
  if (r.overfitting) {
    const o = r.overfitting;
    out['overfitting'] = {
      metrics: o.metrics.map((m) => ({ metric: m.metric, train: m.train, test: m.test, gap: m.gap, ci: ci(m.interval) })),
      slice_metric: o.sliceMetric,
      slices: o.slices.map((s) => ({
        slice: s.label,
        predicate: s.predicate,
        train_rows: s.trainRows,
        test_rows: s.testRows,
        train: s.train,
        test: s.test,
        gap: s.gap,
        ci: ci(s.interval),
      })),
      slices_too_small: o.slicesTooSmall,
    };
  }
  if (r.robustness)
    out['robustness'] = r.robustness.features.map((f) => ({
      feature: f.feature,
      perturbation: f.perturbation,
      flip_rate: f.flip_rate,
      mean_abs_change: f.mean_abs_change,
      mean_change: f.mean_change,
    }));
  if (r.backtest)
    out['backtest'] = r.backtest.folds.map((f) => ({ fold: f.fold, start: f.start, end: f.end, n: f.n, ...flatMetrics(task, f.metrics) }));
  if (r.backtest)
    out['backtest_stability'] = { metric: r.backtest.metric, spread: r.backtest.spread, heterogeneity: r.backtest.heterogeneity };
  out['checks'] = r.checks;
  return out;
}
