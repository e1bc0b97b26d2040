/**
 * A metric is either a number (with an optional interval) or explicitly undefined with the reason: ROC AUC
 * with one class present is not 0 and not NaN, it does not exist, and the user is told why.
 */
export interface Interval {
  lo: number;
  hi: number;
  /**
   * How the interval was obtained: Wilson score interval, percentile bootstrap, normal theory; for a
   * difference of two independent samples also Newcombe's hybrid score interval (two Wilson intervals)
   * and DeLong's variance of ROC AUC.
   */
  method: 'wilson' | 'bootstrap' | 'normal' | 'newcombe' | 'delong';
  level: number;
}

export type MetricValue = { defined: true; value: number; interval?: Interval } | { defined: false; reason: string };

export function defined(value: number, interval?: Interval): MetricValue {
  if (!Number.isFinite(value)) return { defined: false, reason: `the value is not finite (${value})` };
  return interval ? { defined: true, value, interval } : { defined: true, value };
}

export function undefinedMetric(reason: string): MetricValue {
  return { defined: false, reason };
}

/** A ratio that is undefined when its denominator is zero, with the reason naming what is missing. */
export function ratio(numerator: number, denominator: number, whenEmpty: string): MetricValue {
  return denominator > 0 ? defined(numerator / denominator) : undefinedMetric(whenEmpty);
}

/** The number, or null for an undefined metric: the shape JSON output and charts use. */
export function valueOrNull(m: MetricValue | undefined): number | null {
  return m && m.defined ? m.value : null;
}

export function withInterval(m: MetricValue, interval: Interval | undefined): MetricValue {
  return m.defined && interval ? { ...m, interval } : m;
}
