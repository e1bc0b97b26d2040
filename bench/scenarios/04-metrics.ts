/**
 * Issue 4: realised performance of the log (binary, score + delayed labels) overall with curves and
 * bootstrap intervals, and per week with the reference as a baseline; and what a threshold change
 * recomputes (overall metrics from the score table in JS, the weekly windows in SQL).
 */
import { coreMissing, importCore } from '../lib/core';
import { LANTERN_NODE } from '../lib/lantern';
import {
  BINARY,
  logSpec,
  PERFORMANCE,
  TIME,
  WINDOWS,
  type BinaryModule,
  type PerformanceModule,
  type ScoreTable,
  type TimeModule,
  type WindowsModule,
} from '../lib/perfCore';
import { lanternReplaySide, nativeReplaySide, type Tables } from '../lib/replayScenario';
import type { BenchContext, Scenario } from '../lib/scenario';

const tables = (ctx: BenchContext): Tables => ({
  reference: ctx.files.reference.parquet,
  current_log: ctx.files.log[ctx.files.analysisLog]!.parquet,
});

const scenario: Scenario = {
  id: 'metrics',
  title: 'Metrics with windows',
  aim: 'issue 4: a threshold change redraws in < 200 ms for 1,000,000 rows',
  pending: async (ctx) => coreMissing(ctx.root, [PERFORMANCE, WINDOWS, TIME, BINARY]),
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
        label: `${rows} rows: threshold change (overall from the score table, weekly windows)`,
        params: { key: 'threshold' },
      },
    ];
  },
  lantern: lanternReplaySide<ScoreTable | undefined>(
    'metrics',
    `${LANTERN_NODE}: overallPerformance + metricsOverTime (src/lib/metrics/)`,
    tables,
    async (db, ctx, params, scoreTable) => {
      const { overallPerformance } = await importCore<PerformanceModule>(ctx.root, PERFORMANCE);
      const { metricsOverTime } = await importCore<WindowsModule>(ctx.root, WINDOWS);
      const { timestampSql } = await importCore<TimeModule>(ctx.root, TIME);
      const ts = timestampSql('timestamp', 'temporal');
      if (params['key'] === 'report') {
        const overall = await overallPerformance(db, logSpec('current_log'));
        const time = await metricsOverTime(db, logSpec('current_log'), ts, { unit: 'week', reference: logSpec('reference') });
        return { labelled: overall.metrics.n, windows: time.windows.length };
      }
      const { binaryMetricsAt } = await importCore<BinaryModule>(ctx.root, BINARY);
      binaryMetricsAt(scoreTable!, 0.35);
      const time = await metricsOverTime(db, logSpec('current_log', 0.35), ts, { unit: 'week' });
      return { windows: time.windows.length };
    },
    async (db, ctx, params) => {
      if (params['key'] !== 'threshold') return undefined;
      // The score table is what the view holds once the report is on screen.
      const { overallPerformance } = await importCore<PerformanceModule>(ctx.root, PERFORMANCE);
      return (await overallPerformance(db, logSpec('current_log'), { pointOnly: true })).scoreTable;
    },
  ),
  native: nativeReplaySide('metrics', tables),
};

export default scenario;
