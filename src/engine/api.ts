import type { Db } from '../lib/db';
import type { ParquetCodec } from '../lib/ingest';
import type { NumericalBatchRunner } from '../lib/drift/numericalBatch';
import { datasetsApi } from './api/datasets';
import { driftApi } from './api/drift';
import { performanceApi } from './api/performance';
import { explainApi } from './api/explain';
import { workspaceDataApi } from './api/workspaceData';
import { runtimeApi } from './api/runtime';
import { checksApi } from './api/checks';
import type { SliceSearcher } from '../lib/slices/search';
import { Jobs } from './jobs';

export type { LoadedWithRoles } from './api/datasets';
export type { PerformanceSummary, OverTime, SliceFindings, SliceProgress } from './api/performance';
export type { AtThreshold, SliceRow } from './api/thresholdViews';
export type { EngineRuntime } from './api/runtime';

/** Threads an engine may lend the analyses (the browser engine worker starts its own). */
export interface EngineHelpers {
  runNumericalBatch?: NumericalBatchRunner;
  sliceSearch?: SliceSearcher;
}

/**
 * The engine worker's API: one group of thin methods per analysis area, each in ./api/<area>.ts.
 * An area adds one spread line here; the client's types follow from this function.
 */
export function createEngineApi(db: Db, parquet: ParquetCodec, helpers: EngineHelpers = {}) {
  const jobs = new Jobs();
  return {
    cancel: (jobId: string) => jobs.cancel(jobId),
    ...datasetsApi(db, parquet, jobs),
    ...driftApi(db, jobs, helpers.runNumericalBatch),
    ...performanceApi(db, jobs, helpers.sliceSearch),
    ...explainApi(db, jobs),
    ...workspaceDataApi(db, parquet, jobs),
    ...runtimeApi(db),
    ...checksApi(db, jobs),
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;
