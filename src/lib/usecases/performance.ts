/**
 * The performance analysis a user runs, as one use case for the app and the CLI: join the labels, infer
 * the task, find the slicing dimensions and the window unit once (a session), then serve every view of it
 * (overall metrics, a threshold move from cached counts, metrics over time, a slice table, the slice
 * search, a heatmap) with the same defaults wherever it runs.
 */
import { LanternError } from '../errors';
import { binaryReport, type BinaryReport } from '../metrics/binary';
import { cbpeWindowCounts, cbpeWindowsAt, fitCbpeCalibrator, type CbpeWindow } from '../metrics/cbpe';
import { costsByQuery, costsFromCounts, type CostReport } from '../metrics/costViews';
import type { CostSettings } from '../metrics/costs';
import { checkCustomMetric, customMetricsBy, type CustomMetric, type MetricCheck } from '../metrics/custom';
import { loadGroupedScoreCounts } from '../metrics/groupedScores';
import type { MetricValue } from '../metrics/value';
import { metricsByGroup, overallPerformance, type AnyMetrics, type OverallPerformance } from '../metrics/performance';
import { preparePerformance, type PerfChoices, type PerfSetup } from '../metrics/setup';
import type { PerfSpec, Task } from '../metrics/spec';
import { placeFilter, segmentWhere, windowMs, type Place } from '../drift/place';
import {
  heatKey,
  sliceRowsAt,
  viewsAtThreshold,
  type AtThreshold,
  type SliceRow,
  type ThresholdCache,
  type ThresholdViewsWanted,
} from '../metrics/thresholdViews';
import { windowSql, windowUnitOf, type WindowUnit } from '../metrics/time';
import { metricsOverTime, windowsAt, windowScoreCounts, type MetricsOverTime } from '../metrics/windows';
import { describeTable, dropRelation } from '../schema';
import { SLICE_DEFAULTS, worsenedWindowUnit } from '../slices/defaults';
import { sliceableColumns, sliceDimensions, type Dimension } from '../slices/dimensions';
import type { SliceDiscovery } from '../slices/discover';
import { encodeRows, encodeScoredRows, errorRateAt, type EncodedRows, type ScoredRows } from '../slices/encode';
import { metricHeatmap, type HeatmapCell } from '../slices/heatmap';
import type { SliceRanking } from '../slices/ranked';
import { defaultRowError, rowErrorSql, type RowErrorName } from '../slices/rowError';
import { searchSlices, type SliceSearcher } from '../slices/search';
import type { SliceSearchProgress } from '../slices/sliceline';
import type { WorsenedSlice } from '../slices/worsened';
import type { WorsenedRuns } from '../slices/worsenedRuns';
import { raw, sql } from '../sql';
import type { Run } from './run';

export interface PerformanceInput {
  /** The prediction log's table. */
  data: string;
  /** A separate table of labels that arrived later, joined by prediction id. */
  labels?: string | undefined;
  /** Training or validation data with labels and the same model outputs: the baseline. */
  reference?: string | undefined;
  choices?: PerfChoices | undefined;
  /** The joined table this session creates (and drops when disposed). */
  out: string;
}

export interface PerformanceSummary {
  spec: PerfSpec;
  /** The joined analysis table (labels with the log): what custom metrics and the SQL console read. */
  table: string;
  join: PerfSetup['join'];
  classes: string[];
  dimensions: { name: string; kind: Dimension['kind']; values: string[] }[];
  hasReference: boolean;
  /** Why the reference cannot serve as a baseline (a label or model output column it lacks). */
  referenceProblem?: string;
  windowUnit: WindowUnit | null;
  /** Rows left out and guesses made (unlabelled predictions, unread timestamps, id types), in words. */
  warnings: string[];
}

export interface OverTime extends MetricsOverTime {
  cbpe: CbpeWindow[] | null;
  cbpeUnavailable?: string;
}

