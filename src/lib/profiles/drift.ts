/**
 * Drift between two profiles: the same report, methods and verdicts as between two files
 * (src/lib/drift), computed from the profiles' counts. A figure is exact when both sides kept exact value
 * counts (numbers with few distinct values, text under the cap); otherwise it comes from the sketch, and
 * the report says by how much it can be off:
 *
 * - KS statistic: the ECDFs are exact at every bucket edge; inside a bucket their gap can move by at most
 *   the larger side's share in that bucket, so the true statistic lies in [D, D + bound].
 * - Wasserstein-1: every value moved to its bucket's representative moves at most the bucket's reach,
 *   so |W - W_sketch| <= mean reach of the reference + mean reach of the current values. The reference
 *   standard deviation of the normalisation is exact (from the sums).
 * - PSI / Jensen-Shannon: each histogram bin's share can be off by the share of the buckets straddling
 *   its edges.
 */
import { categoricalDriftFromCounts, numericalDriftFromCounts, type ColumnDrift, type NumericalStats } from '../drift/columnDrift';
import type { ValueCounts } from '../drift/ecdf';
import { FREE_TEXT_REASON, looksLikeFreeText } from '../drift/freeText';
import { DEFAULT_DATASET_DRIFT_SHARE, defaultMethod, isDrifted, methodAppliesTo } from '../drift/methods';
import type { ColumnSetting, DriftReport, NotTested } from '../drift/report';
import { compareSchemas, driftKindOf } from '../drift/schemaDiff';
import { LanternError } from '../errors';
import type { ColumnRole } from '../roles';
import { kindOfType, type ColumnInfo } from '../schema';
import type { NumericColumnProfile, Profile, ProfilePart, TextColumnProfile } from './format';
import { columnValues, type ColumnValues } from './sketch';

export interface ColumnApproximation {
  /** Every figure of the column is exact (both sides kept exact counts). */
  exact: boolean;
  /** How far each figure can be from the exact one (0 where exact). */
  bounds: {
    ks_statistic?: number;
    wasserstein?: number;
    wasserstein_normed?: number;
    /** Histogram bins (PSI, Jensen-Shannon): how far a bin's share can be off. */
    bin_share?: number;
    /** Text: the share of values outside the kept top values (lumped as one category). */
    other_share?: number;
  };
}

export interface ProfileDriftReport extends DriftReport {
  /** True when some figure comes from a sketch (see `approximation`). */
  approximate: boolean;
  approximation: Record<string, ColumnApproximation>;
  /** The sketch's relative accuracy. */
  alpha: number;
}

export interface ProfileDriftOptions {
  columns?: readonly string[];
  perColumn?: Record<string, ColumnSetting>;
  driftShare?: number;
  /** The parts to compare (default: each profile's all-rows part). */
  referencePart?: ProfilePart;
  currentPart?: ProfilePart;
}

const TESTED_ROLES: ReadonlySet<string> = new Set(['feature', 'prediction', 'score', 'label', 'segment']);
const OUTPUT_ROLES: ReadonlySet<string> = new Set(['prediction', 'score', 'label']);

/** The part of all rows (no window, no segment). */
export function wholePart(profile: Profile): ProfilePart {
  const part = profile.parts.find((p) => p.window === null && p.segment === null);
  if (!part) throw new LanternError('bad-profile', 'This profile has no part for all rows.');
  return part;
}

/** The profile's columns as a table's columns (for the schema comparison). */
export function profileColumnsInfo(profile: Profile): ColumnInfo[] {
  return profile.columns.map((c) => {
    const fromType = kindOfType(c.type);
    const kind =
      fromType === 'numeric' || fromType === 'boolean' || fromType === 'string' ? fromType : c.kind === 'numeric' ? 'numeric' : 'string';
    return { name: c.name, type: c.type === 'numeric' ? 'DOUBLE' : c.type === 'text' ? 'VARCHAR' : c.type, kind };
  });
}

