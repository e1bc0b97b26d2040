/**
 * The computed values a suite's checks look at, from the drift, quality, metrics and slices cores, each
 * computed once and only when some check (or the overview / report) needs it. Evaluation (evaluate.ts) is
 * then a pure function of these values, so the app, the CLI and the report all judge the same numbers.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { dataQuality, type QualityReport } from '../drift/quality';
import { driftReport, type ColumnSetting, type DriftReport } from '../drift/report';
import { compareSchemas, driftKindOf, type SchemaDiff } from '../drift/schemaDiff';
import { driftBreakdown, type DriftBreakdown } from '../drift/breakdown';
import { costsByQuery } from '../metrics/costViews';
import { checkCustomMetric, customMetricsBy } from '../metrics/custom';
import { flatMetrics, metricsByGroup, overallPerformance } from '../metrics/performance';
import { opsReport } from '../ops/report';
import { preparePerformance } from '../metrics/setup';
import type { PerfSpec, Task } from '../metrics/spec';
import { sliceDimensions } from '../slices/dimensions';
import { encodeRows } from '../slices/encode';
import { defaultRowError, rowErrorSql, type RowErrorName } from '../slices/rowError';
import { countRows, describeTable, type ColumnInfo } from '../schema';
import type { DriftMethod } from '../drift/methods';
import { inferRoles, type RoleMap } from '../roles';
import { ident, sql } from '../sql';
import type { TreeEnsemble } from '../model/ensemble';
import { reconstructionDrift, type ReconstructionDrift } from '../multivariate/reconstructionDrift';
import { prefixGroupOf } from '../multivariate/embeddingColumns';
import { embeddingColumnDrift, type EmbeddingColumnDrift } from '../multivariate/embeddingVectors';
import { attributionInputs, type AttributionInputs } from './attribution';
import type { Check, Suite, SuiteSettings } from './suite';
import { worstSlices, type WorstSlices } from './worstSlices';
import { compareVersions } from '../usecases/compare';
import type { Comparison } from '../versions/types';

export interface CheckTables {
  reference: string;
  current: string;
  /** A separate label table joined to the current data by prediction id (delayed labels). */
  labels?: string;
}

export type Unavailable = { unavailable: string };

export function isUnavailable(x: unknown): x is Unavailable {
  return typeof x === 'object' && x !== null && typeof (x as Unavailable).unavailable === 'string';
}

export interface PerformanceInputs {
  task: Task;
  spec: PerfSpec;
  current: Record<string, number | null>;
  /** The reference's metrics with the same columns, or why there are none. */
  reference: Record<string, number | null> | Unavailable;
  labelled: number;
  predictions: number;
  /** The reference as a spec over the same columns, when it has them (the baseline of segment metrics). */
  referenceSpec?: PerfSpec;
}

/** One metric per value of a segmenting column, on the labelled log and on the reference. */
export interface SegmentMetrics {
  metric: string;
  segment: string;
  values: { value: string; current: number | null; reference: number | null; nCurrent: number; nReference: number }[];
}

export interface SliceInputs extends WorstSlices {
  error: RowErrorName;
  maxDepth: 1 | 2;
  minRows: number;
}

export interface CheckInputs {
  referenceRows: number;
  currentRows: number;
  referenceColumns: ColumnInfo[];
  currentColumns: ColumnInfo[];
  schema: SchemaDiff;
  drift?: DriftReport;
  quality?: QualityReport;
  performance?: PerformanceInputs | Unavailable;
  /** Keyed by sliceKey(check). */
  slices: Record<string, SliceInputs | Unavailable>;
  /** Keyed by segmentDriftKey(check): the column's drift per segment over the whole log. */
  segmentDrift?: Record<string, DriftBreakdown | Unavailable>;
  /** Keyed by `${metric}|${segment}`. */
  segmentMetrics?: Record<string, SegmentMetrics | Unavailable>;
  /** Whether a model file was given (attribution drift needs one). */
  model: boolean;
  attribution?: AttributionInputs | Unavailable;
  /** Champion against challenger in the current data, for version checks. */
  versions?: Comparison | Unavailable;
  /** Computed from profiles (no rows): what needs rows, such as duplicate rows, is not evaluated. */
  fromProfiles?: boolean;
  /** Keyed by multivariateKey(check). */
  multivariate?: Record<string, ReconstructionDrift | Unavailable>;
  /** Keyed by embeddingKey(check): each embedding compared (one when the check names it), or why none was. */
  embeddings?: Record<string, (EmbeddingColumnDrift | (Unavailable & { name: string }))[] | Unavailable>;
  /** Values of the cost, custom-metric, latency and error-rate checks, by check id: current and reference. */
  values: Record<string, CheckValue | Unavailable>;
}

