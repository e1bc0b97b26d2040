import type { Db } from '../../lib/db';
import { binaryReport, type BinaryReport } from '../../lib/metrics/binary';
import { cbpeWindowCounts, cbpeWindowsAt, fitCbpeCalibrator, type CbpeWindow } from '../../lib/metrics/cbpe';
import { loadGroupedScoreCounts } from '../../lib/metrics/groupedScores';
import { metricsByGroup, overallPerformance, type OverallPerformance } from '../../lib/metrics/performance';
import { preparePerformance, type PerfChoices, type PerfSetup } from '../../lib/metrics/setup';
import type { PerfSpec } from '../../lib/metrics/spec';
import { chooseWindowUnit, windowSql, type WindowUnit } from '../../lib/metrics/time';
import { metricsOverTime, windowsAt, windowScoreCounts, type MetricsOverTime } from '../../lib/metrics/windows';
import { describeTable } from '../../lib/schema';
import type { SliceDiscovery } from '../../lib/slices/discover';
import { encodeRows, encodeScoredRows, errorRateAt, type EncodedRows, type ScoredRows } from '../../lib/slices/encode';
import { sliceDimensions, type Dimension } from '../../lib/slices/dimensions';
import { metricHeatmap, type HeatmapCell } from '../../lib/slices/heatmap';
import { defaultRowError, rowErrorSql, type RowErrorName } from '../../lib/slices/rowError';
import { searchSlices, type SliceSearcher } from '../../lib/slices/search';
import type { SliceSearchProgress } from '../../lib/slices/sliceline';
import type { WorsenedSlice } from '../../lib/slices/worsened';
import { ident } from '../../lib/sql';
import type { Jobs } from '../jobs';
import {
  heatKey,
  sliceRowsAt,
  viewsAtThreshold,
  type AtThreshold,
  type SliceRow,
  type ThresholdCache,
  type ThresholdViewsWanted,
} from './thresholdViews';

export interface PerformanceSummary {
  spec: PerfSpec;
  join: PerfSetup['join'];
  classes: string[];
  dimensions: { name: string; kind: Dimension['kind']; values: string[] }[];
  hasReference: boolean;
  windowUnit: WindowUnit | null;
}

export interface OverTime extends MetricsOverTime {
  cbpe: CbpeWindow[] | null;
  cbpeUnavailable?: string;
}

export interface SliceFindings {
  discovery: SliceDiscovery;
  worsened: WorsenedSlice[];
  /** Slices worse over the whole log than the same slice in the reference (when there is one). */
  worsenedVsReference: WorsenedSlice[] | null;
  /**
   * Milliseconds: the whole search, its discovery part (pull + SliceLine), the pull of encoded rows from
   * DuckDB and the JS search (SliceLine and its tests).
   */
  ms: { total: number; discovery: number; pull: number; search: number };
}

/** Where a slice search is: reading encoded rows from DuckDB, or counting passes of SliceLine's level. */
export type SliceProgress = { phase: 'reading' } | ({ phase: 'searching' } & SliceSearchProgress);

interface Session {
  setup: PerfSetup;
  dims: Dimension[];
  reference?: PerfSpec;
  /** Per-score counts behind every threshold-dependent view (binary with scores only). */
  cache: ThresholdCache;
  /** Slice codes with scores and labels (binary with scores), for the 0/1 error at any threshold. */
  scored?: ScoredRows;
  referenceScored?: ScoredRows;
  windowUnit: WindowUnit | null;
}

/**
 * Model performance: a session joins labels and infers the task once, keeps the per-score counts of a
 * binary classifier in the worker so that `atThreshold` answers a slider move without touching DuckDB,
 * and serves the heavier analyses as cancellable jobs.
 */
