/**
 * From candidates (a measure standing out in a segment over a run of windows) to findings: the strongest
 * place per measure becomes the headline, the same problem seen overall, in the segment over the whole
 * log and in all rows of the same windows become its parts; the same column's findings at the same place
 * merge into the most specific kind (a stuck value, not "a distribution changed"); a performance drop
 * where an input or the score moved joins that finding. Titles say what, where, since when, by how much.
 */
import type { GridDimension, SegmentKey } from './grid';
import type { Comparison, Measure } from './measures';
import type { Candidate } from './scan';
import { severity, type SeverityInput } from './severity';
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
  /** The model file's name, for replay findings. */
  model?: string | undefined;
  /** Roles shown in titles: the label's and outputs' columns. */
  score?: string | undefined;
  prediction?: string | undefined;
  label?: string | undefined;
  /** The step each rounding measure tests (1 for whole numbers, 10 for tens), by column. */
  roundingSteps?: Map<string, number>;
}

/** A candidate scored and described, before it is merged into a finding. */
interface Scored {
  candidate: Candidate;
  measure: Measure<unknown>;
  kind: FindingKind;
  /** What the severity was computed from (kept in the evidence, and for rescoring after confirmation). */
  factors: SeverityInput;
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
const contrastOf = (c: Candidate, threshold: number, windows: number) =>
  // A change over all rows and the whole log has no normal variation to stand out from: neutral.
  c.segment.dim < 0 && c.from === 0 && c.to === windows - 1 ? 3 : c.comparison.effect / Math.max(c.noise, 0.1 * threshold);

/**
 * Parts of the date that differ between periods by construction (the month of a later period is another
 * month): their drift is expected. Hours and weekdays recur in every window: theirs is not.
 */
const periodic = (part: string | undefined) => part !== undefined && ['month', 'week', 'dayofyear', 'day', 'quarter'].includes(part);

/** Values look multiplied by a constant: the mean and the spread grew (or shrank) by the same factor. */
function scaleFactor(c: Comparison): number | null {
  const { mean, baselineMean, spreadRatio } = c.detail;
  if (!(baselineMean! > 0) || !(mean! > 0) || !(spreadRatio! > 0)) return null;
  const byMean = mean! / baselineMean!;
  if (Math.abs(Math.log(byMean)) < Math.log(1.25)) return null;
  return Math.abs(Math.log(byMean / spreadRatio!)) < Math.log(1.15) ? byMean : null;
}

/**
 * A rename needs the old value in the log before the new one appears (and gone after): without a window
 * before the run, or with the old value already rare there, the new value is only new.
 */
function confirmRename(candidate: Candidate, measure: Measure<unknown>): void {
  const gone = candidate.comparison.detail['gone'] ?? -1;
  if (measure.aspect !== 'unseen' || gone < 0) return;
  const before = candidate.from > 0 ? (measure.current(candidate.segment, 0, candidate.from - 1) as Float64Array) : null;
  const n = before ? before.reduce((a, b) => a + b, 0) : 0;
  const ref = measure.reference(candidate.segment) as Float64Array;
  const m = ref.reduce((a, b) => a + b, 0);
  if (!before || n === 0 || m === 0 || before[gone]! / n < 0.5 * (ref[gone]! / m)) candidate.comparison.detail['gone'] = -1;
}

export function score(ctx: BuildContext, candidate: Candidate, measure: Measure<unknown>): Scored {
  confirmRename(candidate, measure);
  const c = candidate.comparison;
  let kind = measure.kind;
  if (measure.aspect === 'shift' && kind === 'drift' && scaleFactor(c) !== null) kind = 'scale-change';
  const factors: SeverityInput = {
    kind,
    magnitude: c.effect / measure.threshold,
    reach: measure.aspect === 'error' ? candidate.rows / Math.max(1, ctx.labelled) : candidate.rows / Math.max(1, ctx.rows),
    contrast: contrastOf(candidate, measure.threshold, ctx.windows.length),
    expected: periodic(ctx.calendar.get(measure.column)) && (measure.aspect === 'shift' || measure.aspect === 'categories'),
    // A score the model file does not give is certain; a score its inputs do not explain nearly so.
    ...(measure.aspect === 'replay'
      ? { weight: 1.2 }
      : measure.aspect === 'unexplained'
        ? { weight: 0.8 }
        : // A new value where a known one vanished is a rename: certain, where a new value alone may be the world.
          measure.aspect === 'unseen' && (c.detail['gone'] ?? -1) >= 0
          ? { weight: 1 }
          : {}),
  };
  return {
    candidate,
    measure,
    kind,
    factors,
    severity: severity(factors),
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
    // For a share (missing values, new values, rows the model disagrees on), the global change also
    // explains a segment that holds less than half of its excess rows.
    const shares = ['missing', 'unseen', 'replay'].includes(all[0]?.measure.aspect ?? '');
    const excess = (c: Candidate) => c.comparison.effect * c.rows;
    // A segment whose other rows clearly show the change too (significantly, and at least a third as
    // strongly, in the same windows) only shows a change of all rows: the rows-wide candidate tells it.
    const list = all.filter(
      (s) =>
        s.candidate.segment.dim < 0 ||
        !all.some(
          (g) =>
            g.candidate.segment.dim < 0 &&
            overlaps(g.candidate, s.candidate) &&
            ((s.candidate.rest !== null && s.candidate.rest.p < 0.01 && s.candidate.rest.effect >= 0.3 * s.candidate.comparison.effect) ||
              (shares && excess(s.candidate) < 0.5 * excess(g.candidate))),
        ),
    );
    // Two columns that cut the same rows (a plan type and the 0/1 column derived from it) give the same
    // candidate: the earlier dimension (named groups come first) tells it, at the higher severity.
    for (const x of list)
      for (const y of list)
        if (
          x !== y &&
          x.candidate.segment.dim >= 0 &&
          y.candidate.segment.dim > x.candidate.segment.dim &&
          x.candidate.from === y.candidate.from &&
          x.candidate.to === y.candidate.to &&
          Math.abs(x.candidate.rows - y.candidate.rows) <= 0.01 * Math.max(x.candidate.rows, y.candidate.rows) &&
          Math.abs(x.candidate.comparison.effect - y.candidate.comparison.effect) <= 0.02 * Math.max(x.candidate.comparison.effect, 1e-9)
        ) {
          x.severity = Math.max(x.severity, y.severity);
          y.severity = -1;
        }
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.severity < 0) list.splice(i, 1);
    // Equal severity: the earlier dimension (named groups come first) tells it.
    list.sort((a, b) => b.severity - a.severity || a.candidate.segment.dim - b.candidate.segment.dim);
    const kept: Scored[] = [];
    for (const s of list) {
      const clash = kept.some((k) => overlaps(k.candidate, s.candidate) && mayShareRows(k.candidate.segment, s.candidate.segment));
      if (clash) continue;
      // A second place of the same measure must be a problem of its own, not a faint echo of the first at
      // the same time; at another time it is another problem (labels miscoded in summer, a score broken in winter).
      const echo = kept.some((k) => overlaps(k.candidate, s.candidate));
      if (kept.length > 0 && s.severity < (echo ? Math.max(30, 0.5 * kept[0]!.severity) : 30)) continue;
      kept.push(s);
      if (kept.length === 3) break;
    }
    out.push(...kept);
  }
  return out;
}

