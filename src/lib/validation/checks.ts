/**
 * The checks of validation before deployment: conditions on the validation report that pass or fail, in
 * the tab and in CI (`lantern validate` exits 1 when one fails). A check whose input is missing (no
 * sensitive column, no training data, no model, no timestamp) is not listed; one whose value is undefined
 * is "not evaluated" and never reads as a pass.
 */
import type { JunitInput } from '../checks/junit';
import type { BacktestReport } from './backtest';
import type { FairnessReport } from './fairness';
import { metric, quoted, share } from './format';
import type { LeakageReport } from './leakage';
import type { OverfittingReport } from './overfitting';
import type { RobustnessReport } from './robustness';

export type ValidationCheckStatus = 'pass' | 'fail' | 'not-evaluated';

export interface ValidationCheck {
  id: string;
  title: string;
  status: ValidationCheckStatus;
  value: number | null;
  /** The condition that passes, as text. */
  threshold: string;
  message: string;
}

export interface ValidationLimits {
  /** fairlearn's demographic parity difference at most this. */
  maxParityDifference: number;
  /** fairlearn's equalized odds difference at most this. */
  maxEqualizedOddsDifference: number;
  /** The train-test gap in the main metric at most this. */
  maxGap: number;
  /** The largest prediction flip rate of one perturbed feature at most this. */
  maxFlipRate: number;
  /** The main metric's spread over the time folds at most this. */
  maxBacktestSpread: number;
}

/** Deepchecks' and fairlearn's usual bars: 0.1 for disparities, 0.05 for the train-test gap. */
export const VALIDATION_LIMITS: ValidationLimits = {
  maxParityDifference: 0.1,
  maxEqualizedOddsDifference: 0.1,
  maxGap: 0.05,
  maxFlipRate: 0.1,
  maxBacktestSpread: 0.1,
};

export interface ValidationParts {
  fairness: FairnessReport | null;
  leakage: LeakageReport | null;
  overfitting: OverfittingReport | null;
  robustness: RobustnessReport | null;
  backtest: BacktestReport | null;
}

function atMost(
  id: string,
  title: string,
  value: number | null,
  max: number,
  reason: string,
  describe: (v: number) => string,
): ValidationCheck {
  const threshold = `<= ${max}`;
  if (value === null) return { id, title, status: 'not-evaluated', value: null, threshold, message: reason };
  return { id, title, status: value <= max ? 'pass' : 'fail', value, threshold, message: describe(value) };
}

export function validationChecks(parts: ValidationParts, limits: ValidationLimits = VALIDATION_LIMITS): ValidationCheck[] {
  const out: ValidationCheck[] = [];
  const f = parts.fairness;
  if (f) {
    const by = f.sensitive.join(' x ');
    for (const [id, key, max, name] of [
      ['fairness:demographic_parity_difference', 'demographic_parity_difference', limits.maxParityDifference, 'selection rate'],
      ['fairness:equalized_odds_difference', 'equalized_odds_difference', limits.maxEqualizedOddsDifference, 'true or false positive rate'],
    ] as const) {
      const m = f[key];
      out.push(
        atMost(
          id,
          `${key.replace(/_/g, ' ')} across ${by}`,
          m.defined ? m.value : null,
          max,
          m.defined ? '' : m.reason,
          (v) => `the ${name} differs by ${metric(v)} between the groups of ${by} with at least ${f.minGroupSize} rows`,
        ),
      );
    }
  }
  const l = parts.leakage;
  if (l) {
    const columns = [
      ...new Set(l.findings.filter((x) => x.reason !== 'shared-ids' && x.reason !== 'time-overlap' && x.column).map((x) => x.column!)),
    ];
    out.push({
      id: 'leakage:columns',
      title: 'No leaking column',
      status: columns.length ? 'fail' : 'pass',
      value: columns.length,
      threshold: '= 0',
      message: columns.length
        ? `${quoted(columns)} ${columns.length === 1 ? 'gives' : 'give'} the label away`
        : `none of ${l.columns.length} columns predicts the label on its own`,
    });
    const split = l.findings.filter((x) => x.reason === 'shared-ids' || x.reason === 'duplicate-rows' || x.reason === 'time-overlap');
    if (l.split.sharedIds || l.split.duplicates || l.split.time)
      out.push({
        id: 'leakage:split',
        title: 'Evaluation data held out from training data',
        status: split.length ? 'fail' : 'pass',
        value: split.length,
        threshold: '= 0',
        message: split.length ? split.map((x) => x.evidence).join('; ') : 'no shared ids, repeated rows or overlapping time',
      });
  }
  const o = parts.overfitting;
  if (o) {
    const m = o.metrics.find((x) => x.metric === o.sliceMetric);
    out.push(
      atMost(
        `overfitting:${o.sliceMetric}`,
        `Train-test gap in ${o.sliceMetric}`,
        m?.gap ?? null,
        limits.maxGap,
        m?.reason ?? `${o.sliceMetric} is not available`,
        (v) =>
          `held-out ${o.sliceMetric} is worse by ${metric(v)}: ${o.sliceMetric} is ${metric(m!.train!)} on the training data and ${metric(m!.test!)} on the held-out data`,
      ),
    );
  }
  const r = parts.robustness;
  if (r && r.features.length && r.features[0]!.flip_rate !== null) {
    const worst = r.features[0]!;
    out.push(
      atMost('robustness:flip_rate', 'Predictions stable under small changes', worst.flip_rate, limits.maxFlipRate, '', (v) =>
        v === 0
          ? `no prediction changes class when one feature is perturbed`
          : `perturbing "${worst.feature}" changes ${share(v)} of the predictions`,
      ),
    );
  }
  const b = parts.backtest;
  if (b)
    out.push(
      atMost(
        `backtest:${b.metric}`,
        `${b.metric} stable across time folds`,
        b.spread,
        limits.maxBacktestSpread,
        'fewer than two folds have the metric defined',
        (v) => `${b.metric} ranges over ${metric(v)} across ${b.folds.length} folds`,
      ),
    );
  return out;
}

export function checksStatus(checks: readonly ValidationCheck[]): 'pass' | 'fail' {
  return checks.some((c) => c.status !== 'pass') ? 'fail' : 'pass';
}

/** The checks as JUnit XML input (one testcase per check; "not evaluated" is an error, as for check suites). */
export function checksForJunit(checks: readonly ValidationCheck[], name = 'lantern validate'): JunitInput {
  const counts = { pass: 0, warn: 0, fail: 0, 'not-evaluated': 0 };
  for (const c of checks) counts[c.status]++;
  return { name, counts, results: checks.map((c) => ({ ...c, kind: c.id.split(':')[0]! })) };
}