export function performanceApi(db: Db, jobs: Jobs, search: SliceSearcher = searchSlices) {
  const sessions = new Map<string, Session>();
  let nextSession = 0;
  const session = (id: string) => {
    const s = sessions.get(id);
    if (!s) throw new Error(`No performance session ${id}; prepare one first.`);
    return s;
  };
  const withThreshold = (s: Session, threshold: number): PerfSpec => ({ ...s.setup.spec, threshold });

  return {
    preparePerformance(
      jobId: string,
      input: { data: string; labels?: string; reference?: string; choices?: PerfChoices },
    ): Promise<{ id: string; summary: PerformanceSummary }> {
      return jobs.run(jobId, async (signal) => {
        const id = `perf_${++nextSession}`;
        const setup = await preparePerformance(db, {
          data: input.data,
          labels: input.labels,
          out: `${id}_rows`,
          choices: input.choices,
          signal,
        });
        const spec = setup.spec;
        let reference: PerfSpec | undefined;
        if (input.reference) {
          const cols = await describeTable(db, input.reference);
          const label = cols.find((c) => c.name === spec.label);
          const outputs = [
            spec.score,
            spec.prediction,
            ...(spec.predictionFromScores ? (spec.classScores ?? []).map((c) => c.column) : []),
          ];
          const hasOutputs = outputs.every((c) => c === undefined || cols.some((x) => x.name === c));
          if (label && hasOutputs) reference = { ...spec, table: input.reference, labelKind: label.kind };
        }
        const timestamp = setup.timestampSql && spec.timestamp ? { column: spec.timestamp, sql: setup.timestampSql } : undefined;
        const dims = await sliceDimensions(db, spec.table, setup.columns, setup.roles, { timestamp, signal });
        let windowUnit: WindowUnit | null = null;
        if (timestamp) {
          const [span] = await db.query(
            `SELECT (epoch_ms(max(${timestamp.sql})) - epoch_ms(min(${timestamp.sql})))::DOUBLE AS s FROM ${ident(spec.table)}`,
            { signal },
          );
          windowUnit = chooseWindowUnit(Number(span?.['s'] ?? 0));
        }
        const s: Session = { setup, dims, windowUnit, cache: { slices: new Map(), heat: new Map() } };
        if (reference) s.reference = reference;
        sessions.set(id, s);
        return {
          id,
          summary: {
            spec,
            join: setup.join,
            classes: setup.profile.values.map((v) => v.value),
            dimensions: dims.map((d) => ({ name: d.name, kind: d.kind, values: d.values.map((v) => v.label) })),
            hasReference: Boolean(reference),
            windowUnit,
          },
        };
      });
    },

    /** Realised performance with curves and bootstrap intervals (binary), or the multiclass/regression report. */
    overall(jobId: string, id: string, threshold: number): Promise<OverallPerformance> {
      return jobs.run<OverallPerformance>(jobId, async (signal) => {
        const s = session(id);
        const result = await overallPerformance(db, withThreshold(s, threshold), { signal });
        if (result.task === 'binary' && result.scoreTable) {
          const { roc_auc, average_precision, log_loss, brier } = result.metrics;
          s.cache.overall = { table: result.scoreTable, free: { roc_auc, average_precision, log_loss, brier } };
          // The score table stays in the worker; the page gets the report only.
          return { task: 'binary', metrics: result.metrics, ...(result.report ? { report: result.report } : {}) };
        }
        return result;
      });
    },

    /**
     * A slider move: overall metrics, confusion matrix, metrics and CBPE per window, the slice table and the
     * heatmap at a new threshold, all from the cached per-score counts (no query).
     */
    atThreshold(id: string, threshold: number, wanted: ThresholdViewsWanted = {}): AtThreshold | null {
      const s = sessions.get(id);
      return s ? viewsAtThreshold(s.cache, s.dims, threshold, wanted) : null;
    },

    /** Full binary report at a threshold, with bootstrap intervals (after the slider settles). */
    reportAt(id: string, threshold: number): BinaryReport | null {
      const t = sessions.get(id)?.cache.overall?.table;
      return t ? binaryReport(t, threshold) : null;
    },

    overTime(jobId: string, id: string, threshold: number): Promise<OverTime> {
      return jobs.run(jobId, async (signal) => {
        const s = session(id);
        const spec = withThreshold(s, threshold);
        if (!s.setup.timestampSql || !s.windowUnit) throw new Error('No timestamp column: metrics over time need one.');
        if (spec.task === 'binary' && spec.score && (!s.reference || s.reference.score)) {
          const windows = await windowScoreCounts(db, spec, s.setup.timestampSql, {
            unit: s.windowUnit,
            signal,
            ...(s.reference ? { reference: s.reference } : {}),
          });
          s.cache.windows = windows;
          delete s.cache.cbpe;
          let cbpeUnavailable: string | undefined;
          if (s.reference) s.cache.cbpe = cbpeWindowCounts(windows.groups.values(), await fitCbpeCalibrator(db, s.reference, signal));
          else cbpeUnavailable = 'CBPE needs a reference dataset with labels and scores to calibrate on.';
          const cbpe = s.cache.cbpe ? cbpeWindowsAt(s.cache.cbpe, threshold) : null;
          return { ...windowsAt(windows, threshold), cbpe, ...(cbpeUnavailable ? { cbpeUnavailable } : {}) };
        }
        const over = await metricsOverTime(db, spec, s.setup.timestampSql, {
          unit: s.windowUnit,
          signal,
          ...(s.reference ? { reference: { ...s.reference, threshold } } : {}),
        });
        // CBPE needs scores here and in the reference (the branch above).
        const cbpeUnavailable =
          spec.task !== 'binary' || !spec.score
            ? 'CBPE needs a binary classifier with scores.'
            : 'CBPE needs a reference dataset with labels and scores to calibrate on.';
        return { ...over, cbpe: null, cbpeUnavailable };
      });
    },

    bySlice(jobId: string, id: string, dimension: string, threshold: number): Promise<SliceRow[]> {
      return jobs.run(jobId, async (signal) => {
        const s = session(id);
        const dim = s.dims.find((d) => d.name === dimension);
        if (!dim) throw new Error(`No dimension ${dimension}`);
        const spec = s.setup.spec;
        if (spec.task === 'binary' && spec.score) {
          let groups = s.cache.slices.get(dimension);
          if (!groups) s.cache.slices.set(dimension, (groups = await loadGroupedScoreCounts(db, spec, [dim.codeSql], { signal })));
          return sliceRowsAt(dim, groups, threshold);
        }
        const groups = await metricsByGroup(db, withThreshold(s, threshold), [{ sql: dim.codeSql, as: 'code' }], { signal });
        return groups
          .filter((g) => Number(g.key['code']) > 0)
          .map((g) => ({ value: dim.values[Number(g.key['code']) - 1]!.label, metrics: g.metrics }));
      });
    },

    findSlices(
      jobId: string,
      id: string,
      options: { metric?: RowErrorName; maxDepth?: number; threshold: number },
      onProgress?: (progress: SliceProgress) => void,
    ): Promise<SliceFindings> {
      return jobs.run(jobId, async (signal) => {
        const started = performance.now();
        const s = session(id);
        const spec = withThreshold(s, options.threshold);
        const metric = options.metric ?? defaultRowError(spec);
        const windowExpr =
          s.setup.timestampSql && s.windowUnit
            ? windowSql(s.setup.timestampSql, s.windowUnit === 'day' ? 'week' : s.windowUnit)
            : undefined;
        const untimed = s.dims.flatMap((d, i) => (d.kind === 'time' ? [] : [i]));
        const reference = s.reference ? { ...s.reference, threshold: options.threshold } : undefined;
        const refDims = untimed.map((i) => s.dims[i]!);
        void onProgress?.({ phase: 'reading' });
        // The 0/1 error of a classifier with scores: codes, scores and labels pulled once per session, the
        // errors at this threshold computed in JS - a search after a threshold move runs no query (and the
        // worker stays free for the next move). Other errors: one pull per search.
        const byThreshold = metric === 'error_rate' && spec.task === 'binary' && Boolean(spec.score);
        let refRows: EncodedRows | undefined;
        let encoded: EncodedRows;
        if (byThreshold) {
          s.scored ??= await encodeScoredRows(db, spec, s.dims, { signal, ...(windowExpr ? { windowSql: windowExpr } : {}) });
          encoded = errorRateAt(s.scored, options.threshold);
          if (s.reference?.score) {
            s.referenceScored ??= await encodeScoredRows(db, s.reference, refDims, { signal });
            refRows = errorRateAt(s.referenceScored, options.threshold);
          }
        } else {
          // One pull of codes and errors serves the discovery and both worsened-slice comparisons.
          encoded = await encodeRows(db, spec, s.dims, rowErrorSql(spec, metric), {
            signal,
            ...(windowExpr ? { windowSql: windowExpr } : {}),
          });
        }
        if (reference) refRows ??= await encodeRows(db, reference, refDims, rowErrorSql(reference, metric), { signal });
        const pulledMs = performance.now() - started;
        // The search itself is JS over typed arrays: in the browser it runs in a worker of its own, so this
        // worker (and DuckDB) serves the view's other queries meanwhile. Timestamp parts are constant within
        // a window: the worsened comparisons use segments and bins only (and only those against the
        // reference, which covers other dates).
        const found = await search(
          {
            dims: s.dims,
            rows: encoded,
            metric,
            maxDepth: options.maxDepth ?? 2,
            worsenedDims: windowExpr ? untimed : s.dims.map((_, i) => i),
            ...(refRows ? { reference: { dims: untimed, rows: refRows } } : {}),
          },
          { signal, onProgress: (p) => void onProgress?.({ phase: 'searching', ...p }) },
        );
        return {
          discovery: found.discovery,
          worsened: found.worsened,
          worsenedVsReference: found.worsenedVsReference,
          ms: { total: performance.now() - started, discovery: pulledMs + found.searchMs, pull: pulledMs, search: found.searchMs },
        };
      });
    },

    heatmap(jobId: string, id: string, x: string, y: string, metric: string, threshold: number): Promise<HeatmapCell[]> {
      return jobs.run(jobId, async (signal) => {
        const s = session(id);
        const dx = s.dims.find((d) => d.name === x);
        const dy = s.dims.find((d) => d.name === y);
        if (!dx || !dy) throw new Error('Unknown dimension');
        const spec = s.setup.spec;
        if (spec.task === 'binary' && spec.score) {
          const key = heatKey(x, y);
          if (!s.cache.heat.has(key)) s.cache.heat.set(key, await loadGroupedScoreCounts(db, spec, [dx.codeSql, dy.codeSql], { signal }));
          return viewsAtThreshold(s.cache, s.dims, threshold, { heat: { x, y, metric } })?.heat?.cells ?? [];
        }
        return metricHeatmap(db, withThreshold(s, threshold), dx, dy, metric, signal);
      });
    },
  };
}
