/**
 * Judges each check of a suite against the computed values: pass, warn or fail with the value and the
 * threshold, or "not evaluated" with the reason (a check that could not run never reads as a pass).
 */
import { isPValueMethod } from '../drift/methods';
import { attributionDrift } from './attribution';
import {
  embeddingKey,
  isUnavailable,
  multivariateKey,
  segmentDriftKey,
  sliceKey,
  type CheckInputs,
  type CheckValue,
  type Unavailable,
} from './inputs';
import type { EmbeddingColumnDrift } from '../multivariate/embeddingVectors';
import type { Check, CheckKind, Suite } from './suite';
import { judgeVersionCheck, versionCheckTitle, type VersionCheck } from '../versions/checks';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'not-evaluated';

/** The app view that shows the detail behind a check. */
export type DetailView = 'data' | 'drift' | 'performance' | 'explain' | 'versions' | 'operations';

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
  'segment-drift': (c) => `No segment where ${(c as { column: string }).column} drifts apart`,
  'metric-by-segment': (c) => `${(c as { metric: string }).metric} in every ${(c as { segment: string }).segment} against the reference`,
  'version-not-worse': (c) => versionCheckTitle(c as VersionCheck),
  'multivariate-drift': () => 'Columns keep moving together (reconstruction error)',
  'embedding-drift': (c) =>
    `No drift in the embedding${(c as { embedding?: string }).embedding ? ` ${(c as { embedding?: string }).embedding}` : 's'}`,
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
  'segment-drift': 'drift',
  'metric-by-segment': 'performance',
  'version-not-worse': 'versions',
  'multivariate-drift': 'drift',
  'embedding-drift': 'drift',
  cost: 'performance',
  'custom-metric': 'performance',
  latency: 'operations',
  'error-rate': 'operations',
};

/** Metrics that are better when lower: a segment is worse when they grow. */
const LOWER_IS_BETTER = new Set(['log_loss', 'brier', 'fpr', 'fnr', 'mae', 'rmse', 'mape', 'max_error', 'mean_error']);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
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
      if (inputs.fromProfiles)
        return notEvaluated('a profile keeps no rows, so duplicates cannot be counted; run this check on the data files');
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
    case 'segment-drift': {
      const threshold = `Jensen-Shannon < ${num(c.max)}, or < ${num(c.ratio)} x the median segment's`;
      const b = inputs.segmentDrift?.[segmentDriftKey(c)];
      if (!b) return notEvaluated('segment drift was not computed', threshold);
      if (isUnavailable(b)) return notEvaluated(b.unavailable, threshold);
      const cells = b.ranked.filter((x) => x.span === 'all');
      if (cells.length < 2)
        return notEvaluated(`fewer than two segments of at least ${c.minRows} rows on both sides (${b.tooSmall} too small)`, threshold);
      const typical = Math.max(median(cells.map((x) => x.distance)), 1e-9);
      const worst = cells[0]!;
      const ratio = worst.distance / typical;
      const over = cells.filter((x) => x.distance >= c.max && x.distance / typical >= c.ratio).length;
      const status =
        worst.distance >= c.max && ratio >= c.ratio
          ? 'fail'
          : c.warn !== undefined && worst.distance >= c.max && ratio >= c.warn
            ? 'warn'
            : 'pass';
      const mean =
        worst.mean && worst.mean.reference !== null && worst.mean.current !== null
          ? `; mean ${num(worst.mean.reference)} -> ${num(worst.mean.current)}`
          : '';
      const missing =
        worst.missing.current - worst.missing.reference >= 0.01
          ? `; missing ${pct(worst.missing.reference)} -> ${pct(worst.missing.current)}`
          : '';
      return {
        status,
        value: worst.distance,
        threshold,
        message: `most in ${worst.label}: Jensen-Shannon ${num(worst.distance)} over ${worst.rows} rows (${num(ratio)} x the median segment's ${num(typical)})${mean}${missing}${over > 1 ? `; ${over} segments beyond the threshold` : ''}`,
      };
    }
    case 'metric-by-segment': {
      const threshold = `no segment worse than its reference by more than ${pct(c.tolerance)}`;
      const m = inputs.segmentMetrics?.[`${c.metric}|${c.segment}`];
      if (!m) return notEvaluated('performance by segment was not computed', threshold);
      if (isUnavailable(m)) return notEvaluated(m.unavailable, threshold);
      const lower = LOWER_IS_BETTER.has(c.metric);
      const judged = m.values
        .filter(
          (v) => v.nCurrent >= c.minRows && v.nReference >= c.minRows && v.current !== null && v.reference !== null && v.reference !== 0,
        )
        .map((v) => {
          const cur = c.metric === 'mean_error' ? Math.abs(v.current!) : v.current!;
          const ref = c.metric === 'mean_error' ? Math.abs(v.reference!) : v.reference!;
          return { ...v, worse: (lower ? cur - ref : ref - cur) / Math.abs(ref) };
        })
        .sort((a, b) => b.worse - a.worse);
      if (judged.length === 0) return notEvaluated(`no segment of ${c.segment} has ${c.minRows} labelled rows on both sides`, threshold);
      const worst = judged[0]!;
      const status = worst.worse > c.tolerance ? 'fail' : c.warn !== undefined && worst.worse > c.warn ? 'warn' : 'pass';
      const over = judged.filter((v) => v.worse > c.tolerance).length;
      return {
        status,
        value: worst.current,
        threshold,
        message: `worst ${c.segment} = ${worst.value}: ${c.metric} ${num(worst.current!)} vs reference ${num(worst.reference!)} (${worst.worse >= 0 ? 'worse' : 'better'} by ${pct(Math.abs(worst.worse))}, ${worst.nCurrent} labelled rows)${over > 1 ? `; ${over} segments beyond the tolerance` : ''}`,
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
      if (!a) return notEvaluated(inputs.model ? 'attribution was not computed' : 'needs a model file', `<= ${pct(c.max)}`);
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
    case 'version-not-worse':
      return judgeVersionCheck(c, inputs.versions);
    case 'embedding-drift':
      return judgeEmbeddings(c.method ?? 'model', inputs.embeddings?.[embeddingKey(c)]);
    case 'multivariate-drift': {
      const r = inputs.multivariate?.[multivariateKey(c)];
      if (!r) return notEvaluated('the multivariate drift was not computed');
      if (isUnavailable(r)) return notEvaluated(r.unavailable);
      if (!r.threshold) return notEvaluated(r.thresholdNote ?? 'the reference has too few windows for a threshold');
      const threshold = `${num(r.threshold.lower)} to ${num(r.threshold.upper)} (reference windows, mean +-${num(r.threshold.sigmas)} sd)`;
      const outside = r.current.windows.filter((w) => w.drifted).length;
      return {
        status: r.drifted ? 'fail' : 'pass',
        value: r.current.error,
        threshold,
        message: `mean reconstruction error ${num(r.current.error)} vs reference ${num(r.reference.error)} (${r.components} of ${r.columns.length} components)${r.current.windows.length ? `; ${outside} of ${r.current.windows.length} current windows outside the band` : ''}`,
      };
    }
  }
}

