import type { LabelJoinSummary } from '../labels/join';
import type { AnyMetrics } from '../metrics/performance';
import type { Task } from '../metrics/spec';
import type { CurvePoint } from '../metrics/curves';
import type { SlicePredicate } from '../slices/dimensions';
import type { DeLongIndependent, DeLongPaired, Undefined } from './delong';
import type { McNemar } from './mcnemar';
import type { PairedT, WelchT, Wilcoxon } from './pairedErrors';
import type { ProportionTest } from './proportions';

/**
 * How the versions appear in the log. Paired (shadow): one output column per version, every row scored
 * by each. Split (canary, A/B): a version column, each row scored by one version in one output column.
 */
export type VersionsLayout =
  | { mode: 'paired'; champion: string; challenger: string }
  | { mode: 'split'; version: string; output: string; baseline?: string | undefined };

/** A layout with the reasons it was read from the columns (or that the user set it). */
export interface VersionsDetection {
  layout: VersionsLayout;
  reasons: string[];
}

/** Who is compared: the champion (paired) or the baseline value (split), and the others. */
export interface VersionRef {
  name: string;
  /** Paired: the output column. */
  column?: string;
  /** Split: the version column's value. */
  value?: string;
}

export interface VersionMetrics extends VersionRef {
  /** Labelled rows its metrics are computed on. */
  n: number;
  /** Split: this version's share of all logged rows. */
  share?: number;
  metrics: AnyMetrics;
  /** Flat {metric: value | null} in `lantern metrics`' names, with n. */
  flat: Record<string, number | null>;
  roc?: CurvePoint[];
}

export type Maybe<T> = T | Undefined;

/** A difference with a percentile bootstrap interval (seeded). */
export interface BootstrapDifference {
  difference: number;
  lo: number;
  hi: number;
  level: number;
  replicates: number;
}

export interface VersionTests {
  /** Paired classification. */
  mcnemar?: McNemar;
  /** Paired binary with scores. */
  delong?: Maybe<DeLongPaired>;
  /** Split classification: pooled z-tests of the rates, other minus baseline. */
  rates?: Record<string, Maybe<ProportionTest>>;
  /** Split binary with scores: DeLong for two independent AUCs. */
  auc?: Maybe<DeLongIndependent>;
  /** Regression, paired: tests on per-row absolute and squared errors (challenger minus champion). */
  errors?: Record<'absolute_error' | 'squared_error', { t: Maybe<PairedT>; wilcoxon: Maybe<Wilcoxon> }>;
  /** Regression, split: Welch's t-test of the per-row errors. */
  errorsWelch?: Record<'absolute_error' | 'squared_error', Maybe<WelchT>>;
  /** The other metrics: paired (same rows resampled together) or unpaired bootstrap of the difference. */
  bootstrap?: Record<string, BootstrapDifference>;
}

/** A slice (one condition) where the two versions were compared on the same kind of test as overall. */
export interface SliceComparison {
  label: string;
  predicates: SlicePredicate[];
  /** Rows of the champion (paired: of both). */
  n: number;
  /** Split: rows of the challenger in the slice. */
  nChallenger?: number;
  /** Accuracy (classification) or mean absolute error (regression) of each version in the slice. */
  champion: number;
  challenger: number;
  /** Challenger minus champion, in the metric's own direction. */
  difference: number;
  /** Paired classification: the discordant counts. */
  b?: number;
  c?: number;
  p_value: number;
  /** Benjamini-Hochberg over every slice compared. */
  q_value: number;
  /** Significantly worse (q below the false discovery rate) for the challenger. */
  worse: boolean;
  better: boolean;
}

export interface WindowComparison {
  /** ISO start and end (exclusive). */
  start: string;
  end: string;
  n: number;
  /** Split: the share of the window's rows each version served, by version name. */
  share?: Record<string, number>;
  /** By version name: rows, accuracy (or MAE) and ROC AUC where defined. */
  versions: Record<string, { n: number; accuracy?: number | null; roc_auc?: number | null; mae?: number | null }>;
  /** The primary test's p-value and the accuracy (or error) test's, with BH q-values over all windows. */
  primary: { difference: number | null; p_value: number | null; q_value: number | null };
  secondary: { difference: number | null; p_value: number | null; q_value: number | null };
  worse: boolean;
}