const ASPECT_PRIORITY: Record<string, number> = {
  replay: 0,
  unexplained: 0,
  volume: 0,
  repeats: 0,
  labels: 0,
  rounded: 0,
  stuck: 0,
  missing: 1,
  unseen: 2,
  shift: 3,
  categories: 3,
  joint: 3,
  error: 4,
};

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
    magnitude: s.factors.magnitude,
    reach: s.factors.reach,
    contrast: Number.isFinite(s.factors.contrast) ? s.factors.contrast : null,
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
  const named = (role: string) => (col.toLowerCase() === role ? `The ${role}` : `The ${role} ${col}`);
  const who = col === ctx.score ? named('score') : col === ctx.prediction ? named('prediction') : col === ctx.label ? named('label') : col;
  switch (s.kind) {
    case 'scale-change': {
      const k = d['mean']! / d['baselineMean']!;
      return `${who}${at(s)}: values ×${fmt(k)} (mean ${fmt(d['baselineMean']!)} → ${fmt(d['mean']!)}), a unit or scale change`;
    }
    case 'output-drift':
      if (s.measure.aspect === 'unexplained') {
        const rel = d['baselineMean'] ? (d['mean']! - d['baselineMean']!) / Math.abs(d['baselineMean']!) : Number.NaN;
        return `${who}${at(s)}: mean ${Number.isFinite(rel) ? change(rel) : fmt(d['mean']!)}, a move its inputs do not explain (${fmt(c.effect)} residual sd${elsewhereText(s, (e) => fmt(e.effect))})`;
      }
      if (s.measure.aspect === 'replay')
        return `${who} is not what ${ctx.model ?? 'the model'} gives for ${pct(d['share']!)} of rows${at(s)}${
          s.candidate.elsewhere ? `, against ${pct(s.candidate.elsewhere.detail['share']!)} elsewhere` : ''
        }: another model version or other inputs were served`;
      return defaultTitle(s, ctx, who);
    case 'volume': {
      const fell = d['share']! < d['baseline']!;
      return `Rows${at(s)} ${fell ? 'fell' : 'rose'}: ${pct(d['share']!)} of the log against ${pct(d['baseline']!)} ${
        s.measure.baseline === 'history' || !s.candidate.elsewhere ? 'before' : 'in the reference'
      } (${fmt(d['rows']!)} rows where about ${fmt(Math.round(d['expected']!))} were expected)`;
    }
    case 'data-quality':
      if (s.measure.aspect === 'repeats')
        return `Rows repeat${at(s)}: ${pct(d['share']!)} of rows share their ${col} with another row (${fmt(d['rows']!)} rows), against ${pct(
          d['baseline']!,
        )} ${s.measure.baseline === 'history' ? 'before' : 'in the reference'}`;
      if (s.measure.aspect === 'rounded') {
        const step = ctx.roundingSteps?.get(col) ?? 1;
        return `${who} is rounded to ${step === 1 ? 'whole numbers' : `multiples of ${fmt(step)}`}${at(s)}: ${pct(d['share']!)} of its values against ${pct(
          d['baseline']!,
        )} ${s.measure.baseline === 'history' ? 'before' : 'in the reference'}, a loss of precision`;
      }
      if (s.measure.aspect === 'labels')
        return `Labels are missing${at(s)}: ${pct(d['share']!)} of rows have no ${col} yet, against ${pct(d['baseline']!)} of the other rows of the same period`;
      return defaultTitle(s, ctx, who);
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
    case 'joint-drift': {
      const rise = change(d['error']! / d['baselineError']! - 1);
      // Against the other rows of the same time: how much of the rise is the segment's own.
      const rest =
        s.measure.baseline === 'rest-of-window'
          ? `; the other rows of the same time ${change(d['expected']! / d['baselineError']! - 1)}`
          : '';
      return `The inputs no longer move together as in the reference${at(s)}: reconstruction error ${fmt(d['error']!)} against ${fmt(
        d['baselineError']!,
      )} in the reference (${rise}${rest})`;
    }
    case 'new-category': {
      const names = ctx.values.get(col) ?? [];
      const value = names[d['value'] ?? -1];
      const gone = names[d['gone'] ?? -1];
      const when = whenText(s.run);
      const where = segmentText(s.segment);
      const head = value
        ? `${col} = ${value} appears${where ? ` for ${where}` : ''}${when ? ` ${when}` : ''}`
        : `${who} has values never seen in the reference${at(s)}`;
      return `${head} (${fmt(value ? (d['valueRows'] ?? 0) : (d['newRows'] ?? 0))} rows, ${pct(value ? (d['valueRows'] ?? 0) / Math.max(1, s.candidate.rows) : d['share']!)}), never seen in the reference${
        gone ? `; ${gone}, seen before, disappears at the same time: renamed?` : ''
      }`;
    }
    default:
      return defaultTitle(s, ctx, who);
  }
}