export interface SliceFindings {
  discovery: SliceDiscovery;
  /** Slices of one or two conditions significantly and clearly worse than the rest, small ones included. */
  ranked: SliceRanking;
  /** One-condition slices worse in a window than in the earlier windows (each slice's strongest window). */
  worsened: WorsenedSlice[];
  /** Slices worse over the whole log than the same slice in the reference (when there is one). */
  worsenedVsReference: WorsenedSlice[] | null;
  /**
   * Slices of one or two conditions worse than their baseline in consecutive windows, from the onset:
   * window by window against the reference when there is one, else against earlier windows; null
   * without a timestamp or a reference.
   */
  worsenedRuns: WorsenedRuns | null;
  /**
   * Milliseconds: the whole search, its discovery part (pull + SliceLine), the pull of encoded rows from
   * DuckDB, the JS search (SliceLine and its tests), the ranking and the worsened comparisons.
   */
  ms: { total: number; discovery: number; pull: number; search: number; ranking: number; worsened: number };
}

/**
 * The model in one place (a finding's segment and window): its labelled rows against the rest of the log
 * and against the same segment in the reference, and the segment window by window against the rest.
 */
export interface PlacePerformance {
  place: Place;
  task: Task;
  here: AnyMetrics | null;
  rest: AnyMetrics | null;
  reference: AnyMetrics | null;
  unit: WindowUnit | null;
  /** Per window of the log: the segment and the rest; `inPlace` marks the windows of the place. */
  windows: { start: number; here: AnyMetrics | null; rest: AnyMetrics | null; inPlace: boolean }[];
}

/** Windows of a place over time at most: the unit grows coarser until the log fits. */
const PLACE_WINDOWS = 30;

/** Custom metrics overall, per time window and per value of a slicing dimension (a segment, a model version). */
export interface CustomMetricsResult {
  metrics: CustomMetric[];
  overall: { labelled: number; values: Record<string, MetricValue> };
  windows: { start: number; labelled: number; values: Record<string, MetricValue> }[] | null;
  slices: { dimension: string; rows: { value: string; labelled: number; values: Record<string, MetricValue> }[] } | null;
}

/** Where a slice search is: reading encoded rows from DuckDB, or counting passes of SliceLine's level. */
export type SliceProgress = { phase: 'reading' } | ({ phase: 'searching' } & SliceSearchProgress);

export interface SliceSearchOptions {
  metric?: RowErrorName | undefined;
  maxDepth?: number | undefined;
  /** Slices listed (the CLI's --top). */
  k?: number | undefined;
  minSupport?: number | undefined;
  /** False discovery rate of the ranking and the window comparisons. */
  fdr?: number | undefined;
  /** Smallest effect size ranked. */
  minEffect?: number | undefined;
  threshold: number;
}

/** The reference as a spec over the same label and output columns, or why it cannot be one. */
async function referenceSpec(run: Run, spec: PerfSpec, table: string): Promise<PerfSpec | string> {
  const cols = await describeTable(run.db, table);
  const label = cols.find((c) => c.name === spec.label);
  const outputs = [spec.score, spec.prediction, ...(spec.predictionFromScores ? (spec.classScores ?? []).map((c) => c.column) : [])];
  const missing = [spec.label, ...outputs].filter((c): c is string => c !== undefined && !cols.some((x) => x.name === c));
  if (!label || missing.length)
    return `The reference has no column ${missing.map((c) => `"${c}"`).join(', ')}; it needs the same label and model output columns as the log.`;
  const ref: PerfSpec = { ...spec, table, labelKind: label.kind };
  if (spec.prediction) ref.predictionKind = cols.find((c) => c.name === spec.prediction)!.kind;
  return ref;
}

/** Joins labels, infers the task and prepares everything the views of a performance analysis share. */
export async function openPerformance(run: Run, input: PerformanceInput): Promise<PerformanceSession> {
  const { db, signal } = run;
  const setup = await preparePerformance(db, { data: input.data, labels: input.labels, out: input.out, choices: input.choices, signal });
  try {
    const spec = setup.spec;
    let reference: PerfSpec | undefined;
    let referenceProblem: string | undefined;
    if (input.reference) {
      const ref = await referenceSpec(run, spec, input.reference);
      if (typeof ref === 'string') referenceProblem = ref;
      else reference = ref;
    }
    const timestamp = setup.timestampSql && spec.timestamp ? { column: spec.timestamp, sql: setup.timestampSql } : undefined;
    const dims = await sliceDimensions(db, spec.table, setup.columns, setup.roles, { timestamp, signal });
    const windowUnit = timestamp ? await windowUnitOf(db, spec.table, timestamp.sql, signal) : null;
    // A wide table is sliced on some of its columns: said with the other things left out.
    const sliceNote = sliceableColumns(setup.columns, setup.roles).note;
    const told = sliceNote ? { ...setup, warnings: [...setup.warnings, sliceNote] } : setup;
    return new PerformanceSession(told, dims, windowUnit, input.out, reference, referenceProblem);
  } catch (error) {
    await dropRelation(db, input.out).catch(() => undefined);
    throw error;
  }
}

