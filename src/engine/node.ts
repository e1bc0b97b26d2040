import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { open, stat } from 'node:fs/promises';
import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { Compression, readParquet, Table, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';
import type { DataSource } from '../lib/db';
import type { ParquetCodec } from '../lib/ingest';
import { LanternError } from '../lib/errors';
import { createDuckDb, prepareEngine, type EngineDb } from './duckdbDb';

const require = createRequire(import.meta.url);

/** A file on disk, read by range: DuckDB reads it by path, the JS side only for format sniffing. */
export class PathSource implements DataSource {
  constructor(
    readonly path: string,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<PathSource> {
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new LanternError('not-found', `Cannot read "${path}": no such file.`);
    }
    if (!info.isFile()) throw new LanternError('not-found', `Cannot read "${path}": it is not a file.`);
    return new PathSource(absolute, path.split(/[\\/]/).pop() ?? path, info.size);
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    const handle = await open(this.path, 'r');
    try {
      const buffer = new Uint8Array(Math.max(0, end - start));
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    } finally {
      await handle.close();
    }
  }
}

export const nodeParquet: ParquetCodec = {
  toArrowStream: (bytes) => readParquet(bytes).intoIPCStream(),
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