export function profileDriftReport(reference: Profile, current: Profile, options: ProfileDriftOptions = {}): ProfileDriftReport {
  if (reference.sketch.alpha !== current.sketch.alpha)
    throw new LanternError(
      'bad-profile',
      'The two profiles were made with different sketch accuracy; make them with the same settings to compare them.',
    );
  const alpha = reference.sketch.alpha;
  const ref = options.referencePart ?? wholePart(reference);
  const cur = options.currentPart ?? wholePart(current);
  const refCols = profileColumnsInfo(reference);
  const curCols = profileColumnsInfo(current);
  const schema = compareSchemas(refCols, curCols);
  const roles = reference.roles as Record<string, ColumnRole>;
  const refByName = new Map(refCols.map((c) => [c.name, c]));
  const curByName = new Map(curCols.map((c) => [c.name, c]));
  if (options.columns)
    for (const name of options.columns)
      if (!refByName.has(name) || !curByName.has(name))
        throw new LanternError(
          'usage',
          `Column "${name}" is not in both profiles. Shared columns: ${schema.shared.join(', ') || '(none)'}.`,
        );
  const notTested: NotTested[] = [];
  const columns: ColumnDrift[] = [];
  const approximation: Record<string, ColumnApproximation> = {};
  const dropped: DriftReport['dropped'] = {};
  for (const name of options.columns ? [...options.columns] : schema.shared) {
    const r = refByName.get(name)!;
    const c = curByName.get(name)!;
    const kind = driftKindOf(r);
    const role = roles[name] ?? 'feature';
    const setting = options.perColumn?.[name] ?? {};
    if (!options.columns && !TESTED_ROLES.has(role)) {
      notTested.push({ name, reason: `role ${role}` });
      continue;
    }
    if (kind === null) {
      notTested.push({ name, reason: `${r.type} columns are reported, not tested` });
      continue;
    }
    if (driftKindOf(c) !== kind) {
      notTested.push({ name, reason: `type changed from ${r.type} to ${c.type}` });
      continue;
    }
    if (setting.method && !methodAppliesTo(setting.method, kind))
      throw new LanternError('usage', `Method ${setting.method} needs a numerical column; "${name}" is categorical.`);
    if (kind === 'numerical') {
      const [a, b] = [ref.numeric[name], cur.numeric[name]];
      if (!a || !b) {
        notTested.push({ name, reason: 'not profiled as numbers on both sides' });
        continue;
      }
      const result = numericalFromProfiles(name, a, b, alpha, reference.caps.numericValues, setting);
      columns.push(result.drift);
      approximation[name] = result.approximation;
      dropped[name] = {
        refNulls: a.nulls,
        curNulls: b.nulls,
        refNonFinite: a.nan + a.posInf + a.negInf,
        curNonFinite: b.nan + b.posInf + b.negInf,
      };
    } else {
      const [a, b] = [ref.text[name], cur.text[name]];
      if (!a || !b) {
        notTested.push({ name, reason: 'not profiled as text on both sides' });
        continue;
      }
      const counts = categoryCounts(a, b);
      if (!setting.method && looksLikeFreeText(counts)) {
        notTested.push({ name, reason: FREE_TEXT_REASON });
        continue;
      }
      columns.push(categoricalDriftFromCounts(name, counts, setting));
      const exact = a.exact && b.exact;
      approximation[name] = exact
        ? { exact, bounds: {} }
        : { exact, bounds: { other_share: Math.max(a.count ? a.other / a.count : 0, b.count ? b.other / b.count : 0) } };
      dropped[name] = { refNulls: a.nulls, curNulls: b.nulls, refNonFinite: 0, curNonFinite: 0 };
    }
  }
  const testedRoles: Record<string, ColumnRole> = {};
  for (const c of columns) testedRoles[c.name] = roles[c.name] ?? 'feature';
  const threshold = options.driftShare ?? DEFAULT_DATASET_DRIFT_SHARE;
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const share = columns.length ? driftedColumns / columns.length : 0;
  return {
    referenceRows: ref.rows,
    currentRows: cur.rows,
    schema,
    columns,
    roles: testedRoles,
    notTested,
    dataset: { driftedColumns, testedColumns: columns.length, share, threshold, drifted: columns.length > 0 && share >= threshold },
    outputs: columns.filter((c) => OUTPUT_ROLES.has(testedRoles[c.name]!)),
    // A profile keeps each column's sketch, not the rows' vectors: numbered columns stay columns.
    embeddings: [],
    dropped,
    approximate: Object.values(approximation).some((a) => !a.exact),
    approximation,
    alpha,
  };
}

/** Text counts of both sides in the drift core's shape; values folded into "other" stay one category. */
export function categoryCounts(a: TextColumnProfile, b: TextColumnProfile): { keys: string[]; ref: number[]; cur: number[] } {
  const counts = new Map<string, [number, number]>();
  a.top[0].forEach((k, i) => counts.set(k, [a.top[1][i]!, 0]));
  b.top[0].forEach((k, i) => {
    const seen = counts.get(k);
    if (seen) seen[1] = b.top[1][i]!;
    else counts.set(k, [0, b.top[1][i]!]);
  });
  // The drift core orders categories as DuckDB's ORDER BY on text: by UTF-8 bytes, which for these
  // strings is code point order.
  const keys = [...counts.keys()].sort(compareCodePoints);
  const out = { keys, ref: keys.map((k) => counts.get(k)![0]), cur: keys.map((k) => counts.get(k)![1]) };
  if (a.other > 0 || b.other > 0) {
    out.keys.push('(other values)');
    out.ref.push(a.other);
    out.cur.push(b.other);
  }
  return out;
}

