/**
 * The full drift report (all statistics, all columns) for the reference vs the production log,
 * 20 feature columns, in Node; native DuckDB replays the report's SQL.
 */
import type { Db } from '../../src/lib/db';
import { coreMissing, importCore } from '../lib/core';
import { DRIFT_COLUMNS } from '../lib/data';
import { LANTERN_NODE } from '../lib/lantern';
import { lanternReplaySide, nativeReplaySide, type Tables } from '../lib/replayScenario';
import type { BenchContext, Scenario } from '../lib/scenario';

const REPORT = 'src/lib/drift/report.ts';
const STATS_THREAD = 'src/engine/nodeStats.ts';

/** The part of the drift branch's API this scenario uses (src/lib/drift/report.ts). */
interface DriftModule {
  driftReport(
    db: Db,
    t: { reference: string; current: string },
    options?: { columns?: readonly string[]; runNumericalBatch?: unknown },
  ): Promise<{ columns: { name: string; drifted: boolean }[]; dataset: { driftedColumns: number; drifted: boolean } }>;
}

/** The CLI's second thread for the numerical statistics (src/engine/nodeStats.ts). */
interface StatsThreadModule {
  nodeStatsThread(): { run: unknown; close(): Promise<void> };
}

const tables = (ctx: BenchContext): Tables => ({
  reference: ctx.files.reference.parquet,
  current_log: ctx.files.log[ctx.files.analysisLog]!.parquet,
});

const scenario: Scenario = {
  id: 'drift',
  title: 'Drift report (all statistics, 20 columns)',
  aim: 'issue 3: < 5 s in Chromium; <= 2x native DuckDB',
  pending: async (ctx) => coreMissing(ctx.root, [REPORT, STATS_THREAD]),
  cases: (ctx) => [
    {
      key: 'ref-vs-log',
      label: `${ctx.files.reference.rows.toLocaleString('en-US')} reference vs ${ctx.files.reference.rows.toLocaleString('en-US')} current rows x ${DRIFT_COLUMNS.length} columns`,
      params: { key: 'ref-vs-log' },
    },
  ],
  lantern: lanternReplaySide(
    'drift',
    `${LANTERN_NODE}: driftReport (src/lib/drift/report.ts), SQL + statistics in JS on a second thread, as the CLI`,
    tables,
    async (db, ctx) => {
      const { driftReport } = await importCore<DriftModule>(ctx.root, REPORT);
      const { nodeStatsThread } = await importCore<StatsThreadModule>(ctx.root, STATS_THREAD);
      const stats = nodeStatsThread();
      const report = await driftReport(
        db,
        { reference: 'reference', current: 'current_log' },
        { columns: DRIFT_COLUMNS, runNumericalBatch: stats.run },
      ).finally(() => stats.close());
      return { columns: report.columns.length, drifted: report.columns.filter((c) => c.drifted).map((c) => c.name) };
    },
  ),
  native: nativeReplaySide('drift', tables),
};

export default scenario;
