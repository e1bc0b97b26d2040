import type { MetricValue } from '../../lib/metrics/value';

/** Metric values as the cards and tables show them: 4 decimals; no value is "—" (its reason goes next to it). */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1000) return v.toFixed(1);
  return v.toFixed(4);
}

export function metricText(m: MetricValue | undefined): string {
  return m && m.defined ? formatMetric(m.value) : '—';
}

export function metricNumber(m: MetricValue | undefined): number | null {
  return m && m.defined ? m.value : null;
}

export const METRIC_LABELS: Record<string, string> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  specificity: 'Specificity',
  fpr: 'False positive rate',
  fnr: 'False negative rate',
  roc_auc: 'ROC AUC',
  average_precision: 'Average precision',
  log_loss: 'Log loss',
  brier: 'Brier score',
  macro_precision: 'Macro precision',
  macro_recall: 'Macro recall',
  macro_f1: 'Macro F1',
  weighted_precision: 'Weighted precision',
  weighted_recall: 'Weighted recall',
  weighted_f1: 'Weighted F1',
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  r2: 'R²',
  mean_error: 'Mean error (bias)',
  max_error: 'Max error',
};