export interface CheckValue {
  value: number | null;
  reference: number | null;
}

type MultivariateCheck = Extract<Check, { kind: 'multivariate-drift' }>;

export function multivariateKey(c: MultivariateCheck): string {
  return JSON.stringify([
    c.columns ?? null,
    c.explainedVariance ?? null,
    c.sigmas ?? null,
    c.timestamp ?? null,
    c.window ?? null,
    c.chunks ?? null,
  ]);
}

type EmbeddingCheck = Extract<Check, { kind: 'embedding-drift' }>;

export function embeddingKey(c: { embedding?: string | undefined; sample?: number | undefined }): string {
  return JSON.stringify([c.embedding ?? null, c.sample ?? null]);
}

/**
 * The embeddings the drift report set apart (the named one, or all), each compared as vectors. One that
 * is too large to move whole is not evaluated with what to do; the others still are.
 */
async function embeddingInputs(
  db: Db,
  t: CheckTables,
  c: Pick<EmbeddingCheck, 'embedding' | 'sample'>,
  report: DriftReport,
  signal?: AbortSignal,
): Promise<NonNullable<CheckInputs['embeddings']>[string]> {
  const chosen = c.embedding === undefined ? report.embeddings : report.embeddings.filter((e) => e.name === c.embedding);
  if (!chosen.length)
    return {
      unavailable:
        c.embedding === undefined
          ? 'the data has no embedding (a list of numbers, or 8 or more numbered columns with a common prefix)'
          : `no embedding "${c.embedding}" in both files${report.embeddings.length ? ` (found: ${report.embeddings.map((e) => e.name).join(', ')})` : ''}`,
    };
  const out: (EmbeddingColumnDrift | (Unavailable & { name: string }))[] = [];
  for (const e of chosen) {
    try {
      out.push(await embeddingColumnDrift(db, t, e, { ...(c.sample !== undefined ? { sample: c.sample } : {}), signal }));
    } catch (error) {
      if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
      out.push({ name: e.name, unavailable: error.message });
    }
  }
  return out;
}

async function multivariateInputs(
  db: Db,
  t: CheckTables,
  c: MultivariateCheck,
  signal?: AbortSignal,
): Promise<ReconstructionDrift | Unavailable> {
  try {
    return await reconstructionDrift(db, t, {
      ...(c.columns ? { columns: c.columns } : {}),
      ...(c.explainedVariance !== undefined ? { explainedVariance: c.explainedVariance } : {}),
      ...(c.sigmas !== undefined ? { sigmas: c.sigmas } : {}),
      ...(c.timestamp && c.window ? { time: { timestamp: c.timestamp, unit: c.window } } : {}),
      ...(c.chunks !== undefined ? { chunks: c.chunks } : {}),
      signal,
    });
  } catch (error) {
    if (error instanceof LanternError && error.code !== 'cancelled') return { unavailable: error.message };
    throw error;
  }
}

export interface ComputeOptions {
  /** Compute drift, quality and performance even when no check asks (for the overview and the report). */
  everything?: boolean;
  /** The model, for attribution drift. */
  model?: TreeEnsemble;
  signal?: AbortSignal;
  onProgress?: (step: string) => void;
}

export function sliceKey(c: { error?: RowErrorName | undefined; maxDepth?: number | undefined; minRows: number }): string {
  return `${c.error ?? 'default'}|${c.maxDepth ?? 2}|${c.minRows}`;
}

export const segmentDriftKey = (c: { column: string; segments?: string[] | undefined; minRows: number }) =>
  `${c.column}|${(c.segments ?? []).join(',')}|${c.minRows}`;

const DRIFT_KINDS = new Set<Check['kind']>(['drift-column', 'drift-share']);
const QUALITY_KINDS = new Set<Check['kind']>(['missing-share', 'unseen-categories', 'out-of-range', 'duplicate-rows']);
const PERF_KINDS = new Set<Check['kind']>(['metric', 'metric-vs-reference', 'slices', 'metric-by-segment', 'cost', 'custom-metric']);

/** A usage error (a bad column, a bad metric) makes the check not evaluated, with the reason; anything else is thrown. */
async function unlessUsage(work: () => Promise<CheckValue>): Promise<CheckValue | Unavailable> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LanternError && error.code === 'usage') return { unavailable: error.message };
    throw error;
  }
}

