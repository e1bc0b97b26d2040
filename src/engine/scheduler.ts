import type { Db, QueryOptions } from '../lib/db';
import { LanternError } from '../lib/errors';
import type { EngineDb } from './duckdbDb';
import { rankOf, type Priority } from './queue';

/** What every engine call carries from the client: its job id (for `cancel`) and how urgent it is. */
export interface CallContext {
  jobId: string;
  priority: Priority;
}

/** What a job's work gets: the engine as seen by this job (its priority and cancel on every query). */
export interface JobScope {
  db: Db;
  signal: AbortSignal;
}

export interface JobOptions {
  /**
   * Same key, same inputs: a call whose key is in flight joins it (single flight) and, with `cache`, a
   * finished result is returned again without running. Keys name every table they read.
   */
  key?: string;
  /** Keep the result for later calls with the same key (plain results only: nothing transferred). */
  cache?: boolean;
  /** Tables the result depends on: dropping one forgets the cached result. */
  tables?: readonly string[];
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers waiting on the flight; it is cancelled when the last one cancels. */
  callers: Set<string>;
  /** The most urgent caller's priority (a view joining a background flight raises it). */
  priority: Priority;
}

/** Cached results kept at most (a report or a quality check each; they are small aggregates). */
export const CACHE_ENTRIES = 32;

const cancelled = () => new LanternError('cancelled', 'Cancelled.');

/**
 * The engine worker's scheduler: every long call is a job with the caller's id and priority. Its queries
 * go through the engine queue at that priority (src/engine/queue.ts), `cancel(jobId)` aborts it wherever
 * it is, calls with the same key share one run, and finished results of cacheable calls are kept until a
 * table they read is dropped. Priority lives here, beside the engine, so the page never cancels and
 * restarts work to make room: it says how urgent each call is.
 */
export class Scheduler {
  private readonly flights = new Map<string, Flight>();
  /** jobId -> what cancelling it means. */
  private readonly cancels = new Map<string, () => void>();
  private readonly cache = new Map<string, { value: unknown; tables: readonly string[] }>();

  constructor(private readonly engine: EngineDb) {}

  run<T>(ctx: CallContext, work: (job: JobScope) => Promise<T>, options: JobOptions = {}): Promise<T> {
    const { key } = options;
    if (key !== undefined && options.cache && this.cache.has(key)) {
      const hit = this.cache.get(key)!;
      // Most recently used last, so the oldest entry is the first to go.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(hit.value as T);
    }
    if (key === undefined) return this.solo(ctx, work);
    let flight = this.flights.get(key);
    // A run whose last caller left is stopping: a new caller starts its own run rather than share its cancel.
    if (flight?.controller.signal.aborted) flight = undefined;
    if (!flight) {
      const controller = new AbortController();
      const created: Flight = { controller, callers: new Set(), priority: ctx.priority, promise: Promise.resolve() };
      created.promise = this.execute(work, controller.signal, () => created.priority).then(
        (value) => {
          if (this.flights.get(key) === created) this.flights.delete(key);
          if (options.cache && !controller.signal.aborted) this.remember(key, value, options.tables ?? []);
          return value;
        },
        (error) => {
          if (this.flights.get(key) === created) this.flights.delete(key);
          throw error;
        },
      );
      this.flights.set(key, (flight = created));
    } else if (rankOf(ctx.priority) < rankOf(flight.priority)) flight.priority = ctx.priority;
    return this.join(ctx.jobId, flight) as Promise<T>;
  }

  /** Aborts the job (or leaves its shared run, which stops when nobody waits for it any more). */
  cancel(jobId: string): void {
    this.cancels.get(jobId)?.();
  }

  /** Forgets cached results that read `table` (it was dropped or replaced). */
  invalidate(table: string): void {
    for (const [key, entry] of this.cache) if (entry.tables.includes(table)) this.cache.delete(key);
  }

  /** Jobs running or waiting, for tests. */
  get active(): number {
    return this.cancels.size;
  }

  private solo<T>(ctx: CallContext, work: (job: JobScope) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.cancels.set(ctx.jobId, () => controller.abort());
    return this.execute(work, controller.signal, () => ctx.priority).finally(() => this.cancels.delete(ctx.jobId));
  }

  private join(jobId: string, flight: Flight): Promise<unknown> {
    flight.callers.add(jobId);
    return new Promise((resolve, reject) => {
      const leave = () => {
        this.cancels.delete(jobId);
        flight.callers.delete(jobId);
        if (flight.callers.size === 0) flight.controller.abort();
        reject(cancelled());
      };
      this.cancels.set(jobId, leave);
      flight.promise.then(resolve, reject).finally(() => {
        if (this.cancels.get(jobId) === leave) this.cancels.delete(jobId);
        flight.callers.delete(jobId);
      });
    });
  }

  private async execute<T>(work: (job: JobScope) => Promise<T>, signal: AbortSignal, priority: () => Priority): Promise<T> {
    if (signal.aborted) throw cancelled();
    const result = await work({ db: this.scoped(signal, priority), signal });
    // Work that ignored the signal between queries still ends as cancelled for its caller.
    if (signal.aborted) throw cancelled();
    return result;
  }

  private remember(key: string, value: unknown, tables: readonly string[]): void {
    this.cache.set(key, { value, tables });
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  /** The engine as one job sees it: its priority and its cancel on every call, merged with the caller's own signal. */
  private scoped(jobSignal: AbortSignal, priority: () => Priority): Db {
    const engine = this.engine;
    const options = (o?: QueryOptions) => ({
      priority: priority(),
      signal: o?.signal && o.signal !== jobSignal ? AbortSignal.any([jobSignal, o.signal]) : jobSignal,
    });
    return {
      query: (sql, o) => engine.query(sql, options(o)),
      queryArrow: (sql, o) => engine.queryArrow(sql, options(o)),
      insertArrowStream: (table, ipc, o) => engine.insertArrowStream(table, ipc, { ...options(o), ...(o?.append ? { append: true } : {}) }),
      insertJsonArray: (table, fileName) => engine.insertJsonArray(table, fileName, options()),
      registerSource: (fileName, source, onRead) => engine.registerSource(fileName, source, onRead),
      registerBuffer: (fileName, bytes) => engine.registerBuffer(fileName, bytes),
      dropFile: (fileName) => engine.dropFile(fileName),
      ...(engine.locate ? { locate: (source) => engine.locate!(source) } : {}),
    };
  }
}

/** A stable key for a call: its name and its arguments as JSON (arguments are plain data). */
export function callKey(name: string, ...args: unknown[]): string {
  return `${name}:${JSON.stringify(args)}`;
}
