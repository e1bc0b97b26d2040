/**
 * Realised performance of the log (binary, score + delayed labels) overall with curves and
 * bootstrap intervals, and per week with the reference as a baseline; and what a threshold change costs
 * in the engine: the worker API's `atThreshold` after the performance view is on screen (session prepared,
 * overall report, weekly windows with reference and CBPE, the slice table of one segment, a heatmap),
 * which recomputes every threshold-dependent result (overall metrics, confusion, per-window metrics and
 * CBPE, per-slice table, heatmap cells) from the per-score counts the session cached. It runs no SQL.
 */
import { coreMissing, importCore } from '../lib/core';
import { LANTERN_NODE } from '../lib/lantern';
import { logSpec, PERFORMANCE, TIME, WINDOWS, type PerformanceModule, type TimeModule, type WindowsModule } from '../lib/perfCore';
import { lanternReplaySide, nativeReplaySide, type Tables } from '../lib/replayScenario';
import type { BenchContext, Scenario } from '../lib/scenario';
import type { Db } from '../../src/lib/db';

const PERFORMANCE_API = 'src/engine/api/performance.ts';
const JOBS = 'src/engine/jobs.ts';
const HEAT = { x: 'seg_3', y: 'timestamp.week', metric: 'f1' };

/** The worker API of the performance view, typed locally (see lib/perfCore.ts). */
interface PerformanceApi {
  preparePerformance(
    jobId: string,
    input: { data: string; reference?: string; choices?: Record<string, unknown> },
  ): Promise<{ id: string }>;
  overall(jobId: string, id: string, threshold: number): Promise<unknown>;
  overTime(jobId: string, id: string, threshold: number): Promise<unknown>;
  bySlice(jobId: string, id: string, dimension: string, threshold: number): Promise<unknown>;
  heatmap(jobId: string, id: string, x: string, y: string, metric: string, threshold: number): Promise<unknown>;
  atThreshold(
    id: string,
    threshold: number,
    wanted: { dimension?: string; heat?: { x: string; y: string; metric: string } },
  ): { ms: number; overTime?: { windows: unknown[] }; bySlice?: { rows: unknown[] }; heat?: { cells: unknown[] } } | null;
}
interface PerformanceApiModule {
  performanceApi(db: Db, jobs: unknown): PerformanceApi;
}
interface JobsModule {
  Jobs: new () => unknown;
}
interface PreparedView {
  api: PerformanceApi;
  id: string;
}

const tables = (ctx: BenchContext): Tables => ({
  reference: ctx.files.reference.parquet,
  current_log: ctx.files.log[ctx.files.analysisLog]!.parquet,
});

const scenario: Scenario = {
  id: 'metrics',
  title: 'Metrics with windows',
  aim: 'issue 4: a threshold change redraws in < 200 ms for 1,000,000 rows',
  pending: async (ctx) => coreMissing(ctx.root, [PERFORMANCE, WINDOWS, TIME, PERFORMANCE_API]),
  cases: (ctx) => {
    const rows = ctx.files.log[ctx.files.analysisLog]!.rows.toLocaleString('en-US');
    return [
      {
        key: 'report',
        label: `${rows} rows: all binary metrics + curves + bootstrap, weekly windows with reference baseline`,
        params: { key: 'report' },
      },
      {
        key: 'threshold',
        label: `${rows} rows: threshold change (overall, confusion, weekly windows + CBPE, slice table, heatmap; from cached counts)`,
        params: { key: 'threshold' },
      },
    ];
  },
  lantern: lanternReplaySide<PreparedView | undefined>(
    'metrics',
    `${LANTERN_NODE}: overallPerformance + metricsOverTime (src/lib/metrics/)`,
    tables,
    async (db, ctx, params, view) => {
      const { overallPerformance } = await importCore<PerformanceModule>(ctx.root, PERFORMANCE);
      const { metricsOverTime } = await importCore<WindowsModule>(ctx.root, WINDOWS);
      const { timestampSql } = await importCore<TimeModule>(ctx.root, TIME);
      const ts = timestampSql('timestamp', 'temporal');
      if (params['key'] === 'report') {
        const overall = await overallPerformance(db, logSpec('current_log'));
        const time = await metricsOverTime(db, logSpec('current_log'), ts, { unit: 'week', reference: logSpec('reference') });
        return { labelled: overall.metrics.n, windows: time.windows.length };
      }
      const { api, id } = view!;
      const at = api.atThreshold(id, 0.35, { dimension: 'seg_3', heat: HEAT });
      if (!at?.overTime || !at.bySlice || !at.heat) throw new Error('a threshold-dependent view was not answered from the cache');
      return {
        windows: at.overTime.windows.length,
        sliceRows: at.bySlice.rows.length,
        cells: at.heat.cells.length,
        engineMs: at.ms,
      };
    },
    async (db, ctx, params) => {
      if (params['key'] !== 'threshold') return undefined;
      // What the worker holds once the performance view is on screen (the app's calls, in its order).
      const { performanceApi } = await importCore<PerformanceApiModule>(ctx.root, PERFORMANCE_API);
      const { Jobs } = await importCore<JobsModule>(ctx.root, JOBS);
      const api = performanceApi(db, new Jobs());
      const spec = logSpec('current_log');
      const choices = {
        id: 'prediction_id',
        label: spec.label,
        score: spec.score,
        prediction: spec.prediction,
        timestamp: 'timestamp',
        positive: '1',
        threshold: 0.5,
      };
      const { id } = await api.preparePerformance('prepare', { data: 'current_log', reference: 'reference', choices });
      await api.overall('overall', id, 0.5);
      await api.overTime('time', id, 0.5);
      await api.bySlice('slice', id, 'seg_3', 0.5);
      await api.heatmap('heat', id, HEAT.x, HEAT.y, HEAT.metric, 0.5);
      return { api, id };
    },
  ),
  native: nativeReplaySide('metrics', tables),
};

export default scenario;
