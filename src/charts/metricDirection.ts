/**
 * Which way a metric gets worse, for colouring by severity and ordering worst first: error rates and losses
 * grow, scores such as accuracy shrink, and a signed bias is bad in both directions.
 */
export type Better = 'higher' | 'lower' | 'zero';

const LOWER = new Set(['log_loss', 'brier', 'fpr', 'fnr', 'mae', 'rmse', 'mape', 'max_error']);
const ZERO = new Set(['mean_error']);

export function metricDirection(metric: string): Better {
  return ZERO.has(metric) ? 'zero' : LOWER.has(metric) ? 'lower' : 'higher';
}

/** How bad a value is on one scale where larger is worse. */
export function badness(value: number, better: Better): number {
  return better === 'higher' ? -value : better === 'lower' ? value : Math.abs(value);
}
