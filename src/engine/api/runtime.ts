import { getPlatformFeatures, PACKAGE_VERSION } from 'duckdb-browser-blocking';
import type { Db } from '../../lib/db';

/** How the engine runs in this tab, as the UI reports it (see docs/decisions/0502-threads.md). */
export interface EngineRuntime {
  /** The DuckDB-WASM wasm this browser loaded: "eh" (wasm exceptions) or "mvp". */
  bundle: 'eh' | 'mvp';
  crossOriginIsolated: boolean;
  /** DuckDB's worker threads; always 1 with the synchronous build, which has no pthread support. */
  threads: number;
  duckdbWasm: string;
}

export function runtimeApi(db: Db) {
  return {
    async runtime(): Promise<EngineRuntime> {
      const features = await getPlatformFeatures();
      const [row] = await db.query(`SELECT current_setting('threads') AS threads`);
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
