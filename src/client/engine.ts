import { proxy, wrap, type Remote } from 'comlink';
import type { CallContext, EngineApi, Priority } from '../engine/api';
import { cancelledError } from '../rpc/errors';

export type {
  LoadedWithRoles,
  LoadChoice,
  EngineRuntime,
  OverTime,
  PerformanceSummary,
  SliceFindings,
  SliceProgress,
  AtThreshold,
  SliceRow,
  Priority,
  Investigation,
  InvestigationProgress,
  InvestigationSettings,
  PlacePerformance,
  Setup,
  SetupInput,
  ValidationReport,
  ValidationProgress,
  ValidationInput,
  CustomMetricsResult,
  CostReport,
  CostSettings,
  CustomMetric,
  OpsReport,
  OpsRequest,
  ConsoleResult,
  ConsoleTable,
  ResultChartData,
  ResultChartSpec,
} from '../engine/api';
export type { LoadProgress } from '../lib/ingest';
export type { ColumnProfile } from '../lib/profile';
export type { ChecksRun, Suite, SuiteResult, ReportData, CheckTables } from '../engine/api/checks';
export type {
  DriftBreakdown,
  DriftReport,
  Place,
  PlaceDrift,
  QualityReport,
  SegmentDrift,
  WindowDrift,
  WindowSpec,
} from '../engine/api/drift';
export type { Comparison, VersionsDetection, CompareInput } from '../engine/api/versions';
export type { HistoryReport, HistorySettings, NamedProfile, Profile } from '../engine/api/profiles';
export type {
  DomainClassifierDrift,
  DomainRequest,
  EmbeddingColumn,
  EmbeddingColumnDrift,
  EmbeddingRequest,
  ReconstructionDrift,
  ReconstructionRequest,
  TextColumnDrift,
} from '../engine/api/multivariate';

/** How a call is made: aborting the signal cancels the job in the engine wherever it is. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Default `view`: a visible view waits for it. */
  priority?: Priority;
}

type Methods = Omit<EngineApi, 'cancel'>;
type Remoted = Remote<Methods>;

/** Each engine method as the page calls it: the job context is the client's business, not the caller's. */
export type EngineClient = {
  [K in keyof Remoted]: Remoted[K] extends (ctx: CallContext, ...args: infer A) => infer R ? (...args: A) => R : never;
};

export interface Engine extends EngineClient {
  /** The same methods, made with a signal (cancel) and a priority. */
  with(options: CallOptions): EngineClient;
}

/**
 * A typed client over a worker's engine API (Squoosh's pattern): every call gets a job id and a priority,
 * and an AbortSignal that, when aborted, sends `cancel(jobId)` to the engine's scheduler, which stops the
 * job wherever it is. A call whose signal is already aborted never reaches the engine. `connect` is called
 * on the first call, not before: the engine worker (and DuckDB in it) starts when some work needs it.
 */
export function engineClient(connect: () => Remote<EngineApi>): Engine {
  let remote: Remote<EngineApi> | undefined;
  let nextJob = 0;
  const bound = (options: CallOptions): EngineClient =>
    new Proxy({} as EngineClient, {
      get: (_target, method: string) => {
        if (method === 'then') return undefined;
        return (...args: unknown[]) => {
          const { signal } = options;
          if (signal?.aborted) return Promise.reject(cancelledError());
          const api = (remote ??= connect());
          const jobId = `${method}-${++nextJob}`;
          const ctx: CallContext = { jobId, priority: options.priority ?? 'view' };
          const abort = () => void api.cancel(jobId);
          signal?.addEventListener('abort', abort, { once: true });
          const call = (api[method as keyof Remote<EngineApi>] as unknown as (...a: unknown[]) => Promise<unknown>)(ctx, ...args);
          return signal ? call.finally(() => signal.removeEventListener('abort', abort)) : call;
        };
      },
    });
  const plain = bound({});
  return new Proxy(plain as Engine, {
    get: (target, method: string) => (method === 'with' ? bound : target[method as keyof EngineClient]),
  });
}

/**
 * The page's engine: a client over the engine worker (workers/engine.worker.ts), which starts on the
 * first call. `src/main.ts` makes one and hands it to the workspace; nothing else starts an engine.
 */
export function browserEngine(): Engine {
  return engineClient(() =>
    wrap<EngineApi>(new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'lantern-engine' })),
  );
}

/** Callbacks cross the worker boundary as Comlink proxies. */
export { proxy };
