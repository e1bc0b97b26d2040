import { getPlatformFeatures, PACKAGE_VERSION } from 'duckdb-browser-blocking';
import type { CallContext, Scheduler } from '../scheduler';

/** How the engine runs in this tab, as the UI reports it (see docs/decisions/0502-threads.md). */
export interface EngineRuntime {
  /** The DuckDB-WASM wasm this browser loaded: "eh" (wasm exceptions) or "mvp". */
  bundle: 'eh' | 'mvp';
  crossOriginIsolated: boolean;
  /** DuckDB's worker threads; always 1 with the synchronous build, which has no pthread support. */
  threads: number;
  duckdbWasm: string;
}

export function runtimeApi(scheduler: Scheduler) {
  return {
    async runtime(ctx: CallContext): Promise<EngineRuntime> {
      const features = await getPlatformFeatures();
      const [row] = await scheduler.run(ctx, ({ db }) => db.query(`SELECT current_setting('threads') AS threads`));
      return {
        // The same rule as the synchronous build's createDuckDB (duckdb-browser-blocking.mjs, 1.32).
        bundle: features.wasmExceptions ? 'eh' : 'mvp',
        crossOriginIsolated: globalThis.crossOriginIsolated === true,
        threads: Number(row?.['threads'] ?? 1),
        duckdbWasm: PACKAGE_VERSION,
      };
    },
  };
}
