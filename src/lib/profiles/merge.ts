/**
 * Merging profiles: every figure is a count, a sum, a min or a max, so merge(profile(A), profile(B)) is
 * profile(A ∪ B) up to floating summation. Exact value counts survive while the merged part has at most
 * the cap's distinct values, which is exactly when the profile of the union would have kept them. The one
 * lossy case is text with more distinct values than the text cap in some part: its top values are then the
 * top of the tops, and the format says so (`exact: false`).
 */
import { LanternError } from '../errors';
import type { NumericColumnProfile, PerformanceProfile, Profile, ProfilePart, TextColumnProfile } from './format';
import { addCounts } from './sketch';

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export function mergeNumeric(a: NumericColumnProfile, b: NumericColumnProfile, cap: number): NumericColumnProfile {
  const values = a.values && b.values ? addCounts(a.values, b.values) : null;
  return {
    nulls: a.nulls + b.nulls,
    nan: a.nan + b.nan,
    posInf: a.posInf + b.posInf,
    negInf: a.negInf + b.negInf,
    finite: a.finite + b.finite,
    zeros: a.zeros + b.zeros,
    min: minOf(a.min, b.min),
    max: maxOf(a.max, b.max),
    sum: a.sum + b.sum,
    sumSquares: a.sumSquares + b.sumSquares,
    values: values && values[0].length <= cap ? values : null,
    positive: addCounts(a.positive, b.positive),
    negative: addCounts(a.negative, b.negative),
  };
}

/** Top values in the format's order: count descending, then value (by code unit, as JS compares). */
export function topOf(counts: Map<string, number>, cap: number): { top: [string[], number[]]; rest: number } {
  const entries = [...counts].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
  const kept = entries.slice(0, cap);
  const rest = entries.slice(cap).reduce((s, [, c]) => s + c, 0);
  return { top: [kept.map((e) => e[0]), kept.map((e) => e[1])], rest };
}

export function mergeText(a: TextColumnProfile, b: TextColumnProfile, cap: number): TextColumnProfile {
  const counts = new Map<string, number>();
  for (const p of [a, b]) p.top[0].forEach((v, i) => counts.set(v, (counts.get(v) ?? 0) + p.top[1][i]!));
  const { top, rest } = topOf(counts, cap);
  const exact = a.exact && b.exact && counts.size <= cap;
  return {
    nulls: a.nulls + b.nulls,
    count: a.count + b.count,
    distinct: a.exact && b.exact ? counts.size : Math.max(a.distinct, b.distinct, counts.size),
    top,
    other: a.other + b.other + rest,
    exact,
  };
}

function mergePerformance(a: PerformanceProfile | null, b: PerformanceProfile | null, cap: number): PerformanceProfile | null {
  if (!a || !b) return a ?? b;
  return {
    count: a.count + b.count,
    positives: a.positives + b.positives,
    logLossSum: a.logLossSum + b.logLossSum,
    brierSum: a.brierSum + b.brierSum,
    tp: a.tp + b.tp,
    fp: a.fp + b.fp,
    fn: a.fn + b.fn,
    tn: a.tn + b.tn,
    negativeScores: mergeNumeric(a.negativeScores, b.negativeScores, cap),
    positiveScores: mergeNumeric(a.positiveScores, b.positiveScores, cap),
  };
}

/** Two parts of the same columns (a column missing on one side was absent from those rows). */
export function mergeParts(a: ProfilePart, b: ProfilePart, caps: Profile['caps']): ProfilePart {
  const numeric: ProfilePart['numeric'] = { ...a.numeric };
  for (const [name, p] of Object.entries(b.numeric)) numeric[name] = numeric[name] ? mergeNumeric(numeric[name], p, caps.numericValues) : p;
  const text: ProfilePart['text'] = { ...a.text };
  for (const [name, p] of Object.entries(b.text)) text[name] = text[name] ? mergeText(text[name], p, caps.textValues) : p;
  return {
    window: a.window,
    segment: a.segment,
    rows: a.rows + b.rows,
    numeric,
    text,
    performance: mergePerformance(a.performance, b.performance, caps.numericValues),
  };
}

export function partKey(p: Pick<ProfilePart, 'window' | 'segment'>): string {
  return JSON.stringify([p.window, p.segment?.column ?? null, p.segment?.value ?? null]);
}

/** Parts ordered as the format lists them: all rows, segments, then windows (each with its segments). */
export function orderParts(parts: ProfilePart[]): ProfilePart[] {
  const rank = (p: ProfilePart) => (p.window === null ? 0 : 1);
  return [...parts].sort(
    (p, q) =>
      rank(p) - rank(q) ||
      (p.window ?? '').localeCompare(q.window ?? '') ||
      (p.segment === null ? -1 : 0) - (q.segment === null ? -1 : 0) ||
      (p.segment?.column ?? '').localeCompare(q.segment?.column ?? '') ||
      String(p.segment?.value ?? '').localeCompare(String(q.segment?.value ?? '')),
  );
}

/** Merges parts with the same window and segment. */
export function mergePartLists(parts: ProfilePart[], caps: Profile['caps']): ProfilePart[] {
  const byKey = new Map<string, ProfilePart>();
  for (const p of parts) {
    const key = partKey(p);
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeParts(seen, p, caps) : p);
  }
  return orderParts([...byKey.values()]);
}

/** merge(profile(A), profile(B), ...) = profile(A ∪ B ∪ ...): the batches must have been profiled alike. */
export function mergeProfiles(profiles: readonly Profile[]): Profile {
  const [first, ...rest] = profiles;
  if (!first) throw new LanternError('usage', 'There is no profile to merge.');
  for (const p of rest) {
    if (
      p.sketch.alpha !== first.sketch.alpha ||
      p.caps.numericValues !== first.caps.numericValues ||
      p.caps.textValues !== first.caps.textValues
    )
      throw new LanternError(
        'bad-profile',
        'These profiles were made with different sketch accuracy or value caps, so they cannot be merged exactly. Make them with the same settings.',
      );
    if ((p.time?.window ?? null) !== (first.time?.window ?? null))
      throw new LanternError(
        'bad-profile',
        `These profiles have different time windows (${first.time?.window ?? 'none'} and ${p.time?.window ?? 'none'}); make them with the same window.`,
      );
    if (JSON.stringify(p.performance) !== JSON.stringify(first.performance))
      throw new LanternError(
        'bad-profile',
        'These profiles were made with different label, score, positive class or threshold, so their metrics cannot be merged.',
      );
    for (const c of p.columns) {
      const other = first.columns.find((x) => x.name === c.name);
      if (other && other.kind !== c.kind)
        throw new LanternError(
          'bad-profile',
          `Column "${c.name}" is ${other.kind} in one profile and ${c.kind} in another; they cannot be merged.`,
        );
    }
  }
  const columns = [...first.columns];
  for (const p of rest) for (const c of p.columns) if (!columns.some((x) => x.name === c.name)) columns.push(c);
  const segments = [...new Set(profiles.flatMap((p) => p.segments))];
  return {
    ...first,
    sources: profiles.flatMap((p) => p.sources),
    columns,
    roles: Object.assign({}, ...profiles.map((p) => p.roles)) as Record<string, string>,
    segments,
    parts: mergePartLists(
      profiles.flatMap((p) => p.parts),
      first.caps,
    ),
  };
}
