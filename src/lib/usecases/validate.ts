/**
 * Validation before deployment as one use case for the app and the CLI: over a prepared performance
 * session (the evaluation data with labels, and the training data as its reference when given), measure
 * fairness across the sensitive columns, leakage, the train-test gap, robustness to perturbed inputs (with
 * the model) and a backtest over time folds, and judge the checks. What a threshold changes is cached as
 * counts, so a slider move (`at`) is answered without a query.
 */
import { LanternError } from '../errors';
import type { TreeEnsemble } from '../model/ensemble';
import { backtestAt, loadBacktest, type BacktestCache, type BacktestReport } from '../validation/backtest';
import { validationChecks, VALIDATION_LIMITS, type ValidationCheck, type ValidationLimits } from '../validation/checks';
import { VALIDATION_DEFAULTS } from '../validation/defaults';
import {
  fairnessAt,
  fairnessSweep,
  loadFairnessCounts,
  type FairnessCounts,
  type FairnessReport,
  type FairnessSweepPoint,
} from '../validation/fairness';
import { leakageReport, type LeakageReport } from '../validation/leakage';
import { loadOverfitting, overfittingAt, type OverfittingCache, type OverfittingReport } from '../validation/overfitting';
import { robustnessReport, type RobustnessReport } from '../validation/robustness';
import type { PerformanceSession } from './performance';
import type { Run } from './run';

export interface ValidationOptions {
  /** Columns whose groups (and their intersections) are compared for fairness. */
  sensitive?: string[];
  /** The model file, for robustness. */
  model?: TreeEnsemble | undefined;
  folds?: number;
  minGroupSize?: number;
  limits?: Partial<ValidationLimits>;
}

export interface ValidationReport {
  task: string;
  threshold: number | null;
  /** Each part is null when its input is missing; `missing` says what would add it. */
  fairness: FairnessReport | null;
  /** Binary with scores: the fairness differences and accuracy over thresholds (the slider's trade-off). */
  fairnessSweep: FairnessSweepPoint[];
  leakage: LeakageReport;
  overfitting: OverfittingReport | null;
  robustness: RobustnessReport | null;
  backtest: BacktestReport | null;
  missing: { fairness?: string; overfitting?: string; robustness?: string; backtest?: string };
  checks: ValidationCheck[];
}

export type ValidationProgress = { step: 'fairness' | 'leakage' | 'overfitting' | 'robustness' | 'backtest' };

export class ValidationSession {
  private sweep: { minGroupSize: number; points: FairnessSweepPoint[] } | null = null;

  constructor(
    private readonly task: string,
    private readonly threshold: number | null,
    private readonly fairness: FairnessCounts | null,
    private readonly leakage: LeakageReport,
    private readonly overfitting: OverfittingCache | null,
    private readonly robustness: RobustnessReport | null,
    private readonly backtest: BacktestCache | null,
    private readonly missing: ValidationReport['missing'],
    private readonly options: { minGroupSize: number; limits: ValidationLimits },
  ) {}

  /** The report at a threshold (binary with scores; other tasks ignore it), from the cached counts. */
  at(threshold: number | null = this.threshold, minGroupSize = this.options.minGroupSize): ValidationReport {
    const t = this.threshold === null ? null : (threshold ?? this.threshold);
    const parts = {
      fairness: this.fairness ? fairnessAt(this.fairness, t, minGroupSize) : null,
      leakage: this.leakage,
      overfitting: this.overfitting ? overfittingAt(this.overfitting, t) : null,
      // Robustness replays the model at the threshold it was opened with: a slider move does not re-score.
      robustness: this.robustness,
      backtest: this.backtest ? backtestAt(this.backtest, t) : null,
    };
    if (this.fairness && this.sweep?.minGroupSize !== minGroupSize)
      this.sweep = { minGroupSize, points: fairnessSweep(this.fairness, minGroupSize) };
    return {
      task: this.task,
      threshold: t,
      ...parts,
      fairnessSweep: this.sweep?.points ?? [],
      missing: this.missing,
      checks: validationChecks(parts, this.options.limits),
    };
  }
}

/** Runs every part whose inputs are there. `perf` is a prepared session; its reference is the training data. */
export async function openValidation(
  run: Run,
  perf: PerformanceSession,
  options: ValidationOptions = {},
  onProgress?: (p: ValidationProgress) => void,
): Promise<ValidationSession> {
  const { db, signal } = run;
  const spec = perf.spec;
  const train = perf.reference;
  const roles = perf.setup.roles;
  const missing: ValidationReport['missing'] = {};
  const threshold = spec.task === 'binary' && spec.score ? spec.threshold : null;

  let fairness: FairnessCounts | null = null;
  const sensitive = options.sensitive ?? [];
  if (sensitive.length) {
    onProgress?.({ step: 'fairness' });
    fairness = await loadFairnessCounts(db, spec, sensitive, signal);
  } else missing.fairness = 'Choose one or more sensitive columns to compare groups by.';

  onProgress?.({ step: 'leakage' });
  const outputs = [spec.score, spec.prediction, ...(spec.classScores ?? []).map((c) => c.column)].filter((c): c is string => Boolean(c));
  const candidates = perf.setup.columns.map((c) => c.name).filter((n) => roles[n] === 'feature' || roles[n] === 'segment');
  const id = Object.keys(roles).find((n) => roles[n] === 'id');
  const leakage = await leakageReport(
    db,
    {
      spec: train ?? spec,
      measuredOn: train ? 'training' : 'evaluation',
      candidates,
      id,
      evaluation: spec.table,
      training: train?.table,
      evaluationId: id,
      timestamp: spec.timestamp,
      outputs: [...outputs, spec.label],
    },
    signal,
  );

  let overfitting: OverfittingCache | null = null;
  if (train) {
    onProgress?.({ step: 'overfitting' });
    overfitting = await loadOverfitting(db, train, spec, perf.dims, signal ? { signal } : {});
  } else missing.overfitting = 'Add the training data (with labels and the model outputs) to compare the model on it with held-out data.';

  let robustness: RobustnessReport | null = null;
  if (options.model) {
    onProgress?.({ step: 'robustness' });
    robustness = await robustnessReport(db, options.model, spec.table, {
      ...(threshold !== null ? { threshold } : {}),
      ...(signal ? { signal } : {}),
    });
  } else missing.robustness = 'Add the model file to measure how predictions move when inputs are perturbed.';

  let backtest: BacktestCache | null = null;
  if (perf.setup.timestampSql && spec.timestamp) {
    onProgress?.({ step: 'backtest' });
    backtest = await loadBacktest(db, spec, perf.setup.timestampSql, {
      ...(options.folds ? { folds: options.folds } : {}),
      ...(signal ? { signal } : {}),
    });
  } else missing.backtest = 'Mark a timestamp column to backtest the model over consecutive periods.';

  if (options.folds !== undefined && !(options.folds >= 2)) throw new LanternError('usage', 'A backtest needs at least two folds.');
  return new ValidationSession(spec.task, threshold, fairness, leakage, overfitting, robustness, backtest, missing, {
    minGroupSize: options.minGroupSize ?? VALIDATION_DEFAULTS.minGroupSize,
    limits: { ...VALIDATION_LIMITS, ...options.limits },
  });
}
