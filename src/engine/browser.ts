import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { createDuckDB, BROWSER_RUNTIME, VoidLogger, DuckDBDataProtocol } from 'duckdb-browser-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import initParquet, { Compression, ParquetFile, readParquet, Table, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import type { DataSource } from '../lib/db';
import type { ParquetCodec } from '../lib/ingest';
import { createDuckDb, prepareEngine, type EngineDb } from './duckdbDb';
import { openParquetBlob } from './parquetRowGroups';

/** A browser File (or Blob), read by range: DuckDB reads it through FileReaderSync, never as a whole copy. */
export class BlobSource implements DataSource {
  constructor(
    readonly blob: Blob,
    readonly name: string,
  ) {}
  get size(): number {
    return this.blob.size;
  }
  async read(start: number, end: number): Promise<Uint8Array> {
    return new Uint8Array(await this.blob.slice(start, end).arrayBuffer());
  }
}

/**
 * DuckDB's browser runtime only calls `size` and `slice` on a registered handle, so a thin wrapper over
 * the File reports how far the reader got, which is the load progress for CSV and JSON.
 */
function progressHandle(blob: Blob, onRead?: (offset: number) => void): Blob {
  if (!onRead) return blob;
  return {
    size: blob.size,
    slice(start?: number, end?: number) {
      if (end !== undefined) onRead(end);
      return blob.slice(start, end);
    },
  } as Blob;
}

export interface BrowserEngine {
  db: EngineDb;
  parquet: ParquetCodec;
}

/**
 * DuckDB-WASM's synchronous build runs inside this worker (see docs/decisions/0001-engine-ownership.md):
 * the analysis core calls it directly, results leave the worker once, as Arrow bytes or small objects.
 */
export async function openBrowserEngine(): Promise<BrowserEngine> {
  const bindings: DuckDBBindings = await createDuckDB(
    { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
    new VoidLogger(),
    BROWSER_RUNTIME,
  );
  await bindings.instantiate(() => undefined);
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const db = createDuckDb(bindings, {
    async registerSource(b, fileName, source, onRead) {
      if (!(source instanceof BlobSource)) throw new Error('The browser engine reads Files and Blobs only');
      b.registerFileHandle(fileName, progressHandle(source.blob, onRead), DuckDBDataProtocol.BROWSER_FILEREADER, true);
    },
  });
  await prepareEngine(db);
  await initParquet({ module_or_path: parquetWasm });
  return {
    db,
    parquet: {
      toArrowStream: (bytes) => readParquet(bytes).intoIPCStream(),
      // A dropped File is read by row group through its handle: never the whole file in worker memory.
      open: async (source) => (source instanceof BlobSource ? openParquetBlob((b) => ParquetFile.fromFile(b), source.blob) : null),
      // Saved workspaces (src/persistence/): zstd keeps them compact, and parquet-wasm's default build has it.
      fromArrowStream: (ipc) =>
        writeParquet(Table.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
    },
  };
}