function compareCodePoints(p: string, q: string): number {
  const [x, y] = [[...p], [...q]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function pooled(a: ColumnValues, b: ColumnValues): ValueCounts {
  const n = a.x.length + b.x.length;
  const x = new Float64Array(n);
  const ca = new Float64Array(n);
  const cb = new Float64Array(n);
  let i = 0;
  let j = 0;
  let k = -1;
  while (i < a.x.length || j < b.x.length) {
    const fromA = j >= b.x.length || (i < a.x.length && a.x[i]! <= b.x[j]!);
    const v = fromA ? a.x[i]! : b.x[j]!;
    if (k < 0 || x[k] !== v) x[++k] = v;
    if (fromA) ca[k]! += a.c[i++]!;
    else cb[k]! += b.c[j++]!;
  }
  return { x: x.subarray(0, k + 1), a: ca.subarray(0, k + 1), b: cb.subarray(0, k + 1) };
}

/** numpy.std of the finite values from the exact sums. */
export function stdFromSums(p: NumericColumnProfile): number {
  if (p.finite === 0) return Number.NaN;
  const mean = p.sum / p.finite;
  return Math.sqrt(Math.max(0, p.sumSquares / p.finite - mean * mean));
}

function numericalFromProfiles(
  name: string,
  a: NumericColumnProfile,
  b: NumericColumnProfile,
  alpha: number,
  cap: number,
  setting: ColumnSetting,
): { drift: ColumnDrift; approximation: ColumnApproximation } {
  const exact = a.values !== null && b.values !== null;
  const ra = columnValues(a, alpha, !exact);
  const rb = columnValues(b, alpha, !exact);
  const vc = pooled(ra, rb);
  if (exact) return { drift: numericalDriftFromCounts(name, vc, setting), approximation: { exact: true, bounds: {} } };
  // Some side has more distinct values than the cap, so the pooled sample has more than 5: Evidently's
  // table picks by that, not by the number of buckets.
  const method = setting.method ?? defaultMethod('numerical', a.finite, cap + 1);
  const drift = numericalDriftFromCounts(name, vc, { ...setting, method });
  const nRef = a.finite;
  const nCur = b.finite;
  let ks = 0;
  let w = 0;
  ra.c.forEach((c, i) => {
    if (ra.reach[i]! > 0) ks = Math.max(ks, c / nRef);
    w += (c * ra.reach[i]!) / nRef;
  });
  rb.c.forEach((c, i) => {
    if (rb.reach[i]! > 0) ks = Math.max(ks, c / nCur);
    w += (c * rb.reach[i]!) / nCur;
  });
  const std = Math.max(stdFromSums(a), 0.001);
  const bounds: ColumnApproximation['bounds'] = { ks_statistic: ks, wasserstein: w, wasserstein_normed: w / std };
  if (drift.stats && drift.distribution?.edges) bounds.bin_share = straddlingShare(ra, rb, drift.distribution.edges, nRef, nCur);
  if (drift.stats && nRef > 0) {
    // The normalisation by the exact reference standard deviation (the sketch's own would be off by alpha).
    const stats = drift.stats as NumericalStats;
    const normed = stats.wasserstein / std;
    const patched = { ...stats, wasserstein_normed: normed };
    const score = drift.method === 'wasserstein' ? normed : drift.score;
    const drifted = score !== null && isDrifted(drift.method, score, drift.threshold);
    return { drift: { ...drift, stats: patched, score, drifted }, approximation: { exact: false, bounds } };
  }
  return { drift, approximation: { exact: false, bounds } };
}

/** The largest share, on either side, of the buckets that straddle a histogram edge. */
function straddlingShare(ra: ColumnValues, rb: ColumnValues, edges: readonly number[], nRef: number, nCur: number): number {
  let worst = 0;
  for (const [side, n] of [
    [ra, nRef],
    [rb, nCur],
  ] as const) {
    for (const e of edges.slice(1, -1)) {
      let mass = 0;
      side.x.forEach((x, i) => {
        if (side.reach[i]! > 0 && Math.abs(x - e) <= side.reach[i]!) mass += side.c[i]!;
      });
      worst = Math.max(worst, mass / n);
    }
  }
  return worst;
}
