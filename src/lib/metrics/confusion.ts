import { wilsonInterval } from './intervals';
import { defined, undefinedMetric, type MetricValue } from './value';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryRates {
  accuracy: MetricValue;
  precision: MetricValue;
  recall: MetricValue;
  f1: MetricValue;
  specificity: MetricValue;
  fpr: MetricValue;
  fnr: MetricValue;
}

/** k/n with its Wilson interval, or undefined with `reason` when n is 0. */
function rate(k: number, n: number, reason: string): MetricValue {
  return n > 0 ? defined(k / n, wilsonInterval(k, n)) : undefinedMetric(reason);
}

/**
 * The threshold metrics of a binary confusion matrix. Rates are proportions of a count, so each gets a
 * Wilson interval; F1 is not a proportion and gets its interval from the bootstrap (see bootstrap.ts).
 * sklearn returns 0 with a warning where a denominator is 0 (zero_division="warn"); here those are
 * undefined with the reason.
 */
export function binaryRates(c: Confusion): BinaryRates {
  const n = c.tp + c.fp + c.tn + c.fn;
  const positives = c.tp + c.fn;
  const negatives = c.tn + c.fp;
  const predicted = c.tp + c.fp;
  const f1Den = 2 * c.tp + c.fp + c.fn;
  return {
    accuracy: rate(c.tp + c.tn, n, 'no labelled rows'),
    precision: rate(c.tp, predicted, 'the model predicts no positives at this threshold'),
    recall: rate(c.tp, positives, 'no positive labels'),
    f1: f1Den > 0 ? defined((2 * c.tp) / f1Den) : undefinedMetric('no positive labels and no positive predictions'),
    specificity: rate(c.tn, negatives, 'no negative labels'),
    fpr: rate(c.fp, negatives, 'no negative labels'),
    fnr: rate(c.fn, positives, 'no positive labels'),
  };
}
