import { driftOverTime, timeWindows, type ColumnTest, type WindowDrift, type WindowSpec } from '../../lib/drift/overTime';
import { dataQuality, type QualityReport } from '../../lib/drift/quality';
import { driftReport, type DriftOptions, type DriftReport } from '../../lib/drift/report';
import { driftBySegment, type SegmentDrift } from '../../lib/drift/segments';
import { driftBreakdown, type DriftBreakdown } from '../../lib/drift/breakdown';
import { driftInPlace, type Place, type PlaceDrift } from '../../lib/drift/place';
import { minimumSupport } from '../../lib/findings/windows';
import type { RoleMap } from '../../lib/roles';
import { rowsWithoutTime, splitByTime } from '../../lib/drift/split';
import type { DriftTables } from '../../lib/drift/sql';
import { countRows, describeTable } from '../../lib/schema';
import type { NumericalBatchRunner } from '../../lib/drift/numericalBatch';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export type { DriftReport, WindowDrift, SegmentDrift, QualityReport, WindowSpec, ColumnTest, DriftBreakdown, Place, PlaceDrift };

/** What the segment x window breakdown of a column is computed with. */
export interface BreakdownRequest {
  /** Roles of the log's columns: ids, times and model outputs never segment. */
  roles: RoleMap;
  time?: { timestamp: string; spec: WindowSpec } | undefined;
  /** Cells with fewer rows are too small (default: the investigation's minimum support for the log's size). */
  minSupport?: number | null | undefined;
}
export type DriftRequest = Omit<DriftOptions, 'signal' | 'onProgress' | 'batchValues' | 'runNumericalBatch'>;

const tablesOf = (t: DriftTables) => [t.reference, t.current];

/**
 * Drift, drift over time, root cause by segment and data quality between two loaded tables. Results are
 * kept per inputs, so going back to a column or a report already computed costs nothing.
 * `runNumericalBatch`: where the report's numerical statistics run (the browser engine's helper thread).
 */
export function driftApi(scheduler: Scheduler, runNumericalBatch?: NumericalBatchRunner) {
  const cached = (name: string, t: DriftTables, ...args: unknown[]) => ({
    key: callKey(name, t, ...args),
    cache: true,
    tables: tablesOf(t),
  });
  return {
    driftReport(ctx: CallContext, t: DriftTables, request: DriftRequest = {}): Promise<DriftReport> {
      return scheduler.run(
        ctx,
        ({ db, signal }) => driftReport(db, t, { ...request, signal, ...(runNumericalBatch ? { runNumericalBatch } : {}) }),
        cached('driftReport', t, request),
      );
    },

    driftOverTime(ctx: CallContext, t: DriftTables, column: ColumnTest, timestamp: string, spec: WindowSpec): Promise<WindowDrift[]> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) => driftOverTime(db, t, column, await timeWindows(db, t.current, timestamp, spec, signal), { signal }),
        cached('driftOverTime', t, column, timestamp, spec),
      );
    },

    driftBySegment(
      ctx: CallContext,
      t: DriftTables,
      column: ColumnTest,
      segments: string[],
      time?: { timestamp: string; spec: WindowSpec },
    ): Promise<SegmentDrift[]> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) => {
          const windows = time ? await timeWindows(db, t.current, time.timestamp, time.spec, signal) : undefined;
          return driftBySegment(db, t, column, segments, { signal, ...(windows ? { windows, topWithTime: 3 } : {}) });
        },
        cached('driftBySegment', t, column, segments, time ?? null),
      );
    },

    /**
     * Where a column drifts: every segment of every column that can segment the rows, per window, from each
     * window on and over the whole log, against the segment in the reference; small cells are not ranked.
     */
    driftBreakdown(ctx: CallContext, t: DriftTables, column: ColumnTest, request: BreakdownRequest): Promise<DriftBreakdown> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) => {
          const windows = request.time ? await timeWindows(db, t.current, request.time.timestamp, request.time.spec, signal) : undefined;
          const minSupport = request.minSupport ?? minimumSupport(await countRows(db, t.current));
          return driftBreakdown(db, t, column, { roles: request.roles, minSupport, signal, ...(windows ? { windows } : {}) });
        },
        cached('driftBreakdown', t, column.name, column.kind, request),
      );
    },

    /** A column's drift in one place (a segment, a window of the log): the segment's own distributions. */
    driftInPlace(ctx: CallContext, t: DriftTables, column: ColumnTest, place: Place, timestamp?: string | null): Promise<PlaceDrift> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) => {
          const side = async (table: string) => {
            const columns = await describeTable(db, table);
            return { columns, timestamp: columns.find((c) => c.name === timestamp) };
          };
          return driftInPlace(db, t, column, place, { reference: await side(t.reference), current: await side(t.current) }, signal);
        },
        cached('driftInPlace', t, column, place, timestamp ?? null),
      );
    },

    /** Views of one table before and from `splitMs` (epoch ms), to compare a dataset with its own past. */
    splitByTime(ctx: CallContext, table: string, timestamp: string, splitMs: number): Promise<DriftTables> {
      return scheduler.run(ctx, async ({ db }) => {
        const views = await splitByTime(db, table, timestamp, splitMs);
        // The views now select other rows: what was computed over them before is stale.
        for (const v of tablesOf(views)) scheduler.invalidate(v);
        return views;
      });
    },

    /** Rows whose time cannot be read, which a split by that time leaves out of both windows. */
    rowsWithoutTime(ctx: CallContext, table: string, timestamp: string): Promise<number> {
      return scheduler.run(ctx, ({ db, signal }) => rowsWithoutTime(db, table, timestamp, signal), {
        key: callKey('rowsWithoutTime', table, timestamp),
        cache: true,
        tables: [table],
      });
    },

    dataQuality(ctx: CallContext, t: DriftTables, id?: string): Promise<QualityReport> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) =>
          dataQuality(db, t, await describeTable(db, t.reference), await describeTable(db, t.current), { signal, ...(id ? { id } : {}) }),
        cached('dataQuality', t, id ?? null),
      );
    },
  };
}