/** The values of the checks judged on one number each (costs, custom metrics, latency, error rate). */
async function checkValues(db: Db, t: CheckTables, checks: readonly Check[], perf: CheckInputs['performance'], signal?: AbortSignal) {
  const out: CheckInputs['values'] = {};
  for (const c of checks) {
    if (c.kind === 'cost' || c.kind === 'custom-metric') {
      if (!perf || 'unavailable' in perf) {
        out[c.id] = { unavailable: perf?.unavailable ?? 'needs labelled current data' };
        continue;
      }
      const spec = perf.spec;
      if (c.kind === 'cost')
        out[c.id] =
          spec.task === 'regression'
            ? { unavailable: 'costs per outcome apply to classifiers; this model is a regression' }
            : { value: (await costsByQuery(db, spec, c.costs, { signal })).at.perPrediction, reference: null };
      else
        out[c.id] = await unlessUsage(async () => {
          await checkCustomMetric(db, spec.table, c.metric, signal);
          const [g] = await customMetricsBy(db, spec, [c.metric], null, { signal });
          const v = g?.values[c.metric.name];
          return { value: v && v.defined ? v.value : null, reference: null };
        });
    } else if (c.kind === 'latency' || c.kind === 'error-rate') {
      out[c.id] = await unlessUsage(async () => {
        const r = await opsReport(
          db,
          {
            table: t.current,
            reference: t.reference,
            ...(c.kind === 'latency'
              ? { latency: c.latency ?? undefined }
              : { status: c.status ?? undefined, errorValues: c.errorValues ?? null }),
          },
          signal,
        );
        if (c.kind === 'latency') {
          if (!r.latency)
            throw new LanternError('usage', 'the current data has no latency column (name it in the check, or mark it in the app)');
          const key = `latency_${c.percentile}` as const;
          return { value: r.overall[key], reference: r.reference?.[key] ?? null };
        }
        if (!r.status)
          throw new LanternError('usage', 'the current data has no status column (name it in the check, or mark it in the app)');
        return { value: r.overall.error_rate, reference: r.reference?.error_rate ?? null };
      });
    }
  }
  return out;
}

function perColumnSettings(checks: readonly Check[]): Record<string, ColumnSetting> {
  const out: Record<string, ColumnSetting> = {};
  for (const c of checks)
    if (c.kind === 'drift-column' && (c.method || c.threshold !== undefined))
      out[c.column] = {
        ...(c.method ? { method: c.method as DriftMethod } : {}),
        ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
      };
  return out;
}

async function performanceInputs(
  db: Db,
  t: CheckTables,
  settings: SuiteSettings,
  signal?: AbortSignal,
): Promise<PerformanceInputs | Unavailable> {
  let setup;
  try {
    setup = await preparePerformance(db, {
      data: t.current,
      labels: t.labels,
      out: '__check_perf_current',
      choices: {
        id: settings.id,
        label: settings.label,
        score: settings.score,
        prediction: settings.prediction,
        positive: settings.positive,
        threshold: settings.threshold,
      },
      signal,
    });
  } catch (error) {
    if (error instanceof LanternError && error.code !== 'cancelled')
      return { unavailable: `needs labelled current data: ${error.message}` };
    throw error;
  }
  const { spec } = setup;
  const current = flatMetrics(spec.task, (await overallPerformance(db, spec, { pointOnly: true, signal })).metrics);
  const refColumns = await describeTable(db, t.reference);
  const needed = [spec.label, spec.score, spec.prediction].filter((x): x is string => Boolean(x));
  const absent = needed.filter((c) => !refColumns.some((r) => r.name === c));
  let reference: PerformanceInputs['reference'];
  let referenceSpec: PerfSpec | undefined;
  if (absent.length) reference = { unavailable: `the reference has no column ${absent.map((c) => `"${c}"`).join(', ')}` };
  else {
    const refSpec: PerfSpec = { ...spec, table: t.reference, labelKind: refColumns.find((c) => c.name === spec.label)!.kind };
    delete refSpec.timestamp;
    if (spec.prediction) refSpec.predictionKind = refColumns.find((c) => c.name === spec.prediction)!.kind;
    reference = flatMetrics(spec.task, (await overallPerformance(db, refSpec, { pointOnly: true, signal })).metrics);
    referenceSpec = refSpec;
  }
  return {
    task: spec.task,
    spec,
    current,
    reference,
    labelled: setup.join.matched,
    predictions: setup.join.predictions,
    ...(referenceSpec ? { referenceSpec } : {}),
  };
}