/**
 * One prepared performance analysis. It owns its joined table (drop it with `dispose`) and, for a binary
 * classifier with scores, the per-score counts behind every threshold-dependent view, so that a slider
 * move (`atThreshold`) is answered in JS without a query.
 */
export class PerformanceSession {
  private readonly cache: ThresholdCache = { slices: new Map(), heat: new Map() };
  /** Slice codes with scores and labels (binary with scores), for the 0/1 error at any threshold. */
  private scored?: ScoredRows;
  private referenceScored?: ScoredRows;
  readonly summary: PerformanceSummary;

  constructor(
    readonly setup: PerfSetup,
    readonly dims: Dimension[],
    readonly windowUnit: WindowUnit | null,
    /** The table this session created. */
    readonly table: string,
    readonly reference?: PerfSpec,
    referenceProblem?: string,
  ) {
    this.summary = {
      spec: setup.spec,
      table,
      join: setup.join,
      classes: setup.profile.values.map((v) => v.value),
      dimensions: dims.map((d) => ({ name: d.name, kind: d.kind, values: d.values.map((v) => v.label) })),
      hasReference: Boolean(reference),
      ...(referenceProblem ? { referenceProblem } : {}),
      windowUnit,
      warnings: setup.warnings,
    };
  }

  get spec(): PerfSpec {
    return this.setup.spec;
  }

  private at(threshold: number): PerfSpec {
    return { ...this.setup.spec, threshold };
  }

  /** Realised performance with curves and bootstrap intervals (binary), or the multiclass/regression report. */
  async overall(run: Run, threshold: number, options: { pointOnly?: boolean } = {}): Promise<OverallPerformance> {
    const result = await overallPerformance(run.db, this.at(threshold), { signal: run.signal, ...options });
    if (result.task === 'binary' && result.scoreTable) {
      const { roc_auc, average_precision, log_loss, brier } = result.metrics;
      this.cache.overall = { table: result.scoreTable, free: { roc_auc, average_precision, log_loss, brier } };
      // The score table stays with the session; callers get the report only.
      return { task: 'binary', metrics: result.metrics, ...(result.report ? { report: result.report } : {}) };
    }
    return result;
  }

  /**
   * A slider move: overall metrics, confusion matrix, metrics and CBPE per window, the slice table and the
   * heatmap at a new threshold, all from the cached per-score counts (no query).
   */
  atThreshold(threshold: number, wanted: ThresholdViewsWanted = {}): AtThreshold | null {
    return viewsAtThreshold(this.cache, this.dims, threshold, wanted);
  }

  /** Full binary report at a threshold, with bootstrap intervals (after the slider settles). */
  reportAt(threshold: number): BinaryReport | null {
    const t = this.cache.overall?.table;
    return t ? binaryReport(t, threshold) : null;
  }

  async overTime(run: Run, threshold: number): Promise<OverTime> {
    const { db, signal } = run;
    const spec = this.at(threshold);
    if (!this.setup.timestampSql || !this.windowUnit) throw new LanternError('usage', 'Metrics over time need a timestamp column.');
    if (spec.task === 'binary' && spec.score && (!this.reference || this.reference.score)) {
      const windows = await windowScoreCounts(db, spec, this.setup.timestampSql, {
        unit: this.windowUnit,
        signal,
        ...(this.reference ? { reference: this.reference } : {}),
      });
      this.cache.windows = windows;
      delete this.cache.cbpe;
      let cbpeUnavailable: string | undefined;
      if (this.reference) this.cache.cbpe = cbpeWindowCounts(windows.groups.values(), await fitCbpeCalibrator(db, this.reference, signal));
      else cbpeUnavailable = 'CBPE needs a reference dataset with labels and scores to calibrate on.';
      const cbpe = this.cache.cbpe ? cbpeWindowsAt(this.cache.cbpe, threshold) : null;
      return { ...windowsAt(windows, threshold), cbpe, ...(cbpeUnavailable ? { cbpeUnavailable } : {}) };
    }
    const over = await metricsOverTime(db, spec, this.setup.timestampSql, {
      unit: this.windowUnit,
      signal,
      ...(this.reference ? { reference: { ...this.reference, threshold } } : {}),
    });
    // CBPE needs scores here and in the reference (the branch above).
    const cbpeUnavailable =
      spec.task !== 'binary' || !spec.score
        ? 'CBPE needs a binary classifier with scores.'
        : 'CBPE needs a reference dataset with labels and scores to calibrate on.';
    return { ...over, cbpe: null, cbpeUnavailable };
  }

