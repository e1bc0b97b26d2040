/**
 * Batches over time: every batch's profile against the reference profile, as the History view draws it
 * and `lantern history` prints it. Per batch: volume, drift of each column (the same report as between
 * two profiles), data quality and, for labelled predictions, the metrics. A batch regresses when its
 * dataset drifts, a watched metric falls further below the reference's than the tolerance, a column's
 * missing share rises past the tolerance, or its volume falls below a share of the typical batch.
 */
import { LanternError } from '../errors';
import { profileDriftReport } from './drift';
import type { Profile, ProfilePart } from './format';
import { profileMetrics, type ProfileMetrics } from './metrics';
import { partQuality, type ColumnQuality } from './quality';

export interface HistorySettings {
  /** Share of drifted columns at which a batch's dataset drifts (Evidently's default 0.5). */
  driftShare: number;
  /** A watched metric this much (absolute) below the reference's is a regression. */
  metricDrop: number;
  /** A column's missing share this much (absolute) above the reference's is a regression. */
  missingRise: number;
  /** A batch with fewer rows than this share of the median batch is a regression. */
  volumeShare: number;
}

export const DEFAULT_HISTORY_SETTINGS: HistorySettings = { driftShare: 0.5, metricDrop: 0.05, missingRise: 0.05, volumeShare: 0.5 };

/** Metrics whose fall is a regression (higher is better for each; F1 at a fixed threshold swings too much from day to day to watch by default). */
export const WATCHED_METRICS = ['roc_auc', 'accuracy'] as const;
export type WatchedMetric = (typeof WATCHED_METRICS)[number];

export interface NamedProfile {
  name: string;
  profile: Profile;
}

/** One batch: a profile's part (all rows, or one time window of it). */
export interface Batch {
  /** The file's name, or its window's start for a profile split by time. */
  name: string;
  window: string | null;
  profile: Profile;
  part: ProfilePart;
}

export interface ColumnPoint {
  column: string;
  method: string;
  score: number | null;
  threshold: number;
  drifted: boolean;
  approximate: boolean;
}

export type RegressionKind = 'drift' | 'metric' | 'missing' | 'volume';

export interface Regression {
  batch: string;
  kind: RegressionKind;
  /** The column or metric concerned, when there is one. */
  subject: string | null;
  value: number;
  limit: number;
  message: string;
}

export interface BatchSummary {
  name: string;
  window: string | null;
  rows: number;
  drift: { share: number; driftedColumns: number; testedColumns: number; drifted: boolean; columns: ColumnPoint[] };
  quality: ColumnQuality[];
  metrics: ProfileMetrics | null;
  /** True when some drift or metric figure comes from a sketch. */
  approximate: boolean;
  regressions: Regression[];
}

export interface HistoryReport {
  reference: { name: string; rows: number; metrics: ProfileMetrics | null };
  batches: BatchSummary[];
  settings: HistorySettings;
  /** Every regression, batch by batch. */
  regressions: Regression[];
  /** The first batch with a regression, or null. */
  firstRegression: string | null;
  /** The median rows of a batch, which the volume limit is a share of. */
  typicalRows: number;
}

const wholeOf = (p: Profile) => p.parts.find((x) => x.window === null && x.segment === null) ?? null;

/**
 * The batches of some profiles in time order: a profile split by time gives one batch per window, any
 * other profile one batch named after its file. Batches without a window keep the order given.
 */
