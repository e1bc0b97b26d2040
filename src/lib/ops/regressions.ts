/**
 * Operational regressions against the reference period: the whole log or a window against the reference,
 * a segment against the same segment in the reference (a route that is always slow is not a regression),
 * whose p95 latency rose past the baseline's by more than a tolerance, or whose error rate rose by more than a margin and more than
 * chance explains (a one-sided two-proportion z-test, pooled, at `alpha`). Groups with fewer requests than
 * `minCount` (or whose baseline has fewer) are not judged: one slow request in a window of three is not a regression.
 */
import { normalSf } from '../metrics/distributions';
import type { OpsHealth, OpsStats } from './health';

export interface RegressionOptions {
  /** Relative rise of p95 latency over the baseline that counts (0.25: 25% slower). */
  latencyTolerance?: number;
  /** Absolute rise of the error rate that counts (0.01: one more error in a hundred requests). */
  errorRateMargin?: number;
  alpha?: number;
  minCount?: number;
}

export interface OpsRegression {
  metric: 'latency_p95' | 'error_rate';
  scope: 'overall' | 'window' | 'segment';
  /** The window's start (epoch ms) or the segment's value; null overall. */
  key: number | string | null;
  value: number;
  baseline: number;
  count: number;
  /** value / baseline - 1 for latency, value - baseline for the error rate. */
  change: number;
  /** The z-test's p-value (error rate only). */
  pValue: number | null;
}

export const REGRESSION_DEFAULTS: Required<RegressionOptions> = {
  latencyTolerance: 0.25,
  errorRateMargin: 0.01,
  alpha: 0.001,
  minCount: 30,
};

/** p-value of "the group's error rate is above the baseline's", pooled two-proportion z-test. */
export function errorRatePValue(errors: number, n: number, baseErrors: number, baseN: number): number {
  const pooled = (errors + baseErrors) / (n + baseN);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / baseN));
  if (se === 0) return errors / n > baseErrors / baseN ? 0 : 1;
  return normalSf((errors / n - baseErrors / baseN) / se);
}

export function judge(s: OpsStats, base: OpsStats, o: Required<RegressionOptions>): Omit<OpsRegression, 'scope' | 'key'>[] {
  const out: Omit<OpsRegression, 'scope' | 'key'>[] = [];
  if (
    s.latencyCount >= o.minCount &&
    base.latencyCount >= o.minCount &&
    s.latency_p95 !== null &&
    base.latency_p95 !== null &&
    base.latency_p95 > 0
  ) {
    const change = s.latency_p95 / base.latency_p95 - 1;
    if (change > o.latencyTolerance)
      out.push({ metric: 'latency_p95', value: s.latency_p95, baseline: base.latency_p95, count: s.latencyCount, change, pValue: null });
  }
  if (
    s.statusCount >= o.minCount &&
    base.statusCount >= o.minCount &&
    s.error_rate !== null &&
    base.error_rate !== null &&
    base.statusCount > 0
  ) {
    const change = s.error_rate - base.error_rate;
    const p = errorRatePValue(s.errors, s.statusCount, base.errors, base.statusCount);
    if (change > o.errorRateMargin && p < o.alpha)
      out.push({ metric: 'error_rate', value: s.error_rate, baseline: base.error_rate, count: s.statusCount, change, pValue: p });
  }
  return out;
}

/** Every regression of the report against its reference, worst first within each metric; none without a reference. */
export function opsRegressions(report: OpsHealth, options: RegressionOptions = {}): OpsRegression[] {
  const base = report.reference;
  if (!base) return [];
  const o = { ...REGRESSION_DEFAULTS, ...options };
  const out: OpsRegression[] = [
    ...judge(report.overall, base, o).map((r) => ({ ...r, scope: 'overall' as const, key: null })),
    ...report.windows.flatMap((w) => judge(w, base, o).map((r) => ({ ...r, scope: 'window' as const, key: w.start }))),
    ...(report.by?.groups ?? []).flatMap((g) => {
      const own = report.referenceBy?.find((b) => b.value === g.value);
      return own ? judge(g, own, o).map((r) => ({ ...r, scope: 'segment' as const, key: g.value })) : [];
    }),
  ];
  return out.sort((a, b) => (a.metric === b.metric ? b.change - a.change : a.metric < b.metric ? -1 : 1));
}