type EmbeddingMethod = 'model' | 'distance' | 'mmd';

/** One embedding by one method: the number, the rule and the verdict, or why there is none. */
function embeddingVerdict(
  r: EmbeddingColumnDrift,
  method: EmbeddingMethod,
): { value: number; rule: string; drifted: boolean; what: string } | Unavailable {
  if (method === 'model') {
    const m = r.model;
    if ('unavailable' in m) return m;
    return { value: m.auc, rule: `ROC AUC <= ${num(m.threshold)}`, drifted: m.drifted, what: `domain classifier ROC AUC ${num(m.auc)}` };
  }
  if (method === 'distance') {
    const d = r.distance;
    return {
      value: d.value,
      rule: `distance <= ${num(d.threshold)}`,
      drifted: d.drifted,
      what: `distance between the mean vectors ${num(d.value)}`,
    };
  }
  if ('unavailable' in r.mmd) return r.mmd;
  return {
    value: r.mmd.pValue,
    rule: `MMD p >= ${num(r.mmd.threshold)}`,
    drifted: r.mmd.drifted,
    what: `MMD^2 ${num(r.mmd.value)}, permutation p ${num(r.mmd.pValue)}`,
  };
}

/** Fails when any embedding drifts by the chosen method; the value is the first drifted one's (else the first's). */
function judgeEmbeddings(method: EmbeddingMethod, r: NonNullable<CheckInputs['embeddings']>[string] | undefined): Verdict {
  if (!r) return notEvaluated('the embedding drift was not computed');
  if (isUnavailable(r)) return notEvaluated(r.unavailable);
  const judged = r.map((e) => {
    if ('unavailable' in e && !('embedding' in e)) return { name: e.name, v: e as Unavailable };
    const x = e as EmbeddingColumnDrift;
    return { name: x.embedding.name, v: embeddingVerdict(x, method) };
  });
  const done = judged.filter(
    (j): j is { name: string; v: Exclude<ReturnType<typeof embeddingVerdict>, Unavailable> } => !isUnavailable(j.v),
  );
  const missing = judged.filter((j) => isUnavailable(j.v)).map((j) => `${j.name}: ${(j.v as Unavailable).unavailable}`);
  if (!done.length) return notEvaluated(missing.join('; '));
  const drifted = done.filter((j) => j.v.drifted);
  const shown = drifted[0] ?? done[0]!;
  return {
    status: drifted.length ? 'fail' : 'pass',
    value: shown.v.value,
    threshold: shown.v.rule,
    message: [
      ...done.map((j) => `${j.name}: ${j.v.what}, ${j.v.drifted ? 'drift' : 'no drift'}`),
      ...missing.map((m) => `not evaluated ${m}`),
    ].join('; '),
  };
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
    const column =
      'column' in c
        ? (c.column as string)
        : c.kind === 'attribution-drift'
          ? (c.feature ?? null)
          : c.kind === 'metric-by-segment'
            ? c.segment
            : null;
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