/** Worst slices of the labelled current data for one (error, depth, minimum size) choice. */
export async function sliceInputs(
  db: Db,
  perf: PerformanceInputs,
  choice: { error?: RowErrorName | undefined; maxDepth?: number | undefined; minRows: number },
  signal?: AbortSignal,
): Promise<SliceInputs> {
  const { spec } = perf;
  const columns = await describeTable(db, spec.table);
  const skip = new Set([spec.label, spec.score, spec.prediction, spec.timestamp].filter(Boolean) as string[]);
  const roles = inferRoles(columns);
  for (const s of skip) roles[s] = 'ignore';
  const dims = await sliceDimensions(db, spec.table, columns, roles, { signal });
  const error = choice.error ?? defaultRowError(spec);
  const maxDepth = (choice.maxDepth ?? 2) as 1 | 2;
  const encoded = await encodeRows(db, spec, dims, rowErrorSql(spec, error), { signal });
  return { ...worstSlices(encoded, dims, { minRows: choice.minRows, maxDepth }), error, maxDepth, minRows: choice.minRows };
}

/** A metric per value of a segmenting column, on both sides. */
async function segmentMetrics(
  db: Db,
  perf: PerformanceInputs,
  metric: string,
  segment: string,
  signal?: AbortSignal,
): Promise<SegmentMetrics | Unavailable> {
  if (!perf.referenceSpec) return { unavailable: 'the reference has no labels and model outputs to compare with' };
  const key = [{ sql: sql`CAST(${ident(segment)} AS VARCHAR)`, as: 'value' }];
  const side = async (spec: PerfSpec) => {
    if (!(await describeTable(db, spec.table)).some((c) => c.name === segment)) return null;
    const groups = await metricsByGroup(db, spec, key, { signal });
    return new Map(
      groups.map((g) => [String(g.key['value']), { n: g.metrics.n, value: flatMetrics(spec.task, g.metrics)[metric] ?? null }]),
    );
  };
  const cur = await side(perf.spec);
  const ref = await side(perf.referenceSpec);
  if (!cur || !ref) return { unavailable: `column "${segment}" is not in ${cur ? 'the reference' : 'the current data'}` };
  const values = [...cur.keys()]
    .filter((v) => v !== 'null')
    .map((value) => ({
      value,
      current: cur.get(value)!.value,
      reference: ref.get(value)?.value ?? null,
      nCurrent: cur.get(value)!.n,
      nReference: ref.get(value)?.n ?? 0,
    }));
  return { metric, segment, values };
}

/** Roles of the log's columns for segmenting: what the suite names as label and outputs never segments. */
function segmentingRoles(columns: ColumnInfo[], settings: SuiteSettings): RoleMap {
  const roles = inferRoles(columns);
  for (const [role, column] of [
    ['label', settings.label],
    ['score', settings.score],
    ['prediction', settings.prediction],
    ['id', settings.id],
  ] as const)
    if (column) roles[column] = role;
  return roles;
}

