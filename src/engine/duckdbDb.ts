import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { DataSource, Db, QueryOptions, Row, Value } from '../lib/db';
import { LanternError } from '../lib/errors';
import { EngineQueue, Preempted, type Priority } from './queue';

/** What differs between the browser worker and Node: how a user's file becomes readable by DuckDB. */
export interface EngineHost {
  registerSource(bindings: DuckDBBindings, fileName: string, source: DataSource, onRead?: (offset: number) => void): Promise<void>;
}

/** Query options the engine understands beyond the core's: how urgent the query is (src/engine/queue.ts). */
export interface EngineQueryOptions extends QueryOptions {
  priority?: Priority;
}

/** A `Db` whose calls take a priority: what the scheduler hands each job a view of. */
export interface EngineDb extends Db {
  query(sql: string, options?: EngineQueryOptions): Promise<Row[]>;
  queryArrow(sql: string, options?: EngineQueryOptions): Promise<Uint8Array>;
  insertArrowStream(table: string, ipc: Uint8Array, options?: EngineQueryOptions & { append?: boolean }): Promise<void>;
  insertJsonArray(table: string, fileName: string, options?: EngineQueryOptions): Promise<void>;
}

/**
 * A `Db` over DuckDB-WASM's synchronous bindings, used both in the browser engine worker and in Node.
 *
 * Queries run as pending queries polled step by step, yielding to the event loop between steps, so a
 * worker stays able to receive a cancel message while a long scan runs (the same loop
 * AsyncDuckDBConnection.send uses, without a second worker hop). One connection serves all queries; the
 * engine queue (src/engine/queue.ts) runs them one at a time, most urgent first, and interrupts a
 * background query when urgent work arrives.
 */
export function createDuckDb(bindings: DuckDBBindings, host: EngineHost, queue = new EngineQueue()): EngineDb {
  const conn = bindings.connect().useUnsafe((_bindings: DuckDBBindings, id: number) => id);

  function step<T>(task: (interrupt: AbortSignal) => Promise<T>, options?: EngineQueryOptions, preemptible = true): Promise<T> {
    return queue.enqueue(task, { priority: options?.priority, signal: options?.signal, preemptible });
  }

  async function execute(sql: string, signal: AbortSignal | undefined, interrupt: AbortSignal): Promise<Uint8Array> {
    if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
    let header = bindings.startPendingQuery(conn, sql, false);
    while (header === null) {
      if (signal?.aborted || interrupt.aborted) {
        bindings.cancelPendingQuery(conn);
        if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
        throw new Preempted();
      }
      await yieldToEventLoop();
      header = bindings.pollPendingQuery(conn);
    }
    const chunks: Uint8Array[] = [header];
    for (;;) {
      const chunk = bindings.fetchQueryResults(conn);
      if (chunk === null) continue;
      if (chunk.length === 0) break;
      chunks.push(chunk);
    }
    return concat(chunks);
  }

  // Inserts are one synchronous call each: they wait at the priority asked but cannot be interrupted.
  return {
    query: (sql, options) => step(async (interrupt) => toRows(await execute(sql, options?.signal, interrupt)), options),
    queryArrow: (sql, options) => step((interrupt) => execute(sql, options?.signal, interrupt), options),
    insertArrowStream: (table, ipc, options) =>
      step(
        async () => {
          bindings.insertArrowFromIPCStream(conn, ipc, { name: table, create: !options?.append });
        },
        options,
        false,
      ),
    insertJsonArray: (table, fileName, options) =>
      step(
        async () => {
          bindings.insertJSONFromPath(conn, fileName, { name: table, create: true });
        },
        options,
        false,
      ),
    registerSource: (fileName, source, onRead) => step(() => host.registerSource(bindings, fileName, source, onRead), undefined, false),
    registerBuffer: (fileName, bytes) =>
      step(
        async () => {
          bindings.registerFileBuffer(fileName, bytes);
        },
        undefined,
        false,
      ),
    dropFile: (fileName) =>
      step(
        async () => {
          bindings.dropFile(fileName);
        },
        undefined,
        false,
      ),
  };
}

/** The pragmas every engine starts with: nothing is ever downloaded, and results stay exact. */
export const ENGINE_SETUP_SQL = ['SET autoinstall_known_extensions = false', 'SET autoload_known_extensions = false'];

export async function prepareEngine(db: Db): Promise<void> {
  for (const sql of ENGINE_SETUP_SQL) await db.query(sql);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

function normalise(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return String(value);
}

/** Arrow rows to plain objects; BigInt is converted here, at the source, so no caller meets it. */
export function toRows(ipc: Uint8Array): Row[] {
  return tableToRows(tableFromIPC(ipc));
}

/** The same for a table already decoded (the native engine builds its results as Arrow tables). */
export function tableToRows(table: Table): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i)!);
  const rows: Row[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = normalise(columns[c]!.get(r));
    rows[r] = row;
  }
  return rows;
}

function yieldToEventLoop(): Promise<void> {
  // Node has setImmediate; in a worker, setTimeout is clamped to 4 ms after a few nestings while a
  // MessageChannel round trip is not.
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.addEventListener('message', () => {
      channel.port1.close();
      resolve();
    });
    channel.port1.start();
    channel.port2.postMessage(null);
  });
}