export interface ScoreDistributions {
  /** Equal-width bins over both versions' range, with each version's share of rows per bin. */
  bins: { lo: number; hi: number; shares: Record<string, number> }[];
  /** Two-sample Kolmogorov-Smirnov between the two versions' outputs (scipy's ks_2samp). */
  ks: { statistic: number; p_value: number } | null;
  /** Mean output of each version. */
  means: Record<string, number>;
}

export interface Disagreement {
  /** Rows where the versions' predicted classes differ (regression: mean |difference| of the predictions). */
  count: number;
  rate: number;
  /** Slices (one or two conditions) where they disagree significantly more than elsewhere. */
  slices: { label: string; predicates: SlicePredicate[]; n: number; rate: number; rest: number; q_value: number }[];
}

export type Decision = 'promote' | 'hold' | 'roll back';

export interface Verdict {
  decision: Decision;
  /** The metric the decision rests on first (roc_auc with scores, accuracy without, mae for regression). */
  primary: string;
  /** Sentences a person reads, most decisive first. */
  reasons: string[];
}

export interface VersionComparison {
  champion: string;
  challenger: string;
  tests: VersionTests;
  /** Challenger minus champion, per metric of the task (null where either is undefined). */
  differences: Record<string, number | null>;
  /** Slices where the challenger is significantly worse (or better), q < fdr. */
  slices: SliceComparison[];
  /** How many slices were compared. */
  slicesCompared: number;
  windows: WindowComparison[];
  disagreement?: Disagreement;
  scores?: ScoreDistributions;
  verdict: Verdict;
}

export interface Comparison {
  mode: VersionsLayout['mode'];
  layout: VersionsLayout;
  task: Task;
  label: string;
  positive?: string;
  threshold: number;
  /** Whether classifiers are compared on scores (binary) or on predicted classes only. */
  scores: boolean;
  join: LabelJoinSummary;
  /** The champion (paired) or baseline (split) first. */
  versions: VersionMetrics[];
  /** One per challenger against the champion. */
  comparisons: VersionComparison[];
  windowUnit: string | null;
  /** Requested slices (per-slice checks): each version's metrics on the slice's rows. */
  sliceMetrics: { column: string; value: string; versions: Record<string, Record<string, number | null>> }[];
  /** Milliseconds spent. */
  ms: number;
  /** Two model files compared (the log scored with each): their SHAP importance side by side. */
  models?: ModelImportance;
}

export const PRIMARY_DIRECTION: Record<string, 'higher' | 'lower'> = {
  accuracy: 'higher',
  precision: 'higher',
  recall: 'higher',
  f1: 'higher',
  specificity: 'higher',
  fpr: 'lower',
  fnr: 'lower',
  roc_auc: 'higher',
  average_precision: 'higher',
  log_loss: 'lower',
  brier: 'lower',
  macro_precision: 'higher',
  macro_recall: 'higher',
  macro_f1: 'higher',
  weighted_precision: 'higher',
  weighted_recall: 'higher',
  weighted_f1: 'higher',
  mae: 'lower',
  rmse: 'lower',
  mape: 'lower',
  r2: 'higher',
  max_error: 'lower',
};

/** Whether `difference` (challenger minus champion) of `metric` favours the challenger. */
export function favoursChallenger(metric: string, difference: number): boolean {
  // mean_error is a bias: neither direction is better, so no difference favours either version.
  if (!(metric in PRIMARY_DIRECTION)) return false;
  return PRIMARY_DIRECTION[metric] === 'lower' ? difference < 0 : difference > 0;
}

/** Both model files' mean |SHAP| per feature on the same rows of the log (two model files compared). */
export interface ModelImportance {
  /** Rows explained (at most IMPORTANCE_ROWS of src/lib/versions/models.ts), every `every`-th row of the log. */
  rows: number;
  every: number;
  /** The models' names, champion first: `values` follow this order. */
  models: string[];
  /** Most important first; null where a model does not use the feature. */
  features: { feature: string; values: (number | null)[] }[];
}
