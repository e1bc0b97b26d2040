import { erfc } from '../metrics/distributions';
import { incompleteBeta } from '../metrics/distributions';

/**
 * McNemar's test on the rows one version gets right and the other wrong: `b` = the champion right and
 * the challenger wrong, `c` the opposite. Rows both get right (or both wrong) say nothing about which
 * is better, so only the discordant pairs count.
 */
export interface McNemar {
  b: number;
  c: number;
  /** (|b - c| - 1)^2 / (b + c): chi-square with Edwards' continuity correction, 1 degree of freedom. */
  statistic: number;
  /** Upper tail of chi-square(1) at the statistic. */
  p_value: number;
  /** The exact two-sided binomial p-value of b among b + c discordant pairs at 1/2 (scipy's binomtest). */
  exact_p_value: number;
}

/**
 * With b + c = 0 nothing tells the versions apart: the statistic is 0 and both p-values are 1 (the
 * formula divides by zero and scipy's binomtest needs at least one trial).
 */
export function mcnemar(b: number, c: number): McNemar {
  const n = b + c;
  if (n === 0) return { b, c, statistic: 0, p_value: 1, exact_p_value: 1 };
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  // chi-square with 1 degree of freedom is the square of a standard normal: P(X > x) = erfc(sqrt(x / 2)).
  return { b, c, statistic, p_value: erfc(Math.sqrt(statistic / 2)), exact_p_value: binomialTwoSidedHalf(b, n) };
}

/**
 * Two-sided p-value of k successes in n trials at p = 1/2: the distribution is symmetric, so it is twice
 * the tail beyond the smaller count (1 when k = n - k), as scipy's binomtest computes it. The tail
 * P(X <= m) is the regularized incomplete beta I_{1/2}(n - m, m + 1).
 */
export function binomialTwoSidedHalf(k: number, n: number): number {
  if (n === 0 || 2 * k === n) return 1;
  const m = Math.min(k, n - k);
  // The two tails then cover every outcome: exactly 1 (the beta function would leave a rounding below).
  if (2 * m + 1 === n) return 1;
  return Math.min(1, 2 * incompleteBeta(0.5, n - m, m + 1));
}