function defaultTitle(s: Scored, ctx: BuildContext, who: string): string {
  const c = s.candidate.comparison;
  const d = c.detail;
  const col = s.measure.column;
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

const linkView = (kind: FindingKind) =>
  kind === 'performance' || kind === 'failing-slice' || kind === 'label-drift' ? 'performance' : 'drift';

export function toFinding(s: Scored, ctx: BuildContext, related: Scored[]): Finding {
  const window = runWindow(s.run);
  const heading = title(s, ctx);
  // A new value's rows are where the finding is: its segment names the value.
  if (s.kind === 'new-category') {
    const value = (ctx.values.get(s.measure.column) ?? [])[s.candidate.comparison.detail['value'] ?? -1];
    if (value !== undefined) s.segment = [...s.segment, { column: s.measure.column, value }];
  }
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
  const datePart = ctx.calendar.get(s.measure.column);
  const calendar = periodic(datePart) ? `the ${datePart === 'dayofyear' ? 'day of the year' : datePart} of the timestamp` : undefined;
  const id = [s.kind, s.measure.column, ...s.segment.map((c) => `${c.column}=${c.value}`), window?.start ?? '', window?.end ?? ''].join(
    '|',
  );
  // A measure of rows, not of a column (a segment's volume), is about the segment's column.
  const columns = s.measure.column ? [s.measure.column] : s.segment.map((c) => c.column);
  return {
    id,
    kind: s.kind,
    title: heading,
    ...(calendar ? { detail: `${s.measure.column} follows the calendar (${calendar}): a change between periods is expected.` } : {}),
    severity: s.severity,
    columns,
    segment: s.segment,
    window,
    evidence,
    parts,
    link: { view: linkView(s.kind), ...(s.measure.column ? { column: s.measure.column } : {}), segment: s.segment, window },
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
        // An input that moved where the model got worse: two kinds of evidence for one problem.
        host.head.severity = Math.round(1000 * (1 - (1 - host.head.severity / 100) * (1 - k.head.severity / 100))) / 10;
        continue;
      }
    }
    findings.push({ head: k.head, related: k.absorbed });
  }
  // A value that vanished because it was renamed is the rename's finding, not a drop in volume.
  for (const f of [...findings]) {
    if (f.head.kind !== 'volume') continue;
    const seg = segmentConditions(ctx, f.head.candidate.segment)[0];
    const rename = findings.find((h) => {
      if (h.head.kind !== 'new-category' || h.head.measure.column !== seg?.column || !overlaps(h.head.candidate, f.head.candidate))
        return false;
      const gone = (ctx.values.get(h.head.measure.column) ?? [])[h.head.candidate.comparison.detail['gone'] ?? -1];
      return gone === seg?.value;
    });
    if (!rename) continue;
    rename.related.push(f.head, ...f.related);
    rename.head.severity = Math.max(rename.head.severity, f.head.severity);
    findings.splice(findings.indexOf(f), 1);
  }
  // The score moving where an input moved is the input's consequence: one finding, the input's.
  const INPUT: FindingKind[] = ['drift', 'scale-change', 'missing-values', 'stuck-value', 'new-category'];
  for (const f of [...findings]) {
    const aspect = f.head.measure.aspect;
    if (f.head.kind !== 'output-drift' || (aspect !== 'shift' && aspect !== 'categories')) continue;
    const host = findings.find(
      (h) =>
        h !== f &&
        INPUT.includes(h.head.kind) &&
        h.head.severity >= f.head.severity &&
        sameSegment(h.head.candidate.segment, f.head.candidate.segment) &&
        overlaps(h.head.candidate, f.head.candidate),
    );
    if (!host) continue;
    host.related.push(f.head, ...f.related);
    findings.splice(findings.indexOf(f), 1);
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
      const moved = related.find((r) => r.kind === 'output-drift' && r.measure.aspect === 'shift');
      if (moved && head.kind !== 'output-drift') {
        const d = moved.candidate.comparison.detail;
        const rel = d['baselineMean'] ? (d['mean']! - d['baselineMean']!) / Math.abs(d['baselineMean']!) : Number.NaN;
        finding.detail = `${finding.detail ? `${finding.detail} ` : ''}The model's ${moved.measure.column} moved there too${Number.isFinite(rel) ? ` (mean ${change(rel)})` : ''}.`;
      }
      const perf = related.find((r) => r.measure.aspect === 'error');
      if (perf && head.measure.aspect !== 'error') finding.evidence['performance_severity'] = perf.severity;
      if (perf && head.measure.aspect !== 'error') {
        const d = perf.candidate.comparison.detail;
        finding.detail = `${finding.detail ? `${finding.detail} ` : ''}The model is worse there: ${ctx.errorName} ${fmt(d['error']!)} against ${fmt(d['baselineError']!)} in the reference (${change(d['relative']!)}).`;
      }
      return finding;
    })
    .reduce<Finding[]>(groupMissing, [])
    .sort((a, b) => b.severity - a.severity);
}

/**
 * Columns that went missing for the same rows at the same time (a join that broke drops several at
 * once) are one finding: its title names them, its parts keep each column's numbers.
 */
function groupMissing(out: Finding[], f: Finding): Finding[] {
  if (f.kind !== 'missing-values') return [...out, f];
  const key = (x: Finding) => JSON.stringify([x.segment, x.window]);
  const host = out.find((g) => g.kind === 'missing-values' && key(g) === key(f));
  if (!host) return [...out, f];
  host.columns = [...host.columns, ...f.columns];
  host.parts = [...host.parts, ...f.parts];
  host.severity = Math.max(host.severity, f.severity);
  const names =
    host.columns.length <= 4 ? host.columns.join(', ') : `${host.columns.slice(0, 3).join(', ')} and ${host.columns.length - 3} more`;
  host.title = host.title.replace(/^.*? (is|are) missing/, `${names} are missing`);
  return out;
}

export type { Scored };
