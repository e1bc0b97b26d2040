/**
 * From candidates (a measure standing out in a segment over a run of windows) to findings: the strongest
 * place per measure becomes the headline, the same problem seen overall, in the segment over the whole
 * log and in all rows of the same windows become its parts; the same column's findings at the same place
 * merge into the most specific kind (a stuck value, not "a distribution changed"); a performance drop
 * where an input or the score moved joins that finding. Titles say what, where, since when, by how much.
 */
import { ALL, type GridDimension, type SegmentKey } from './grid';
import type { Comparison, Measure } from './measures';
import type { Candidate } from './scan';
import { severity } from './severity';
import { change, fmt, pct, runWindow, segmentText, whenText, type WindowRun } from './text';
import type { EvidenceValue, Finding, FindingKind, FindingPart, SegmentCondition } from './types';
import type { CalendarUnit } from './windows';

export interface BuildContext {
  dims: GridDimension[];
  windows: number[];
  unit: CalendarUnit;
  /** Rows of the log, and labelled rows (the reach of performance findings). */
  rows: number;
  labelled: number;
  /** Columns that follow the calendar (a month or hour of the timestamp): their drift is expected. */
  calendar: Map<string, string>;
  /** Names of the values of categorical measures, by column (index into the counts). */
  values: Map<string, string[]>;
  /** The per-row error's name, for performance titles ("log loss", "absolute error", "error rate"). */
  errorName: string;
  /** Roles shown in titles: the label's and outputs' columns. */
  score?: string | undefined;
  prediction?: string | undefined;
  label?: string | undefined;
}

/** A candidate scored and described, before it is merged into a finding. */
interface Scored {
  candidate: Candidate;
  measure: Measure<unknown>;
  kind: FindingKind;
  severity: number;
  segment: SegmentCondition[];
  run: WindowRun;
}

export function segmentConditions(ctx: BuildContext, key: SegmentKey): SegmentCondition[] {
  if (key.dim < 0) return [];
  const dim = ctx.dims[key.dim]!;
  return [{ column: dim.name, value: dim.labels[key.code - 1] ?? String(key.code) }];
}

/** The effect against the measure's normal variation from window to window and segment to segment. */
const contrastOf = (c: Candidate, threshold: number) => c.comparison.effect / Math.max(c.noise, 0.1 * threshold);

/** Values look multiplied by a constant: the mean and the spread grew (or shrank) by the same factor. */
function scaleFactor(c: Comparison): number | null {
  const { mean, baselineMean, spreadRatio } = c.detail;
  if (!(baselineMean! > 0) || !(mean! > 0) || !(spreadRatio! > 0)) return null;
  const byMean = mean! / baselineMean!;
  if (Math.abs(Math.log(byMean)) < Math.log(1.25)) return null;
  return Math.abs(Math.log(byMean / spreadRatio!)) < Math.log(1.15) ? byMean : null;
}

export function score(ctx: BuildContext, candidate: Candidate, measure: Measure<unknown>): Scored {
  const c = candidate.comparison;
  let kind = measure.kind;
  if (measure.aspect === 'shift' && kind === 'drift' && scaleFactor(c) !== null) kind = 'scale-change';
  const reach = measure.aspect === 'error' ? candidate.rows / Math.max(1, ctx.labelled) : candidate.rows / Math.max(1, ctx.rows);
  const sev = severity({
    kind,
    magnitude: c.effect / measure.threshold,
    reach,
    contrast: contrastOf(candidate, measure.threshold),
    expected: ctx.calendar.has(measure.column) && (measure.aspect === 'shift' || measure.aspect === 'categories'),
  });
  return {
    candidate,
    measure,
    kind,
    severity: sev,
    segment: segmentConditions(ctx, candidate.segment),
    run: { starts: ctx.windows, from: candidate.from, to: candidate.to, unit: ctx.unit },
  };
}

const overlaps = (a: Candidate, b: Candidate) => a.from <= b.to && b.from <= a.to;
const sameSegment = (a: SegmentKey, b: SegmentKey) => a.dim === b.dim && a.code === b.code;
/** Rows of one can be rows of the other: the same segment, all rows, or segments of different columns. */
const mayShareRows = (a: SegmentKey, b: SegmentKey) => sameSegment(a, b) || a.dim < 0 || b.dim < 0 || a.dim !== b.dim;