  async bySlice(run: Run, dimension: string, threshold: number): Promise<SliceRow[]> {
    const dim = this.dims.find((d) => d.name === dimension);
    if (!dim) throw new LanternError('usage', `No slicing dimension "${dimension}".`);
    const spec = this.spec;
    if (spec.task === 'binary' && spec.score) {
      let groups = this.cache.slices.get(dimension);
      if (!groups) this.cache.slices.set(dimension, (groups = await loadGroupedScoreCounts(run.db, spec, [dim.codeSql], run)));
      return sliceRowsAt(dim, groups, threshold);
    }
    const code = { sql: dim.codeSql, as: 'code' };
    const groups = await metricsByGroup(run.db, this.at(threshold), [code], run);
    return groups
      .filter((g) => Number(g.key[code.as]) > 0)
      .map((g) => ({ value: dim.values[Number(g.key[code.as]) - 1]!.label, metrics: g.metrics }));
  }

  /**
   * The slices where the model fails (SliceLine with significance, and the ranking that surfaces small
   * severe slices) and the slices that got worse over time or against the reference. `search` is where
   * the JS part runs (a worker of its own in the app).
   */
  async findSlices(
    run: Run,
    options: SliceSearchOptions,
    onProgress?: (progress: SliceProgress) => void,
    search: SliceSearcher = searchSlices,
  ): Promise<SliceFindings> {
    const { db, signal } = run;
    const started = performance.now();
    const spec = this.at(options.threshold);
    const metric = options.metric ?? defaultRowError(spec);
    const tsSql = this.setup.timestampSql;
    const windowExpr = tsSql && this.windowUnit ? windowSql(tsSql, worsenedWindowUnit(this.windowUnit)) : undefined;
    const untimed = this.dims.flatMap((d, i) => (d.kind === 'time' ? [] : [i]));
    const reference = this.reference ? { ...this.reference, threshold: options.threshold } : undefined;
    const refDims = untimed.map((i) => this.dims[i]!);
    onProgress?.({ phase: 'reading' });
    // The 0/1 error of a classifier with scores: codes, scores and labels pulled once per session, the
    // errors at this threshold computed in JS - a search after a threshold move runs no query. Other
    // errors: one pull per search, which serves the discovery and both worsened-slice comparisons.
    const byThreshold = metric === 'error_rate' && spec.task === 'binary' && Boolean(spec.score);
    let refRows: EncodedRows | undefined;
    let encoded: EncodedRows;
    if (byThreshold) {
      this.scored ??= await encodeScoredRows(db, spec, this.dims, { signal, ...(windowExpr ? { windowSql: windowExpr } : {}) });
      encoded = errorRateAt(this.scored, options.threshold);
      if (this.reference?.score) {
        this.referenceScored ??= await encodeScoredRows(db, this.reference, refDims, { signal });
        refRows = errorRateAt(this.referenceScored, options.threshold);
      }
    } else {
      encoded = await encodeRows(db, spec, this.dims, rowErrorSql(spec, metric), {
        signal,
        ...(windowExpr ? { windowSql: windowExpr } : {}),
      });
    }
    if (reference) refRows ??= await encodeRows(db, reference, refDims, rowErrorSql(reference, metric), { signal });
    const pulledMs = performance.now() - started;
    // Timestamp parts are constant within a window: the worsened comparisons use segments and bins only
    // (and only those against the reference, which covers other dates).
    const found = await search(
      {
        dims: this.dims,
        rows: encoded,
        metric,
        maxDepth: options.maxDepth ?? SLICE_DEFAULTS.maxDepth,
        k: options.k ?? SLICE_DEFAULTS.k,
        ...(options.minSupport !== undefined ? { minSupport: options.minSupport } : {}),
        ...(options.fdr !== undefined ? { fdr: options.fdr } : {}),
        ...(options.minEffect !== undefined ? { minEffect: options.minEffect } : {}),
        worsenedDims: windowExpr ? untimed : this.dims.map((_, i) => i),
        ...(refRows ? { reference: { dims: untimed, rows: refRows } } : {}),
      },
      { signal, onProgress: (p) => onProgress?.({ phase: 'searching', ...p }) },
    );
    return {
      discovery: found.discovery,
      ranked: found.ranked,
      worsened: found.worsened,
      worsenedVsReference: found.worsenedVsReference,
      worsenedRuns: found.worsenedRuns,
      ms: {
        total: performance.now() - started,
        discovery: pulledMs + found.searchMs,
        pull: pulledMs,
        search: found.searchMs,
        ranking: found.rankingMs,
        worsened: found.worsenedMs,
      },
    };
  }

