import type { EngineDb } from './duckdbDb';
import type { ParquetCodec } from '../lib/ingest';
import type { NumericalBatchRunner } from '../lib/drift/numericalBatch';
import { datasetsApi } from './api/datasets';
import { driftApi } from './api/drift';
import { performanceApi } from './api/performance';
import { explainApi } from './api/explain';
import { workspaceDataApi } from './api/workspaceData';
import { runtimeApi } from './api/runtime';
import { checksApi } from './api/checks';
import { investigationApi } from './api/investigation';
import { versionsApi } from './api/versions';
import { exportsApi } from './api/exports';
import { validationApi } from './api/validation';
import { profilesApi } from './api/profiles';
import { multivariateApi } from './api/multivariate';
import { opsApi } from './api/ops';
import { consoleApi } from './api/console';
import type { SliceSearcher } from '../lib/slices/search';
import { Scheduler } from './scheduler';

export type { LoadedWithRoles, LoadChoice } from './api/datasets';
export type {
  PerformanceSummary,
  OverTime,
  SliceFindings,
  SliceProgress,
  PlacePerformance,
  CustomMetricsResult,
  CostReport,
  CostSettings,
  CustomMetric,
} from './api/performance';
export type { OpsReport, OpsRequest } from './api/ops';
export type { ConsoleResult, ConsoleTable, ResultChartData, ResultChartSpec } from './api/console';
export type { AtThreshold, SliceRow } from '../lib/metrics/thresholdViews';
export type { CallContext } from './scheduler';
export type { Priority } from './queue';
export type { EngineRuntime } from './api/runtime';
export type { Investigation, InvestigationProgress, InvestigationSettings, Setup, SetupInput } from './api/investigation';
export type { ValidationReport, ValidationProgress, ValidationInput } from './api/validation';
export type { Profile, HistoryReport, HistorySettings, NamedProfile } from './api/profiles';

/** Threads an engine may lend the analyses (the browser engine worker starts its own). */
export interface EngineHelpers {
  runNumericalBatch?: NumericalBatchRunner;
  sliceSearch?: SliceSearcher;
}

/**
 * The engine worker's API: one group of thin methods per analysis area, each in ./api/<area>.ts, over
 * the use cases of the core. Every method takes the caller's CallContext first (its job id and priority,
 * see ./scheduler.ts); `cancel` is the one exception. An area adds one spread line here; the client's
 * types follow from this function.
 */
export function createEngineApi(db: EngineDb, parquet: ParquetCodec, helpers: EngineHelpers = {}) {
  const scheduler = new Scheduler(db);
  return {
    cancel: (jobId: string) => scheduler.cancel(jobId),
    ...datasetsApi(scheduler, parquet),
    ...driftApi(scheduler, helpers.runNumericalBatch),
    ...performanceApi(scheduler, helpers.sliceSearch),
    ...explainApi(scheduler),
    ...workspaceDataApi(scheduler, parquet),
    ...runtimeApi(scheduler),
    ...checksApi(scheduler),
    ...investigationApi(scheduler, helpers.sliceSearch),
    ...versionsApi(scheduler),
    ...exportsApi(scheduler, parquet),
    ...validationApi(scheduler),
    ...profilesApi(scheduler),
    ...multivariateApi(scheduler),
    ...opsApi(scheduler),
    ...consoleApi(scheduler, parquet),
  };
}

export type EngineApi = ReturnType<typeof createEngineApi>;
