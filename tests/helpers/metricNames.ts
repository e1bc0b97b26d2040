/** The binary metrics every fixture case carries, by their scikit-learn names (scripts/fixtures/metrics.py). */
export const BINARY_METRIC_NAMES = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'specificity',
  'fpr',
  'fnr',
  'roc_auc',
  'average_precision',
  'log_loss',
  'brier',
] as const;