  async heatmap(run: Run, x: string, y: string, metric: string, threshold: number): Promise<HeatmapCell[]> {
    const dx = this.dims.find((d) => d.name === x);
    const dy = this.dims.find((d) => d.name === y);
    if (!dx || !dy) throw new LanternError('usage', `No slicing dimension "${!dx ? x : y}".`);
    const spec = this.spec;
    if (spec.task === 'binary' && spec.score) {
      const key = heatKey(x, y);
      if (!this.cache.heat.has(key)) this.cache.heat.set(key, await loadGroupedScoreCounts(run.db, spec, [dx.codeSql, dy.codeSql], run));
      return viewsAtThreshold(this.cache, this.dims, threshold, { heat: { x, y, metric } })?.heat?.cells ?? [];
    }
    return metricHeatmap(run.db, this.at(threshold), dx, dy, metric, run.signal);
  }

  /** Metrics of one place against the rest of the log, the reference's segment and over time. */
  async placePerformance(run: Run, place: Place, threshold: number): Promise<PlacePerformance> {
    const { db, signal } = run;
    const spec = this.at(threshold);
    const columns = this.setup.columns;
    const timestamp = columns.find((c) => c.name === spec.timestamp);
    const sides = { columns, timestamp };
    const here = placeFilter(place, sides, sides).current;
    const inHere = sql`CASE WHEN ${here} THEN 1 ELSE 0 END`;
    const split = await metricsByGroup(db, spec, [{ sql: inHere, as: 'here' }], { signal });
    const side = (v: number) => split.find((g) => Number(g.key['here']) === v)?.metrics ?? null;
    let reference: AnyMetrics | null = null;
    if (this.reference) {
      const refColumns = await describeTable(db, this.reference.table);
      const refSegment = place.segment.filter((c) => refColumns.some((x) => x.name === c.column));
      const where = segmentWhere(refSegment, { columns: refColumns }).text;
      const [g] = await metricsByGroup(db, { ...this.reference, threshold }, [], { where, signal });
      reference = g?.metrics ?? null;
    }
    const windows: PlacePerformance['windows'] = [];
    let unit: WindowUnit | null = this.windowUnit;
    if (this.setup.timestampSql && unit) {
      const inSegment = sql`CASE WHEN ${segmentWhere(place.segment, sides)} THEN 1 ELSE 0 END`;
      const units: WindowUnit[] = ['hour', 'day', 'week', 'month'];
      let groups: Awaited<ReturnType<typeof metricsByGroup>> = [];
      let starts: number[] = [];
      // A segment is a small part of the log: windows coarse enough to hold a few dozen of its rows each.
      for (let u = units.indexOf(unit); u < units.length; u++) {
        unit = units[u]!;
        const start = sql`epoch_ms(${raw(windowSql(this.setup.timestampSql, unit))})::DOUBLE`;
        groups = await metricsByGroup(
          db,
          spec,
          [
            { sql: start, as: 'start' },
            { sql: inSegment, as: 'here' },
          ],
          { signal },
        );
        starts = [...new Set(groups.map((g) => Number(g.key['start'])).filter(Number.isFinite))].sort((a, b) => a - b);
        if (starts.length <= PLACE_WINDOWS) break;
      }
      const span = place.window ? windowMs(place.window) : null;
      starts.forEach((s, i) => {
        const of = (v: number) => groups.find((g) => Number(g.key['start']) === s && Number(g.key['here']) === v)?.metrics ?? null;
        // A window is the place's when the two overlap (the place may start inside a window).
        const next = starts[i + 1] ?? Number.POSITIVE_INFINITY;
        windows.push({ start: s, here: of(1), rest: of(0), inPlace: span !== null && s < span.end && next > span.start });
      });
    }
    return { place, task: spec.task, here: side(1), rest: side(0), reference, unit, windows };
  }