/** The strongest place of each measure, and other places that are distinct problems of the same measure. */
export function headlines(scored: Scored[]): Scored[] {
  const byMeasure = new Map<Measure<unknown>, Scored[]>();
  for (const s of scored) byMeasure.set(s.measure, [...(byMeasure.get(s.measure) ?? []), s]);
  const out: Scored[] = [];
  for (const all of byMeasure.values()) {
    // A segment's change that all rows show in the same windows (at least half as strongly) is the global
    // change seen through that segment: the rows-wide candidate tells it.
    const list = all.filter(
      (s) =>
        s.candidate.segment.dim < 0 ||
        !all.some(
          (g) =>
            g.candidate.segment.dim < 0 &&
            overlaps(g.candidate, s.candidate) &&
            g.candidate.comparison.effect >= 0.5 * s.candidate.comparison.effect,
        ),
    );
    list.sort((a, b) => b.severity - a.severity);
    const kept: Scored[] = [];
    for (const s of list) {
      const clash = kept.some((k) => overlaps(k.candidate, s.candidate) && mayShareRows(k.candidate.segment, s.candidate.segment));
      if (clash) continue;
      // A second place of the same measure must be a problem of its own, not a faint echo.
      if (kept.length > 0 && s.severity < Math.max(30, 0.5 * kept[0]!.severity)) continue;
      kept.push(s);
      if (kept.length === 3) break;
    }
    out.push(...kept);
  }
  return out;
}

const ASPECT_PRIORITY: Record<string, number> = { stuck: 0, missing: 1, unseen: 2, shift: 3, categories: 3, error: 4 };

function part(scope: FindingPart['scope'], s: Scored, evidence: Record<string, EvidenceValue>): FindingPart {
  return {
    scope,
    segment: s.segment,
    window: runWindow(s.run),
    rows: s.candidate.rows,
    referenceRows: s.candidate.baselineRows,
    evidence,
  };
}

function evidenceOf(s: Scored, ctx: BuildContext): Record<string, EvidenceValue> {
  const c = s.candidate.comparison;
  const e: Record<string, EvidenceValue> = {
    measure: s.measure.aspect,
    effect: c.effect,
    threshold: s.measure.threshold,
    p_value: c.p,
    rows: s.candidate.rows,
    baseline_rows: s.candidate.baselineRows,
    elsewhere: s.candidate.elsewhere?.effect ?? null,
  };
  for (const [k, v] of Object.entries(c.detail)) e[k] = Number.isFinite(v) ? v : null;
  if (s.measure.aspect === 'categories' || s.measure.aspect === 'unseen') {
    const names = ctx.values.get(s.measure.column) ?? [];
    const i = c.detail['value'];
    if (i !== undefined && i >= 0) e['value'] = names[i] ?? 'other values';
  }
  return e;
}

const place = (s: Scored) => {
  const where = segmentText(s.segment);
  const when = whenText(s.run);
  return [where ? `for ${where}` : '', when].filter(Boolean).join(' ');
};
const at = (s: Scored) => {
  const p = place(s);
  return p ? ` ${p}` : '';
};
const elsewhereText = (s: Scored, f: (c: Comparison) => string) =>
  s.candidate.elsewhere ? ` against ${f(s.candidate.elsewhere)} elsewhere` : '';

function title(s: Scored, ctx: BuildContext): string {
  const c = s.candidate.comparison;
  const d = c.detail;
  const col = s.measure.column;
  const who =
    col === ctx.score
      ? `The score ${col}`
      : col === ctx.prediction
        ? `The prediction ${col}`
        : col === ctx.label
          ? `The label ${col}`
          : col;
  switch (s.kind) {
    case 'scale-change': {
      const k = d['mean']! / d['baselineMean']!;
      return `${who}${at(s)}: values ×${fmt(k)} (mean ${fmt(d['baselineMean']!)} → ${fmt(d['mean']!)}), a unit or scale change`;
    }
    case 'missing-values':
      return `${who} is missing${at(s)}: ${pct(d['share']!)} of rows against ${
        s.candidate.elsewhere ? `${pct(s.candidate.elsewhere.detail['share']!)} elsewhere` : `${pct(d['baseline']!)} in the reference`
      }`;
    case 'stuck-value':
      return `${who} is stuck at ${fmt(d['value']!)}${at(s)} (${fmt(s.candidate.rows)} rows), where the reference varies (sd ${fmt(d['baselineSd']!)})`;
    case 'performance': {
      const name = ctx.errorName;
      return `${name[0]!.toUpperCase()}${name.slice(1)}${at(s)}: ${fmt(d['error']!)} against ${fmt(d['baselineError']!)} in the reference (${change(d['relative']!)})`;
    }
    case 'new-category': {
      const value = evidenceOf(s, ctx)['value'];
      return `${who} has values never seen in training${at(s)}: ${pct(d['share']!)} of rows${typeof value === 'string' && value !== 'other values' ? ` (${value})` : ''}`;
    }
    default: {
      if (s.measure.aspect === 'categories') {
        const value = evidenceOf(s, ctx)['value'];
        const valueText =
          typeof value === 'string'
            ? `; ${col} = ${value} for ${pct(d['share']!)} of rows against ${pct(d['baselineShare']!)} in the reference`
            : '';
        return `${who}${at(s)}: distribution changed, Jensen-Shannon ${fmt(c.effect)}${elsewhereText(s, (e) => fmt(e.effect))}${valueText}`;
      }
      const rel = d['baselineMean'] ? (d['mean']! - d['baselineMean']!) / Math.abs(d['baselineMean']!) : Number.NaN;
      const meanText = Number.isFinite(rel) ? `mean ${change(rel)}` : `mean ${fmt(d['mean']!)}`;
      return `${who}${at(s)}: ${meanText}, drift ${fmt(c.effect)}${elsewhereText(s, (e) => fmt(e.effect))}`;
    }
  }
}