export async function computeCheckInputs(db: Db, t: CheckTables, suite: Suite, options: ComputeOptions = {}): Promise<CheckInputs> {
  const { signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const kinds = new Set(suite.checks.map((c) => c.kind));
  const want = (set: Set<Check['kind']>) => options.everything || [...kinds].some((k) => set.has(k));
  const referenceColumns = await describeTable(db, t.reference);
  const currentColumns = await describeTable(db, t.current);
  const inputs: CheckInputs = {
    referenceRows: await countRows(db, t.reference),
    currentRows: await countRows(db, t.current),
    referenceColumns,
    currentColumns,
    schema: compareSchemas(referenceColumns, currentColumns),
    slices: {},
    model: Boolean(options.model),
    values: {},
  };
  if (want(DRIFT_KINDS) || kinds.has('embedding-drift')) {
    progress('drift');
    inputs.drift = await driftReport(db, t, {
      perColumn: perColumnSettings(suite.checks),
      driftShare: suite.settings?.driftShare,
      // A column a check names is tested on its own, even when it is numbered like an embedding's.
      ungroupEmbeddings: suite.checks.flatMap((c) => (c.kind === 'drift-column' ? (prefixGroupOf(c.column) ?? []) : [])),
      signal,
    });
  }
  throwIfAborted(signal);
  if (want(QUALITY_KINDS)) {
    progress('data quality');
    inputs.quality = await dataQuality(db, t, referenceColumns, currentColumns, { signal });
  }
  throwIfAborted(signal);
  if (want(PERF_KINDS)) {
    progress('performance');
    inputs.performance = await performanceInputs(db, t, suite.settings ?? {}, signal);
  }
  if (options.model && (kinds.has('attribution-drift') || options.everything)) {
    progress('attribution');
    try {
      inputs.attribution = await attributionInputs(db, options.model, t, signal);
    } catch (error) {
      if (error instanceof LanternError && error.code === 'feature-mismatch') inputs.attribution = { unavailable: error.message };
      else throw error;
    }
  }
  progress('values');
  inputs.values = await checkValues(db, t, suite.checks, inputs.performance, signal);
  const versionChecks = suite.checks.filter((c) => c.kind === 'version-not-worse');
  if (versionChecks.length) {
    progress('versions');
    const settings = suite.settings ?? {};
    try {
      inputs.versions = await compareVersions(
        { db, signal },
        {
          data: t.current,
          labels: t.labels,
          layout: settings.versions,
          choices: { id: settings.id, label: settings.label, positive: settings.positive, threshold: settings.threshold },
          out: '__check_versions',
          slices: versionChecks.flatMap((c) => (c.slice ? [c.slice] : [])),
        },
      );
    } catch (error) {
      if (error instanceof LanternError && error.code !== 'cancelled') inputs.versions = { unavailable: error.message };
      else throw error;
    }
  }
  for (const c of suite.checks) {
    if (c.kind === 'segment-drift') {
      inputs.segmentDrift ??= {};
      const key = segmentDriftKey(c);
      if (inputs.segmentDrift[key]) continue;
      const column = referenceColumns.find((x) => x.name === c.column);
      const kind = column ? driftKindOf(column) : null;
      if (!column || !kind || !currentColumns.some((x) => x.name === c.column)) {
        inputs.segmentDrift[key] = { unavailable: `column "${c.column}" is not in both datasets` };
        continue;
      }
      progress('segment drift');
      inputs.segmentDrift[key] = await driftBreakdown(
        db,
        t,
        { name: c.column, kind },
        {
          roles: segmentingRoles(currentColumns, suite.settings ?? {}),
          minSupport: c.minRows,
          signal,
          ...(c.segments ? { columns: c.segments } : {}),
        },
      );
    }
    if (c.kind === 'metric-by-segment') {
      inputs.segmentMetrics ??= {};
      const key = `${c.metric}|${c.segment}`;
      if (inputs.segmentMetrics[key]) continue;
      const perf = inputs.performance;
      if (!perf || 'unavailable' in perf) inputs.segmentMetrics[key] = { unavailable: perf?.unavailable ?? 'needs labelled current data' };
      else {
        progress('performance by segment');
        inputs.segmentMetrics[key] = await segmentMetrics(db, perf, c.metric, c.segment, signal);
      }
    }
  }
  const embeddingChecks: Pick<EmbeddingCheck, 'embedding' | 'sample'>[] = suite.checks.filter(
    (c): c is EmbeddingCheck => c.kind === 'embedding-drift',
  );
  // The report shows every embedding the data has, compared whole (or said to need a sample).
  if (
    options.everything &&
    inputs.drift?.embeddings.length &&
    !embeddingChecks.some((c) => c.embedding === undefined && c.sample === undefined)
  )
    embeddingChecks.push({});
  for (const c of embeddingChecks) {
    if (!inputs.drift || inputs.embeddings?.[embeddingKey(c)]) continue;
    progress('embedding drift');
    (inputs.embeddings ??= {})[embeddingKey(c)] = await embeddingInputs(db, t, c, inputs.drift, signal);
  }
  for (const c of suite.checks) {
    if (c.kind !== 'multivariate-drift' || inputs.multivariate?.[multivariateKey(c)]) continue;
    progress('multivariate drift');
    (inputs.multivariate ??= {})[multivariateKey(c)] = await multivariateInputs(db, t, c, signal);
  }
  for (const c of suite.checks) {
    if (c.kind !== 'slices') continue;
    const key = sliceKey(c);
    if (inputs.slices[key]) continue;
    const perf = inputs.performance;
    if (!perf || 'unavailable' in perf) inputs.slices[key] = { unavailable: perf?.unavailable ?? 'needs labelled current data' };
    else {
      progress('slices');
      inputs.slices[key] = await sliceInputs(db, perf, c, signal);
    }
  }
  return inputs;
}