export function batchesOf(profiles: readonly NamedProfile[]): Batch[] {
  const out: Batch[] = [];
  for (const { name, profile } of profiles) {
    const windows = profile.time ? profile.parts.filter((p) => p.window !== null && p.segment === null) : [];
    if (windows.length > 1) for (const part of windows) out.push({ name: part.window!, window: part.window, profile, part });
    else {
      const part = windows[0] ?? wholeOf(profile);
      if (!part) throw new LanternError('bad-profile', `The profile "${name}" has no part for all rows.`);
      out.push({ name, window: windows[0]?.window ?? null, profile, part });
    }
  }
  // Windowed batches sort by their start; the others stay where they were among them.
  const timed = out.filter((b) => b.window !== null).sort((a, b) => a.window!.localeCompare(b.window!));
  let next = 0;
  return out.map((b) => (b.window === null ? b : timed[next++]!));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

export function historyReport(reference: NamedProfile, batches: readonly Batch[], settings: Partial<HistorySettings> = {}): HistoryReport {
  const s = { ...DEFAULT_HISTORY_SETTINGS, ...settings };
  const refPart = wholeOf(reference.profile);
  if (!refPart) throw new LanternError('bad-profile', `The reference profile "${reference.name}" has no part for all rows.`);
  const alpha = reference.profile.sketch.alpha;
  const refMetrics = refPart.performance ? profileMetrics(refPart.performance, alpha) : null;
  const typical = median(batches.map((b) => b.part.rows));
  const summaries = batches.map((b): BatchSummary => {
    const drift = profileDriftReport(reference.profile, b.profile, {
      referencePart: refPart,
      currentPart: b.part,
      driftShare: s.driftShare,
    });
    const quality = partQuality(refPart, b.part, alpha);
    const metrics = b.part.performance ? profileMetrics(b.part.performance, alpha) : null;
    const regressions: Regression[] = [];
    const add = (kind: RegressionKind, subject: string | null, value: number, limit: number, message: string) =>
      regressions.push({ batch: b.name, kind, subject, value, limit, message });
    if (drift.dataset.drifted)
      add(
        'drift',
        null,
        drift.dataset.share,
        s.driftShare,
        `${b.name}: ${drift.dataset.driftedColumns} of ${drift.dataset.testedColumns} columns drifted (${percent(drift.dataset.share)}, limit ${percent(s.driftShare)}).`,
      );
    if (metrics && refMetrics)
      for (const m of WATCHED_METRICS) {
        const [now, then] = [metrics[m], refMetrics[m]];
        if (now !== null && then !== null && then - now > s.metricDrop)
          add(
            'metric',
            m,
            now,
            then - s.metricDrop,
            `${b.name}: ${m} fell to ${now.toFixed(3)} from ${then.toFixed(3)} in the reference (tolerance ${s.metricDrop}).`,
          );
      }
    for (const q of quality)
      if (q.missing - q.missingReference > s.missingRise)
        add(
          'missing',
          q.column,
          q.missing,
          q.missingReference + s.missingRise,
          `${b.name}: ${q.column} is missing in ${percent(q.missing)} of rows (${percent(q.missingReference)} in the reference).`,
        );
    if (batches.length > 1 && b.part.rows < s.volumeShare * typical)
      add(
        'volume',
        null,
        b.part.rows,
        s.volumeShare * typical,
        `${b.name}: ${b.part.rows} rows, under ${percent(s.volumeShare)} of the typical batch (${typical}).`,
      );
    return {
      name: b.name,
      window: b.window,
      rows: b.part.rows,
      drift: {
        share: drift.dataset.share,
        driftedColumns: drift.dataset.driftedColumns,
        testedColumns: drift.dataset.testedColumns,
        drifted: drift.dataset.drifted,
        columns: drift.columns.map((c) => ({
          column: c.name,
          method: c.method,
          score: c.score,
          threshold: c.threshold,
          drifted: c.drifted,
          approximate: !(drift.approximation[c.name]?.exact ?? true),
        })),
      },
      quality,
      metrics,
      approximate: drift.approximate || (metrics?.approximate ?? false),
      regressions,
    };
  });
  const regressions = summaries.flatMap((b) => b.regressions);
  return {
    reference: { name: reference.name, rows: refPart.rows, metrics: refMetrics },
    batches: summaries,
    settings: s,
    regressions,
    firstRegression: summaries.find((b) => b.regressions.length)?.name ?? null,
    typicalRows: typical,
  };
}
