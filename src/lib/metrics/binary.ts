import { bootstrapScoreIntervals, type BootstrapOptions } from './bootstrap';
import { binaryRates, type BinaryRates, type Confusion } from './confusion';
import {
  precisionRecallCurve,
  reliabilityCurve,
  rocCurve,
  thresholdSweep,
  type CurvePoint,
  type Reliability,
  type SweepPoint,
} from './curves';
import { averagePrecision, brierScore, logLoss, rocAuc } from './scoreMetrics';
import { confusionAt, type ScoreTable } from './scoreTable';
import { undefinedMetric, withInterval, type MetricValue } from './value';

export interface BinaryMetrics extends BinaryRates {
  n: number;
  positives: number;
  roc_auc: MetricValue;
  average_precision: MetricValue;
  log_loss: MetricValue;
  brier: MetricValue;
}

export interface BinaryReport {
  metrics: BinaryMetrics;
  confusion: Confusion;
  threshold: number;
  roc: CurvePoint[];
  pr: CurvePoint[];
  reliability: Reliability;
  sweep: SweepPoint[];
}

const NO_SCORE = 'needs a score column (predicted probability)';

/** Binary metrics when only predicted labels exist (no score): threshold metrics only. */
export function binaryMetricsFromConfusion(c: Confusion): BinaryMetrics {
  return {
    n: c.tp + c.fp + c.tn + c.fn,
    positives: c.tp + c.fn,
    ...binaryRates(c),
    roc_auc: undefinedMetric(`ROC AUC ${NO_SCORE}`),
    average_precision: undefinedMetric(`average precision ${NO_SCORE}`),
    log_loss: undefinedMetric(`log loss ${NO_SCORE}`),
    brier: undefinedMetric(`the Brier score ${NO_SCORE}`),
  };
}

/** Point estimates at a threshold from the score table (cheap: call on every slider move). */
export function binaryMetricsAt(t: ScoreTable, threshold: number): BinaryMetrics {
  const confusion = confusionAt(t, threshold);
  return {
    n: t.positives + t.negatives,
    positives: t.positives,
    ...binaryRates(confusion),
    roc_auc: rocAuc(t),
    average_precision: averagePrecision(t),
    log_loss: logLoss(t),
    brier: brierScore(t),
  };
}

/** Everything the performance view shows for a binary classifier with scores, with bootstrap intervals. */
export function binaryReport(t: ScoreTable, threshold: number, options: BootstrapOptions & { curvePoints?: number } = {}): BinaryReport {
  const metrics = binaryMetricsAt(t, threshold);
  const intervals = bootstrapScoreIntervals(t, threshold, options);
  metrics.roc_auc = withInterval(metrics.roc_auc, intervals.roc_auc);
  metrics.average_precision = withInterval(metrics.average_precision, intervals.average_precision);
  metrics.log_loss = withInterval(metrics.log_loss, intervals.log_loss);
  metrics.brier = withInterval(metrics.brier, intervals.brier);
  metrics.f1 = withInterval(metrics.f1, intervals.f1);
  const points = options.curvePoints ?? 1000;
  return {
    metrics,
    confusion: confusionAt(t, threshold),
    threshold,
    roc: rocCurve(t, points),
    pr: precisionRecallCurve(t, points),
    reliability: reliabilityCurve(t),
    sweep: thresholdSweep(t),
  };
}
