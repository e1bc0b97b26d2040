import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { openAsBlob } from 'node:fs';
import { Compression, ParquetFile, readParquet, Table, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import type { ParquetCodec } from '../lib/ingest';
import { createDuckDb, prepareEngine, type EngineDb } from './duckdbDb';
import { PathSource } from './pathSource';
import { openParquetBlob } from './parquetRowGroups';
import { BytesSource } from '../lib/tableSnapshot';

export { PathSource };

const require = createRequire(import.meta.url);

export const nodeParquet: ParquetCodec = {
  toArrowStream: (bytes) => readParquet(bytes).intoIPCStream(),
  // Files on disk and bytes in memory are read by row group, as the browser reads a dropped File.
  open: async (source) => {
    const blob =
      source instanceof PathSource
        ? await openAsBlob(source.path)
        : source instanceof BytesSource
          ? new Blob([source.bytes as Uint8Array<ArrayBuffer>])
          : null;
    return blob ? openParquetBlob((b) => ParquetFile.fromFile(b), blob) : null;
  },
  fromArrowStream: (ipc) => writeParquet(Table.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
};

interface NodeBlockingModule {
  createDuckDB(bundles: unknown, logger: unknown, runtime: unknown): Promise<DuckDBBindings & { open(c: object): void }>;
  VoidLogger: new () => unknown;
  NODE_RUNTIME: unknown;
  DuckDBDataProtocol: { NODE_FS: number };
}

/** Opens DuckDB-WASM's Node build (the same wasm the browser runs) as a `Db`. */
export async function openNodeDb(): Promise<EngineDb> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as NodeBlockingModule;
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: `${dist}/duckdb-mvp.wasm`, mainWorker: `${dist}/duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${dist}/duckdb-eh.wasm`, mainWorker: `${dist}/duckdb-node-eh.worker.cjs` },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => undefined);
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const db = createDuckDb(bindings, {
    async registerSource(b, fileName, source) {
      if (!(source instanceof PathSource)) throw new Error('The Node engine reads files from disk only');
      b.registerFileURL(fileName, source.path, duckdb.DuckDBDataProtocol.NODE_FS, false);
    },
  });
  await prepareEngine(db);
  return db;
}

let shared: Promise<EngineDb> | undefined;

/**
 * One engine per process: compiling the 34 MB wasm is the slowest part of a CLI run, and commands run
 * one after another (tests call the CLI many times in one process).
 */
export function sharedNodeDb(): Promise<EngineDb> {
  shared ??= openNodeDb();
  return shared;
}
