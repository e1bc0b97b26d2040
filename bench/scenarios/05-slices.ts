/**
 * Worst-slice discovery (SliceLine, depth 2) over the 10 segment columns and the timestamp's
 * parts of the log, per-row 0/1 error: dimensions built in DuckDB, the lattice searched in JS.
 */
import { coreMissing, importCore } from '../lib/core';
import { LANTERN_NODE } from '../lib/lantern';
import {
  DIMENSIONS,
  DISCOVER,
  logSpec,
  segmentRoles,
  TIME,
  type DimensionsModule,
  type DiscoverModule,
  type TimeModule,
} from '../lib/perfCore';
import { lanternReplaySide, nativeReplaySide, type Tables } from '../lib/replayScenario';
import type { BenchContext, Scenario } from '../lib/scenario';
import { describeTable } from '../../src/lib/schema';

const tables = (ctx: BenchContext): Tables => ({ current_log: ctx.files.log[ctx.files.analysisLog]!.parquet });

const scenario: Scenario = {
  id: 'slices',
  title: 'Slice discovery (depth 2)',
  aim: 'issue 4: < 10 s in Chromium',
  pending: async (ctx) => coreMissing(ctx.root, [DIMENSIONS, DISCOVER, TIME]),
  cases: (ctx) => [
    {
      key: 'depth2',
      label: `${ctx.files.log[ctx.files.analysisLog]!.rows.toLocaleString('en-US')} rows, 10 segment columns + 4 time parts`,
      params: { key: 'depth2' },
    },
  ],
  lantern: lanternReplaySide('slices', `${LANTERN_NODE}: sliceDimensions + discoverSlices (src/lib/slices/)`, tables, async (db, ctx) => {
    const { sliceDimensions } = await importCore<DimensionsModule>(ctx.root, DIMENSIONS);
    const { discoverSlices } = await importCore<DiscoverModule>(ctx.root, DISCOVER);
    const { timestampSql } = await importCore<TimeModule>(ctx.root, TIME);
    const columns = await describeTable(db, 'current_log');
    const dims = await sliceDimensions(db, 'current_log', columns, segmentRoles(columns), {
      timestamp: { column: 'timestamp', sql: timestampSql('timestamp', 'temporal') },
    });
    const found = await discoverSlices(db, logSpec('current_log'), dims, { maxDepth: 2 });
    return { dimensions: dims.length, tested: found.tested, top: found.slices[0]?.label ?? null };
  }),
  native: nativeReplaySide('slices', tables),
};

export default scenario;
