/**
 * Judges each check of a suite against the computed values: pass, warn or fail with the value and the
 * threshold, or "not evaluated" with the reason (a check that could not run never reads as a pass).
 */
import { isPValueMethod } from '../drift/methods';
import { attributionDrift } from './attribution';
import { isUnavailable, type CheckInputs, type CheckValue, type Unavailable } from './inputs';
import { sliceKey } from './inputs';
import type { Check, CheckKind, Suite } from './suite';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'not-evaluated';

/** The app view that shows the detail behind a check. */
export type DetailView = 'data' | 'drift' | 'performance' | 'explain' | 'operations';

export interface CheckResult {
  id: string;
  kind: CheckKind;
  title: string;
  column: string | null;
  status: CheckStatus;
  value: number | null;
  /** The condition that passes, as text, e.g. "<= 5%" or "p > 0.05". */
  threshold: string;
  message: string;
  view: DetailView;
}

export interface SuiteResult {
  name: string | null;
  results: CheckResult[];
  counts: Record<CheckStatus, number>;
  /** fail if any check fails or could not be evaluated, warn if any warns, else pass. */
  status: 'pass' | 'warn' | 'fail';
}

export function pct(x: number): string {
  if (x === 0) return '0%';
  const p = x * 100;
  return `${Math.abs(p) < 0.1 ? p.toPrecision(2) : Math.abs(p) < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

export function num(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toFixed(1) : Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(4);
}

const DEFAULT_TITLES: Record<CheckKind, (c: Check) => string> = {
  schema: () => 'Reference columns present with their types',
  'drift-column': (c) => `No drift in ${(c as { column: string }).column}`,
  'drift-share': () => 'Share of drifted columns',
  'missing-share': (c) => `Missing values in ${(c as { column: string }).column}`,
  'unseen-categories': (c) => `No new categories in ${(c as { column: string }).column}`,
  'out-of-range': (c) => `${(c as { column: string }).column} within the reference range`,
  'duplicate-rows': () => 'Duplicate rows',
  metric: (c) => `${(c as { metric: string }).metric}`,
  'metric-vs-reference': (c) => `${(c as { metric: string }).metric} within the reference's range`,
  slices: () => 'No slice much worse than overall',
  'attribution-drift': (c) => `Attribution drift${(c as { feature?: string }).feature ? ` of ${(c as { feature?: string }).feature}` : ''}`,
  cost: () => 'Expected cost per prediction',
  'custom-metric': (c) => (c as { metric: { name: string } }).metric.name,
  latency: (c) => `Latency ${(c as { percentile: string }).percentile}`,
  'error-rate': () => 'Error rate',
};

const VIEW: Record<CheckKind, DetailView> = {
  schema: 'drift',
  'drift-column': 'drift',
  'drift-share': 'drift',
  'missing-share': 'drift',
  'unseen-categories': 'drift',
  'out-of-range': 'drift',
  'duplicate-rows': 'drift',
  metric: 'performance',
  'metric-vs-reference': 'performance',
  slices: 'performance',
  'attribution-drift': 'explain',
  cost: 'performance',
  'custom-metric': 'performance',
  latency: 'operations',
  'error-rate': 'operations',
};

type Verdict = Pick<CheckResult, 'status' | 'value' | 'threshold' | 'message'>;

const notEvaluated = (why: string, threshold = ''): Verdict => ({
  status: 'not-evaluated',
  value: null,
  threshold,
  message: `not evaluated: ${why}`,
});

/** Fail when value > max, warn when value > warn. */
function upperShare(value: number, max: number, warn: number | undefined, what: string): Verdict {
  const status = value > max ? 'fail' : warn !== undefined && value > warn ? 'warn' : 'pass';
  const threshold = `<= ${pct(max)}${warn !== undefined ? ` (warn above ${pct(warn)})` : ''}`;
  return { status, value, threshold, message: `${what} ${pct(value)}, allowed ${threshold}` };
}

