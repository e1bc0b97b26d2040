import type { Db } from '../../lib/db';
import { driftOverTime, timeWindows, type ColumnTest, type WindowDrift, type WindowSpec } from '../../lib/drift/overTime';
import { dataQuality, type QualityReport } from '../../lib/drift/quality';
import { driftReport, type DriftOptions, type DriftReport } from '../../lib/drift/report';
import { driftBySegment, type SegmentDrift } from '../../lib/drift/segments';
import { splitByTime } from '../../lib/drift/split';
import type { DriftTables } from '../../lib/drift/sql';
import { describeTable } from '../../lib/schema';
import type { NumericalBatchRunner } from '../../lib/drift/numericalBatch';
import type { Jobs } from '../jobs';

export type { DriftReport, WindowDrift, SegmentDrift, QualityReport, WindowSpec, ColumnTest };
export type DriftRequest = Omit<DriftOptions, 'signal' | 'onProgress' | 'batchValues' | 'runNumericalBatch'>;

/**
 * Drift, drift over time, root cause by segment and data quality between two loaded tables.
 * `runNumericalBatch`: where the report's numerical statistics run (the browser engine's helper thread).
 */
export function driftApi(db: Db, jobs: Jobs, runNumericalBatch?: NumericalBatchRunner) {
  return {
    driftReport(jobId: string, t: DriftTables, request: DriftRequest = {}): Promise<DriftReport> {
      return jobs.run(jobId, (signal) => driftReport(db, t, { ...request, signal, ...(runNumericalBatch ? { runNumericalBatch } : {}) }));
    },

    driftOverTime(jobId: string, t: DriftTables, column: ColumnTest, timestamp: string, spec: WindowSpec): Promise<WindowDrift[]> {
      return jobs.run(jobId, async (signal) =>
        driftOverTime(db, t, column, await timeWindows(db, t.current, timestamp, spec, signal), { signal }),
      );
    },

    driftBySegment(
      jobId: string,
      t: DriftTables,
      column: ColumnTest,
      segments: string[],
      time?: { timestamp: string; spec: WindowSpec },
    ): Promise<SegmentDrift[]> {
      return jobs.run(jobId, async (signal) => {
        const windows = time ? await timeWindows(db, t.current, time.timestamp, time.spec, signal) : undefined;
        return driftBySegment(db, t, column, segments, { signal, ...(windows ? { windows, topWithTime: 3 } : {}) });
      });
    },

    /** Views of one table before and from `splitMs` (epoch ms), to compare a dataset with its own past. */
    splitByTime(table: string, timestamp: string, splitMs: number): Promise<DriftTables> {
      return splitByTime(db, table, timestamp, splitMs);
    },

    dataQuality(jobId: string, t: DriftTables, id?: string): Promise<QualityReport> {
      return jobs.run(jobId, async (signal) =>
        dataQuality(db, t, await describeTable(db, t.reference), await describeTable(db, t.current), { signal, ...(id ? { id } : {}) }),
      );
    },
  };
}
