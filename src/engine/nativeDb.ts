import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBMaterializedResult } from '@duckdb/node-api';
import { tableToIPC } from 'apache-arrow';
import type { Row } from '../lib/db';
import { LanternError, isOutOfMemory } from '../lib/errors';
import type { EngineDb, EngineQueryOptions } from './duckdbDb';
import { tableToRows } from './duckdbDb';
import { resultToArrow } from './nativeArrow';
import { insertArrowIpc } from './nativeInsert';
import { locateOnDisk } from './nativeFiles';
import { EngineQueue, Preempted } from './queue';

export interface NativeEngineOptions {
  /** Worker threads; all cores by default. */
  threads?: number;
  /** DuckDB's memory limit (e.g. '4GB'); DuckDB's default (80% of RAM) otherwise. */
  memoryLimit?: string;
}

/** The native engine: a `Db` that can also read files on disk itself, and be closed. */
export interface NativeDb extends EngineDb {
  readonly engine: 'native';
  /** Where DuckDB spills what does not fit in memory; removed on close and at exit. */
  readonly tempDirectory: string;
  close(): void;
}

const open = new Set<NativeDb>();
let exitHook = false;

/**
 * Opens native DuckDB (`@duckdb/node-api`) for the CLI: every core, a temp directory so that sorts,
 * joins and tables larger than memory spill to disk instead of failing, and no extension is ever
 * downloaded (parquet, json and icu are linked into the binary). Sessions run in UTC, as DuckDB-WASM's
 * do, so time zone-aware SQL gives the same answers in both engines.
 */
export async function openNativeDb(options: NativeEngineOptions = {}): Promise<NativeDb> {
  const tempDirectory = mkdtempSync(join(tmpdir(), 'lantern-duckdb-'));
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      threads: String(options.threads ?? availableParallelism()),
      temp_directory: tempDirectory,
      ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    });
  } catch (error) {
    rmSync(tempDirectory, { recursive: true, force: true });
    throw error;
  }
  const conn = await instance.connect();
  // ICU's time zone is a session setting, not an instance option.
  await conn.run(`SET TimeZone = 'UTC'`);
  const queue = new EngineQueue();
  let closed = false;

  /**
   * One statement at a time through the engine queue, like the WASM engine: a cancel or a more urgent
   * step interrupts the running statement (DuckDB checks the interrupt flag between vectors).
   */
  function step<T>(run: () => Promise<T>, options: EngineQueryOptions | undefined, preemptible = true): Promise<T> {
    return queue.enqueue(
      async (interrupt) => {
        const signal = options?.signal;
        if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
        if (closed) throw new LanternError('worker-failed', 'The engine is closed.');
        const stop = () => conn.interrupt();
        signal?.addEventListener('abort', stop);
        interrupt.addEventListener('abort', stop);
        try {
          return await run();
        } catch (error) {
          if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
          if (interrupt.aborted) throw new Preempted();
          throw nativeError(error);
        } finally {
          signal?.removeEventListener('abort', stop);
          interrupt.removeEventListener('abort', stop);
        }
      },
      { priority: options?.priority, signal: options?.signal, preemptible },
    );
  }

  const run = (sql: string): Promise<DuckDBMaterializedResult> => conn.run(sql);

  const db: NativeDb = {
    engine: 'native',
    tempDirectory,
    query: (sql, options): Promise<Row[]> => step(async () => tableToRows(resultToArrow(await run(sql))), options),
    queryArrow: (sql, options) => step(async () => tableToIPC(resultToArrow(await run(sql)), 'stream'), options),
    insertArrowStream: (table, ipc, options) => step(() => insertArrowIpc(conn, table, ipc, options?.append ?? false), options, false),
    insertJsonArray: () =>
      Promise.reject(new Error('The native engine reads JSON files itself (read_json); it has no JSON buffer import.')),
    registerSource: () => Promise.reject(new Error('The native engine reads files by path (locate), not through registered sources.')),
    registerBuffer: () => Promise.reject(new Error('The native engine reads files by path (locate), not through registered buffers.')),
    dropFile: async () => undefined,
    locate: locateOnDisk,
    close() {
      if (closed) return;
      closed = true;
      open.delete(db);
      conn.closeSync();
      instance.closeSync();
      rmSync(tempDirectory, { recursive: true, force: true });
    },
  };
  open.add(db);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const each of [...open]) each.close();
    });
  }
  return db;
}

/** DuckDB's errors as the core expects them: running out of memory and disk is the one users can act on. */
function nativeError(error: unknown): unknown {
  if (error instanceof LanternError) return error;
  if (isOutOfMemory(error) || /No space left on device/i.test(String((error as Error)?.message ?? error)))
    return new LanternError(
      'too-large',
      `${NATIVE_TOO_LARGE_MESSAGE} (DuckDB: ${String((error as Error)?.message ?? error).split('\n')[0]})`,
    );
  return error;
}

export const NATIVE_TOO_LARGE_MESSAGE =
  'The data does not fit in memory and the temp directory could not take the rest (DuckDB spills to disk under ' +
  `${tmpdir()}). Free disk space there, point TMPDIR elsewhere, or read fewer columns or rows.`;

/** Engines opened by the CLI, closed when its command ends (tests run many commands in one process). */
export function closeAllNative(): void {
  for (const each of [...open]) each.close();
}