function columnMissing(inputs: CheckInputs, column: string): string | null {
  const inRef = inputs.referenceColumns.some((c) => c.name === column);
  const inCur = inputs.currentColumns.some((c) => c.name === column);
  if (!inCur && inRef) return `column "${column}" is missing from the current data`;
  if (!inRef) return `column "${column}" is not in the reference`;
  return null;
}

function judge(c: Check, inputs: CheckInputs): Verdict {
  switch (c.kind) {
    case 'schema': {
      const cur = new Map(inputs.currentColumns.map((x) => [x.name, x]));
      const ref = new Map(inputs.referenceColumns.map((x) => [x.name, x]));
      const problems: string[] = [];
      for (const name of c.columns) {
        const r = ref.get(name);
        const k = cur.get(name);
        if (!k) problems.push(`"${name}" is missing`);
        else if (r && r.kind !== k.kind) problems.push(`"${name}" changed type from ${r.type} to ${k.type}`);
      }
      return {
        status: problems.length ? 'fail' : 'pass',
        value: problems.length,
        threshold: '0 missing or retyped columns',
        message: problems.length ? problems.join('; ') : `all ${c.columns.length} columns present with their reference types`,
      };
    }
    case 'drift-column': {
      const missing = columnMissing(inputs, c.column);
      if (missing) return { status: 'fail', value: null, threshold: 'no drift', message: missing };
      const d = inputs.drift?.columns.find((x) => x.name === c.column);
      if (!d)
        return notEvaluated(inputs.drift?.notTested.find((n) => n.name === c.column)?.reason ?? 'the column was not tested for drift');
      if (d.score === null || Number.isNaN(d.score))
        return notEvaluated(d.warnings?.join('; ') || 'the drift test is undefined for this column');
      const p = isPValueMethod(d.method);
      const threshold = p ? `p ${d.method === 'ks' ? '>' : '>='} ${num(d.threshold)} (${d.method})` : `${d.method} < ${num(d.threshold)}`;
      return {
        status: d.drifted ? 'fail' : 'pass',
        value: d.score,
        threshold,
        message: `${d.method} ${p ? 'p-value' : 'distance'} ${num(d.score)}: ${d.drifted ? 'drift detected' : 'no drift'}`,
      };
    }
    case 'drift-share': {
      const d = inputs.drift;
      if (!d || d.dataset.testedColumns === 0) return notEvaluated('no column could be tested for drift', `<= ${pct(c.max)}`);
      const v = upperShare(d.dataset.share, c.max, c.warn, 'drifted columns');
      return {
        ...v,
        message: `${d.dataset.driftedColumns} of ${d.dataset.testedColumns} columns drifted (${pct(d.dataset.share)}), allowed <= ${pct(c.max)}`,
      };
    }
    case 'missing-share': {
      const missing = columnMissing(inputs, c.column);
      if (missing) return { status: 'fail', value: null, threshold: `<= ${pct(c.max)}`, message: missing };
      const m = inputs.quality?.missing.find((x) => x.column === c.column);
      if (!m) return notEvaluated('data quality was not computed');
      return upperShare(m.current, c.max, c.warn, `missing share (reference ${pct(m.reference)})`);
    }
    case 'unseen-categories':
    case 'out-of-range': {
      const missing = columnMissing(inputs, c.column);
      if (missing) return { status: 'fail', value: null, threshold: `<= ${pct(c.max)}`, message: missing };
      if (!inputs.quality) return notEvaluated('data quality was not computed');
      const ref = inputs.referenceColumns.find((x) => x.name === c.column)!;
      const numeric = ref.kind === 'numeric';
      if (c.kind === 'out-of-range' && !numeric) return notEvaluated(`"${c.column}" is not numeric in the reference`);
      if (c.kind === 'unseen-categories' && numeric) return notEvaluated(`"${c.column}" is numeric; use out-of-range`);
      const issue = inputs.quality.issues.find(
        (i) => i.check === (c.kind === 'out-of-range' ? 'out-of-range' : 'unseen-category') && i.column === c.column,
      );
      const v = upperShare(
        issue?.share ?? 0,
        c.max,
        c.warn,
        c.kind === 'out-of-range' ? 'rows outside the reference range' : 'rows with new categories',
      );
      const stats = inputs.drift?.columns.find((x) => x.name === c.column)?.stats;
      const names =
        stats && 'new_categories' in stats && stats.new_categories.length ? ` (new: ${stats.new_categories.slice(0, 5).join(', ')})` : '';
      return issue ? { ...v, message: `${issue.detail}${c.kind === 'unseen-categories' ? names : ''}; ${v.message}` } : v;
    }
    case 'duplicate-rows': {
      if (!inputs.quality) return notEvaluated('data quality was not computed');
      const issue = inputs.quality.issues.find((i) => i.check === 'duplicate-rows');
      return upperShare(issue?.share ?? 0, c.max, c.warn, 'duplicate rows');
    }
    case 'metric':
    case 'metric-vs-reference': {
      const perf = inputs.performance;
      if (!perf) return notEvaluated('performance was not computed');
      if ('unavailable' in perf) return notEvaluated(perf.unavailable);
      if (!(c.metric in perf.current)) return notEvaluated(`${c.metric} is not a ${perf.task} metric`);
      const value = perf.current[c.metric] ?? null;
      if (value === null) return notEvaluated(`${c.metric} is undefined on the current data`);
      if (c.kind === 'metric') {
        const failLo = c.min !== undefined && value < c.min;
        const failHi = c.max !== undefined && value > c.max;
        const warn = (c.warnMin !== undefined && value < c.warnMin) || (c.warnMax !== undefined && value > c.warnMax);
        const parts = [c.min !== undefined ? `>= ${num(c.min)}` : '', c.max !== undefined ? `<= ${num(c.max)}` : ''].filter(Boolean);
        return {
          status: failLo || failHi ? 'fail' : warn ? 'warn' : 'pass',
          value,
          threshold: parts.join(' and '),
          message: `${c.metric} ${num(value)}`,
        };
      }
      const refMetrics = perf.reference;
      if (isUnavailable(refMetrics)) return notEvaluated(refMetrics.unavailable);
      const ref = refMetrics[c.metric] ?? null;
      if (ref === null) return notEvaluated(`${c.metric} is undefined on the reference`);
      const lo = ref - Math.abs(ref) * c.tolerance;
      const hi = ref + Math.abs(ref) * c.tolerance;
      const change = ref === 0 ? (value === 0 ? 0 : Infinity) : (value - ref) / Math.abs(ref);
      const status = Math.abs(change) > c.tolerance ? 'fail' : c.warn !== undefined && Math.abs(change) > c.warn ? 'warn' : 'pass';
      return {
        status,
        value,
        threshold: `${num(lo)} to ${num(hi)} (reference ${num(ref)} +-${pct(c.tolerance)})`,
        message: `${c.metric} ${num(value)} vs reference ${num(ref)} (${change >= 0 ? '+' : ''}${pct(change)})`,
      };
    }
    case 'slices': {
      const s = inputs.slices[sliceKey(c)];
      const threshold = `<= ${num(c.maxDifference)} above overall`;
      if (!s) return notEvaluated('slices were not computed', threshold);
      if ('unavailable' in s) return notEvaluated(s.unavailable, threshold);
      const worst = s.slices[0];
      if (!worst) return { status: 'pass', value: 0, threshold, message: `no slice of at least ${c.minRows} rows` };
      const status = worst.difference > c.maxDifference ? 'fail' : c.warn !== undefined && worst.difference > c.warn ? 'warn' : 'pass';
      const bad = s.slices.filter((x) => x.difference > c.maxDifference).length;
      return {
        status,
        value: worst.difference,
        threshold,
        message: `worst slice ${worst.label} (n=${worst.n}): ${s.error} ${num(worst.error)} vs overall ${num(s.overall)} (+${num(worst.difference)})${bad > 1 ? `; ${bad} slices beyond the threshold` : ''}`,
      };
    }
    case 'cost':
      return bounded('cost per prediction', inputs.values[c.id], { max: c.max, warnMax: c.warn });
    case 'custom-metric':
      return bounded(c.metric.name, inputs.values[c.id], c);
    case 'latency':
      return bounded(`latency ${c.percentile}`, inputs.values[c.id], { max: c.max }, { relative: c.tolerance });
    case 'error-rate':
      return bounded('error rate', inputs.values[c.id], { max: c.max }, { absolute: c.margin }, pct);
    case 'attribution-drift': {
      const a = inputs.attribution;
      if (!a)
        return notEvaluated(
          inputs.model ? 'attribution was not computed' : 'needs a model (--model, or a model file dropped in the app)',
          `<= ${pct(c.max)}`,
        );
      if (isUnavailable(a)) return notEvaluated(a.unavailable, `<= ${pct(c.max)}`);
      const value = attributionDrift(a, c.feature);
      if (value === null)
        return notEvaluated(
          c.feature !== undefined && !a.features.includes(c.feature)
            ? `the model has no feature "${c.feature}"`
            : 'the reference has no attribution',
        );
      const v = upperShare(
        value,
        c.max,
        c.warn,
        `share of mean |SHAP| that moved (${a.sampled.reference} reference and ${a.sampled.current} current rows explained)`,
      );
      return v;
    }
  }
}

