/**
 * The CPU-heavy half of the drift report: a batch of numerical columns from the Arrow bytes of both
 * sides to their drift results (decode, drop NULL / NaN / ±inf, sort, one merge pass per column). It needs
 * no database, so an engine can hand it to another thread while DuckDB pulls the next batch: the engine
 * worker runs one query at a time, and the sorting was half of the report's CPU time (decision 0103).
 */
import { numericalDriftFromSorted, type ColumnDrift } from './columnDrift';
import type { DriftMethod } from './methods';
import { sortedSides } from './sides';

export interface NumericalBatchJob {
  /** `numericColumnsSql` results for the same columns on each side (Arrow IPC stream bytes). */
  reference: Uint8Array;
  current: Uint8Array;
  columns: string[];
  /** Method / threshold per column name, as the user set them. */
  settings: Record<string, { method?: DriftMethod; threshold?: number }>;
}

export interface DroppedValues {
  refNulls: number;
  curNulls: number;
  refNonFinite: number;
  curNonFinite: number;
}

export interface NumericalBatchColumn {
  drift: ColumnDrift;
  dropped: DroppedValues;
}

/** Pure and synchronous: the drift of every column of the batch, in the job's column order. */
export function numericalBatchDrift(job: NumericalBatchJob, signal?: AbortSignal): NumericalBatchColumn[] {
  const ref = sortedSides(job.reference, job.columns.length, signal);
  const cur = sortedSides(job.current, job.columns.length, signal);
  return job.columns.map((name, j) => {
    const [r, c] = [ref[j]!, cur[j]!];
    return {
      drift: numericalDriftFromSorted(name, r.values, c.values, job.settings[name] ?? {}),
      dropped: { refNulls: r.nulls, curNulls: c.nulls, refNonFinite: r.nonFinite, curNonFinite: c.nonFinite },
    };
  });
}

/**
 * Runs a batch somewhere: in this thread (the default), or in a worker the engine owns. A runner may
 * take ownership of the job's byte buffers (transfer them).
 */
export type NumericalBatchRunner = (job: NumericalBatchJob, signal?: AbortSignal) => Promise<NumericalBatchColumn[]>;

export const runInThisThread: NumericalBatchRunner = async (job, signal) => numericalBatchDrift(job, signal);

/** Arrow bytes a scheduler may hold while both threads are busy: 256 MB, 4 batches of 4 columns x 1M rows. */
export const MAX_WAITING_BYTES = 256 * 2 ** 20;

const queuedBytes = (jobs: readonly NumericalBatchJob[]) => jobs.reduce((n, j) => n + j.reference.byteLength + j.current.byteLength, 0);

/**
 * Shares the pulled batches between a helper thread and this one. The helper takes the next batch
 * whenever it is free; this thread runs its queries first (pulls, category counts: only it can) and takes
 * a batch itself only when the queued bytes pass `maxWaitingBytes` (memory stays bounded) and, once the
 * queries are done, whatever the helper has not started. With two cores both stay busy to the end.
 * Without a helper every batch runs here as soon as it is pulled.
 */
export class BatchScheduler {
  private readonly queue: NumericalBatchJob[] = [];
  private readonly running: Promise<void>[] = [];
  private helperFree = true;

  constructor(
    private readonly helper: NumericalBatchRunner | undefined,
    private readonly accept: (columns: NumericalBatchColumn[]) => void,
    private readonly signal?: AbortSignal,
    private readonly maxWaitingBytes = MAX_WAITING_BYTES,
  ) {}

  add(job: NumericalBatchJob): void {
    this.queue.push(job);
    this.feedHelper();
    const limit = this.helper ? this.maxWaitingBytes : 0;
    while (this.queue.length > 0 && queuedBytes(this.queue) > limit) this.accept(numericalBatchDrift(this.queue.shift()!, this.signal));
  }

  /** Runs what is still queued here and waits for the helper's batches. */
  async finish(): Promise<void> {
    while (this.queue.length > 0) this.accept(numericalBatchDrift(this.queue.shift()!, this.signal));
    await Promise.all(this.running);
  }

  private feedHelper(): void {
    if (!this.helper || !this.helperFree || this.queue.length === 0) return;
    this.helperFree = false;
    const done = this.helper(this.queue.shift()!, this.signal)
      .then(this.accept)
      .finally(() => {
        this.helperFree = true;
        this.feedHelper();
      });
    // Awaited in finish(); marked handled now so a failure waiting there is not reported as unhandled.
    done.catch(() => undefined);
    this.running.push(done);
  }
}
