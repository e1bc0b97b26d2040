/**
 * The investigation's slices: where the model fails more than in the rest of the log, judged against the
 * same rows in the training data, and two-condition slices that got worse from some window on.
 */
import { describeTable } from '../schema';
import { ident, num, oneOf, raw, select, sql } from '../sql';
import { severity } from '../findings/severity';
import { change, fmt, segmentText } from '../findings/text';
import type { Finding, SegmentCondition } from '../findings/types';
import { isoDay, windowEnd } from '../findings/windows';
import { labelledSql } from '../metrics/spec';
import { worsenedWindowUnit } from '../slices/defaults';
import type { SlicePredicate } from '../slices/dimensions';
import { rowErrorSql, type RowErrorName } from '../slices/rowError';
import type { SliceSearcher } from '../slices/search';
import type { PerformanceSession } from './performance';
import type { Run } from './run';

/** A slice's conditions as a finding's segment: the value for "=", the bin's label otherwise. */
function sliceSegment(predicates: SlicePredicate[], label: string): SegmentCondition[] {
  const labels = label.split(' AND ');
  return predicates.map((p, i) => ({
    column: p.column,
    value: p.op === '=' ? String(p.value) : p.op === 'is null' ? 'missing' : (labels[i] ?? String(p.value)),
    ...(p.op !== '=' ? { op: p.op } : {}),
  }));
}

/** The mean per-row error of a slice's rows in the reference, when its conditions can be read there. */
async function referenceError(
  run: Run,
  session: PerformanceSession,
  error: RowErrorName,
  where: string,
  predicates: SlicePredicate[],
): Promise<{ n: number; mean: number } | null> {
  const ref = session.reference;
  if (!ref || predicates.some((p) => p.column.includes('.') && !ref.table)) return null;
  // Conditions on parts of the log's timestamp (hour, weekday) need the same time column in the reference.
  const ts = session.spec.timestamp;
  if (ts && predicates.some((p) => p.column.startsWith(`${ts}.`))) {
    const cols = await describeTable(run.db, ref.table);
    if (!cols.some((c) => c.name === ts)) return null;
  }
  const e = raw(rowErrorSql(ref, error));
  const q = select(
    { n: num(raw('count(e)::DOUBLE'), 0), mean: num(raw('avg(e)')) },
    sql`FROM (SELECT CAST(${e} AS DOUBLE) AS e FROM ${ident(ref.table)} WHERE ${raw(labelledSql(ref))} AND (${raw(where)})) WHERE isfinite(e)`,
  );
  return oneOf(run.db, q, { signal: run.signal });
}

/**
 * Slices of one or two conditions where the model fails more than in the rest of the log (the slice
 * search's ranking), judged against the same rows in the training data when it has them: a slice that
 * was as bad in training is a known weakness, not a new failure. And slices of two conditions that got
 * worse than in the reference from some window on.
 */
