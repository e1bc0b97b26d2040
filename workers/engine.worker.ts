// Engine worker entry: DuckDB-WASM and the analysis core, exposed to the main thread through Comlink.
import { expose } from 'comlink';
import { createEngineApi, type EngineApi } from '../src/engine/api';
import { openBrowserEngine } from '../src/engine/browser';
import { browserNumericalBatchRunner } from '../src/engine/browserStats';
import { workerSliceSearcher } from '../src/engine/browserSliceSearch';
import { installErrorTransfer } from '../src/rpc/errors';

installErrorTransfer();

const ready = openBrowserEngine().then(({ db, parquet }) =>
  createEngineApi(db, parquet, { runNumericalBatch: browserNumericalBatchRunner(), sliceSearch: workerSliceSearcher() }),
);

/** Every method waits for the engine to be ready, so callers never see a half-started worker. */
const api = new Proxy({} as EngineApi, {
  get:
    (_, method: keyof EngineApi) =>
    async (...args: unknown[]) => {
      const engine = await ready;
      return (engine[method] as (...a: unknown[]) => unknown)(...args);
    },
});

expose(api);
