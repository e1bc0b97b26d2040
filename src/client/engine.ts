import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi } from '../engine/api';

export type {
  LoadedWithRoles,
  EngineRuntime,
  OverTime,
  PerformanceSummary,
  SliceFindings,
  SliceProgress,
  AtThreshold,
  SliceRow,
} from '../engine/api';
export type { LoadProgress } from '../lib/ingest';
export type { ColumnProfile } from '../lib/profile';
export type { ChecksRun, Suite, SuiteResult, ReportData, CheckTables } from '../engine/api/checks';
export type { DriftReport, QualityReport, SegmentDrift, WindowDrift, WindowSpec } from '../engine/api/drift';

let remote: Remote<EngineApi> | undefined;

/** The one engine worker of the page, started on first use. */
export function engine(): Remote<EngineApi> {
  remote ??= wrap<EngineApi>(
    new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'lantern-engine' }),
  );
  return remote;
}

/** Callbacks cross the worker boundary as Comlink proxies. */
export { proxy };

let nextJob = 0;
export function newJobId(prefix: string): string {
  return `${prefix}-${++nextJob}`;
}