export async function failingSlices(
  run: Run,
  session: PerformanceSession,
  error: { name: RowErrorName; title: string },
  labelled: number,
  minSupport: number,
  existing: Finding[],
  search?: SliceSearcher,
): Promise<Finding[]> {
  const found = await session.findSlices(run, { metric: error.name, threshold: session.spec.threshold }, undefined, search);
  const out: Finding[] = [];
  const timeParts = (predicates: SlicePredicate[]) =>
    session.spec.timestamp !== undefined &&
    predicates.some((p) => /\.(week|month)$/.test(p.column) && p.column.startsWith(`${session.spec.timestamp}.`));
  const kept: { predicates: SlicePredicate[]; n: number; metric: number }[] = [];
  const runs = found.worsenedRuns;
  const unit = session.windowUnit ? worsenedWindowUnit(session.windowUnit) : null;
  if (runs && runs.baseline === 'reference' && unit) {
    for (const r of runs.runs) {
      if (r.predicates.length < 2 || r.window === null || r.n < minSupport || timeParts(r.predicates)) continue;
      const segment = sliceSegment(r.predicates, r.label);
      const key = segmentText(segment);
      if (existing.some((f) => f.kind === 'performance' && segmentText(f.segment) === key)) continue;
      const relative = r.metric / Math.max(1e-12, r.baseline_metric) - 1;
      const window = { start: isoDay(r.window), end: isoDay(windowEnd(r.window_end ?? r.window, unit)) };
      out.push({
        id: `performance|${key}|${window.start}`,
        kind: 'performance',
        title: `${error.title[0]!.toUpperCase()}${error.title.slice(1)} for ${key} from ${window.start}: ${fmt(r.metric)} against ${fmt(r.baseline_metric)} in the reference (${change(relative)})`,
        severity: severity({ kind: 'performance', magnitude: relative / 0.1, reach: r.n / Math.max(1, labelled), contrast: 3 }),
        columns: r.predicates.map((p) => p.column),
        segment,
        window,
        evidence: {
          metric: error.name,
          value: r.metric,
          baseline: r.baseline_metric,
          rows: r.n,
          baseline_rows: r.baseline_n,
          p_value: r.p_value,
          q_value: r.q_value,
        },
        parts: [],
        link: { view: 'performance', segment, window },
      });
    }
  }
  for (const s of found.ranked.slices) {
    // A week or a month of the year is a window: the windows' own findings tell it, with dates.
    if (timeParts(s.predicates)) continue;
    // Two slices on one shared condition and other conditions that pick nearly the same rows (evening and
    // hour >= 18) are one finding.
    const twin = kept.find(
      (k) =>
        k.predicates.some((p) => s.predicates.some((q) => q.column === p.column && JSON.stringify(q.value) === JSON.stringify(p.value))) &&
        Math.abs(k.n - s.n) <= 0.3 * Math.max(k.n, s.n) &&
        Math.abs(k.metric - s.metric) <= 0.1 * Math.max(k.metric, s.metric),
    );
    if (twin) continue;
    kept.push({ predicates: s.predicates, n: s.n, metric: s.metric });
    const segment = sliceSegment(s.predicates, s.label);
    const key = segmentText(segment);
    if ([...existing, ...out].some((f) => (f.kind === 'performance' || f.kind === 'failing-slice') && segmentText(f.segment) === key))
      continue;
    const rest = s.metric / Math.max(1e-12, s.rest_metric) - 1;
    const ref = await referenceError(run, session, error.name, s.where, s.predicates);
    const known = ref && ref.n >= minSupport ? s.metric / Math.max(1e-12, ref.mean) - 1 : null;
    const relative = known === null ? rest : Math.min(rest, known);
    if (relative <= 0) continue;
    const inTraining = known === null ? '' : ` and ${fmt(ref!.mean)} for the same rows in the reference`;
    out.push({
      id: `failing-slice|${key}`,
      kind: 'failing-slice',
      title: `The model fails for ${key}: ${error.title} ${fmt(s.metric)} against ${fmt(s.rest_metric)} in the rest of the log${inTraining} (${fmt(s.n)} rows)`,
      ...(known !== null && known < 0.1
        ? { detail: 'The model was about as bad on these rows in the reference: a known weakness rather than a new failure.' }
        : {}),
      severity: severity({
        kind: 'failing-slice',
        magnitude: relative / 0.1,
        reach: s.n / Math.max(1, labelled),
        contrast: s.effect_size / 0.1,
      }),
      columns: s.predicates.map((p) => p.column),
      segment,
      window: null,
      evidence: {
        metric: error.name,
        value: s.metric,
        rest: s.rest_metric,
        reference: ref && ref.n >= minSupport ? ref.mean : null,
        reference_rows: ref?.n ?? null,
        effect_size: s.effect_size,
        excess_share: s.excess_share,
        rows: s.n,
        p_value: s.p_value,
        q_value: s.q_value,
      },
      parts: [],
      link: { view: 'performance', segment },
    });
  }
  return out;
}