/** Judged on one value: at most `max` (warn above `warn`), and/or within `rise` above the reference. */
function bounded(
  what: string,
  v: CheckValue | Unavailable | undefined,
  o: { min?: number | undefined; max?: number | undefined; warnMin?: number | undefined; warnMax?: number | undefined },
  rise?: { relative?: number | undefined; absolute?: number | undefined },
  show: (x: number) => string = num,
): Verdict {
  const parts = [o.min !== undefined ? `>= ${show(o.min)}` : '', o.max !== undefined ? `<= ${show(o.max)}` : ''];
  if (rise?.relative !== undefined) parts.push(`at most ${pct(rise.relative)} above the reference`);
  if (rise?.absolute !== undefined) parts.push(`at most ${show(rise.absolute)} above the reference`);
  const threshold = parts.filter(Boolean).join(' and ');
  if (!v) return notEvaluated('not computed', threshold);
  if (isUnavailable(v)) return notEvaluated(v.unavailable, threshold);
  if (v.value === null) return notEvaluated(`${what} is undefined on the current data`, threshold);
  const value = v.value;
  let fail = (o.min !== undefined && value < o.min) || (o.max !== undefined && value > o.max);
  const warn = (o.warnMin !== undefined && value < o.warnMin) || (o.warnMax !== undefined && value > o.warnMax);
  let vsRef = '';
  if (rise && (rise.relative !== undefined || rise.absolute !== undefined)) {
    if (v.reference === null) return notEvaluated(`${what} has no reference value to compare with`, threshold);
    const ref = v.reference;
    if (rise.relative !== undefined && value > ref * (1 + rise.relative)) fail = true;
    if (rise.absolute !== undefined && value - ref > rise.absolute) fail = true;
    vsRef = ` vs reference ${show(ref)}`;
  }
  return { status: fail ? 'fail' : warn ? 'warn' : 'pass', value, threshold, message: `${what} ${show(value)}${vsRef}` };
}

export function evaluateSuite(suite: Suite, inputs: CheckInputs): SuiteResult {
  const results = suite.checks.map((c): CheckResult => {
    const column = 'column' in c ? (c.column as string) : c.kind === 'attribution-drift' ? (c.feature ?? null) : null;
    return { id: c.id, kind: c.kind, title: c.title ?? DEFAULT_TITLES[c.kind](c), column, view: VIEW[c.kind], ...judge(c, inputs) };
  });
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, 'not-evaluated': 0 };
  for (const r of results) counts[r.status]++;
  return {
    name: suite.name ?? null,
    results,
    counts,
    status: counts.fail || counts['not-evaluated'] ? 'fail' : counts.warn ? 'warn' : 'pass',
  };
}
