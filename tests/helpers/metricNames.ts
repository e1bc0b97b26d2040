// The tests keep their own lists rather than src/lib/metrics' METRIC_NAMES: a metric dropped from the
// source's list must still be checked against the scikit-learn fixtures.

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

/** The multiclass metrics of the fixtures (macro and weighted averages as scikit-learn's `average=`). */
export const MULTICLASS_METRIC_NAMES = [
  'accuracy',
  'macro_precision',
  'macro_recall',
  'macro_f1',
  'weighted_precision',
  'weighted_recall',
  'weighted_f1',
  'log_loss',
] as const;