  /** Per-window score counts (and the reference's score table), for views of a binary classifier with scores. */
  private async windowCounts(run: Run): Promise<void> {
    const spec = this.spec;
    if (this.cache.windows || !this.setup.timestampSql || !this.windowUnit || !spec.score) return;
    if (this.reference && !this.reference.score) return;
    this.cache.windows = await windowScoreCounts(run.db, spec, this.setup.timestampSql, {
      unit: this.windowUnit,
      signal: run.signal,
      ...(this.reference ? { reference: this.reference } : {}),
    });
  }

  /**
   * Costs at a threshold: the expected cost per prediction, the cost-optimal threshold over every distinct
   * score with the cost curve (binary with scores), and costs per window and per value of `dimension`.
   */
  async costs(run: Run, settings: CostSettings, threshold: number, dimension?: string | null): Promise<CostReport> {
    const spec = this.at(threshold);
    if (spec.task === 'regression') throw new LanternError('usage', 'Costs per outcome apply to classifiers; this model is a regression.');
    const dim = dimension ? this.dims.find((d) => d.name === dimension) : undefined;
    if (spec.task === 'binary' && spec.score) {
      if (!this.cache.overall) await this.overall(run, threshold, { pointOnly: true });
      await this.windowCounts(run);
      let groups = dim ? this.cache.slices.get(dim.name) : undefined;
      if (dim && !groups) this.cache.slices.set(dim.name, (groups = await loadGroupedScoreCounts(run.db, spec, [dim.codeSql], run)));
      return costsFromCounts(
        settings,
        threshold,
        this.cache.overall!.table,
        this.cache.windows?.groups ?? null,
        dim && groups ? { dim, groups } : null,
      );
    }
    const ts = this.setup.timestampSql;
    return costsByQuery(run.db, spec, settings, {
      windowSql: ts && this.windowUnit ? windowSql(ts, this.windowUnit).text : undefined,
      dim,
      signal: run.signal,
    });
  }

  /** Checks a custom metric against the joined table; throws a usage error naming the problem. */
  checkCustomMetric(run: Run, metric: CustomMetric): Promise<MetricCheck> {
    return checkCustomMetric(run.db, this.table, metric, run.signal);
  }

  /** Custom metrics over the labelled rows: overall, per window and per value of `dimension`. */
  async customMetrics(run: Run, metrics: CustomMetric[], dimension?: string | null): Promise<CustomMetricsResult> {
    for (const m of metrics) await checkCustomMetric(run.db, this.table, m, run.signal);
    const spec = this.spec;
    const [overall] = await customMetricsBy(run.db, spec, metrics, null, run);
    const ts = this.setup.timestampSql;
    const windows =
      ts && this.windowUnit
        ? (await customMetricsBy(run.db, spec, metrics, `epoch_ms(${windowSql(ts, this.windowUnit)})`, run)).map((g) => ({
            start: Number(g.key),
            labelled: g.rows,
            values: g.values,
          }))
        : null;
    const dim = dimension ? this.dims.find((d) => d.name === dimension) : undefined;
    const slices = dim
      ? {
          dimension: dim.name,
          rows: (await customMetricsBy(run.db, spec, metrics, dim.codeSql, run))
            .filter((g) => Number(g.key) > 0)
            .map((g) => ({ value: dim.values[Number(g.key) - 1]!.label, labelled: g.rows, values: g.values })),
        }
      : null;
    return { metrics, overall: { labelled: overall?.rows ?? 0, values: overall?.values ?? {} }, windows, slices };
  }

  /** Drops the joined table this session created (a view when the labels were in the log). */
  async dispose(run: Run): Promise<void> {
    this.scored = undefined;
    this.referenceScored = undefined;
    await dropRelation(run.db, this.table);
  }
}