const linkView = (kind: FindingKind) =>
  kind === 'performance' || kind === 'failing-slice' || kind === 'label-drift' ? 'performance' : 'drift';

export function toFinding(s: Scored, ctx: BuildContext, related: Scored[]): Finding {
  const window = runWindow(s.run);
  const evidence = evidenceOf(s, ctx);
  const parts = [part(s.candidate.segment.dim < 0 ? (window ? 'window' : 'overall') : window ? 'segment-window' : 'segment', s, evidence)];
  for (const r of related)
    parts.push(
      part(
        r.candidate.segment.dim < 0 ? (runWindow(r.run) ? 'window' : 'overall') : runWindow(r.run) ? 'segment-window' : 'segment',
        r,
        evidenceOf(r, ctx),
      ),
    );
  const calendar = ctx.calendar.get(s.measure.column);
  const id = [s.kind, s.measure.column, ...s.segment.map((c) => `${c.column}=${c.value}`), window?.start ?? '', window?.end ?? ''].join(
    '|',
  );
  return {
    id,
    kind: s.kind,
    title: title(s, ctx),
    ...(calendar ? { detail: `${s.measure.column} follows the calendar (${calendar}): a change between periods is expected.` } : {}),
    severity: s.severity,
    columns: [s.measure.column],
    segment: s.segment,
    window,
    evidence,
    parts,
    link: { view: linkView(s.kind), column: s.measure.column, segment: s.segment, window },
  };
}

/**
 * Findings from every measure's candidates: headlines per measure, merged per column and place, with
 * their related places as parts, ranked by severity.
 */
export function buildFindings(ctx: BuildContext, scored: Scored[]): Finding[] {
  const heads = headlines(scored);
  // Same column, overlapping place: keep the most specific aspect, the others become its parts.
  heads.sort((a, b) => ASPECT_PRIORITY[a.measure.aspect]! - ASPECT_PRIORITY[b.measure.aspect]! || b.severity - a.severity);
  const kept: { head: Scored; absorbed: Scored[] }[] = [];
  for (const h of heads) {
    const owner = kept.find(
      (k) =>
        (k.head.measure.column === h.measure.column || h.measure.aspect === 'error') &&
        (h.measure.aspect !== 'error') === (k.head.measure.aspect !== 'error') &&
        overlaps(k.head.candidate, h.candidate) &&
        sameSegment(k.head.candidate.segment, h.candidate.segment),
    );
    if (owner) {
      owner.absorbed.push(h);
      owner.head.severity = Math.max(owner.head.severity, h.severity);
    } else kept.push({ head: h, absorbed: [] });
  }
  // A performance drop at the place where an input or the model's score moved belongs to that finding.
  const findings: { head: Scored; related: Scored[] }[] = [];
  for (const k of kept) {
    if (k.head.measure.aspect === 'error') {
      const host = findings.find(
        (f) =>
          f.head.measure.aspect !== 'error' &&
          sameSegment(f.head.candidate.segment, k.head.candidate.segment) &&
          overlaps(f.head.candidate, k.head.candidate),
      );
      if (host) {
        host.related.push(k.head, ...k.absorbed);
        host.head.severity = Math.max(host.head.severity, k.head.severity);
        continue;
      }
    }
    findings.push({ head: k.head, related: k.absorbed });
  }
  // Parts: the same measure overall and in the segment over the whole log, when measured.
  return findings
    .map(({ head, related }) => {
      const same = scored.filter(
        (s) =>
          s !== head &&
          s.measure === head.measure &&
          (s.candidate.segment.dim < 0 || sameSegment(s.candidate.segment, head.candidate.segment)) &&
          !related.includes(s),
      );
      const finding = toFinding(head, ctx, [...related, ...same.slice(0, 3)]);
      const perf = related.find((r) => r.measure.aspect === 'error');
      if (perf && head.measure.aspect !== 'error') {
        const d = perf.candidate.comparison.detail;
        finding.detail = `${finding.detail ? `${finding.detail} ` : ''}The model is worse there: ${ctx.errorName} ${fmt(d['error']!)} against ${fmt(d['baselineError']!)} in the reference (${change(d['relative']!)}).`;
      }
      return finding;
    })
    .sort((a, b) => b.severity - a.severity);
}

export type { Scored };
export { ALL };
