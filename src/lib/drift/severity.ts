import { isPValueMethod, type DriftMethod } from './methods';

/**
 * How far a score is past its threshold, on one scale for every method: log10(threshold / p) for
 * p-values, log10(score / threshold) for distances. Positive means drifted; used to rank columns,
 * windows and segments.
 */
export function severity(method: DriftMethod, score: number | null, threshold: number): number {
  if (score === null || Number.isNaN(score)) return -Infinity;
  const s = Math.max(score, 1e-300);
  return isPValueMethod(method) ? Math.log10(threshold / s) : Math.log10(s / Math.max(threshold, 1e-300));
}
