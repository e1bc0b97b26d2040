/**
 * The drift of profiles as the CLI prints it: the same JSON as between files (`driftJson`), with
 * `approximate` and each column's error bounds, and the same text with a line on what is approximate.
 */
import { driftJson, driftText, type DriftJson } from '../drift/output';
import { LanternError } from '../errors';
import type { ProfileDriftReport } from './drift';
import type { Profile } from './format';
import type { ReportTable } from '../report/reportData';
import { profileMetrics, type ProfileMetrics } from './metrics';

export interface ProfileDriftJson extends DriftJson {
  approximate: boolean;
  /** The sketch's relative accuracy. */
  alpha: number;
  columns: (DriftJson['columns'][number] & { approximate: boolean; error_bounds: Record<string, number> })[];
}

export function profileDriftJson(report: ProfileDriftReport): ProfileDriftJson {
  const base = driftJson(report);
  return {
    ...base,
    approximate: report.approximate,
    alpha: report.alpha,
    columns: base.columns.map((c) => {
      const a = report.approximation[c.name];
      return { ...c, approximate: a ? !a.exact : false, error_bounds: (a?.bounds ?? {}) as Record<string, number> };
    }),
  };
}

export function profileDriftText(report: ProfileDriftReport): string {
  const approximate = Object.entries(report.approximation).filter(([, a]) => !a.exact);
  const note = approximate.length
    ? `From profiles: approximate (sketch accuracy ${report.alpha}) for ${approximate
        .map(
          ([name, a]) =>
            `${name} (${Object.entries(a.bounds)
              .map(([k, v]) => `${k} ±${v.toPrecision(2)}`)
              .join(', ')})`,
        )
        .join('; ')}; exact for the other columns.`
    : 'From profiles: every figure is exact (each column kept exact value counts).';
  return `${driftText(report)}\n${note}`;
}

const METRIC_FIGURES = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'specificity',
  'fpr',
  'fnr',
  'roc_auc',
  'average_precision',
  'log_loss',
  'brier',
] as const;

/** A metrics result in the shape `lantern metrics` prints for files (binary task). */
export function flatProfileMetrics(m: ProfileMetrics): Record<string, number | null> {
  return { n: m.n, ...Object.fromEntries(METRIC_FIGURES.map((k) => [k, m[k]])) };
}

/**
 * `lantern metrics` on a profile: the JSON of a binary task on files, with `approximate` and the error
 * bounds, and `by` one entry per time window when the profile was made by window.
 */
export function profileMetricsJson(profile: Profile): Record<string, unknown> {
  const perf = profile.performance;
  const whole = profile.parts.find((p) => p.window === null && p.segment === null);
  if (!perf || !whole?.performance)
    throw new LanternError(
      'usage',
      'This profile has no label and score: make it with a label and a score column to compute metrics from it.',
    );
  const alpha = profile.sketch.alpha;
  const overall = profileMetrics(whole.performance, alpha);
  const undefinedReasons: Record<string, string> = {};
  for (const k of METRIC_FIGURES)
    if (overall[k] === null) undefinedReasons[k] = overall.n === 0 ? 'no labelled rows' : 'needs both classes or a predicted positive';
  return {
    task: 'binary',
    positive_class: perf.positive,
    threshold: perf.threshold,
    columns: { label: perf.label, score: perf.score, prediction: null, timestamp: profile.time?.column ?? null },
    labels: null,
    overall: flatProfileMetrics(overall),
    undefined: undefinedReasons,
    by: profile.parts
      .filter((p) => p.window !== null && p.segment === null && p.performance)
      .map((p) => ({ column: profile.time!.column, value: p.window, ...flatProfileMetrics(profileMetrics(p.performance!, alpha)) })),
    approximate: overall.approximate,
    alpha,
    error_bounds: overall.bounds,
  };
}

/** The report's table of what comes from a sketch, and by how much it can be off. */
export function approximationTable(report: ProfileDriftReport): ReportTable {
  const rows = Object.entries(report.approximation).map(([column, a]) => [
    column,
    a.exact ? 'exact' : 'approximate',
    Object.entries(a.bounds)
      .map(([k, v]) => `${k} ±${v.toPrecision(2)}`)
      .join(', ') || '—',
  ]);
  return {
    id: 'profile-approximation',
    title: `From profiles: figures from the sketch (accuracy ${report.alpha}) and their error bounds`,
    header: ['column', 'figures', 'error bounds'],
    rows,
  };
}
