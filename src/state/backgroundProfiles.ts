import { engine, newJobId } from '../client/engine';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

/**
 * Column summaries of loaded datasets are background work: a dataset card can wait, the analysis the
 * user just asked for should not. The engine runs one query at a time, so a summary of a 1,000,000-row
 * file (tens of seconds in DuckDB-WASM) would sit in front of a drift report started right after the
 * load. `ahead(work)` cancels the summaries in flight, runs the work, then starts them again.
 */
export class BackgroundProfiles {
  private readonly running = new Map<string, { jobId: string; dataset: Dataset }>();
  /** Jobs cancelled to make way: their error is not the user's to see. */
  private readonly yielded = new Set<string>();
  private paused = 0;

  constructor(private readonly datasets: () => readonly Dataset[]) {}

  async profile(dataset: Dataset): Promise<void> {
    if (this.paused > 0 || this.running.has(dataset.table)) return;
    const jobId = newJobId('profile');
    this.running.set(dataset.table, { jobId, dataset });
    try {
      const profile = await engine().profile(jobId, dataset.table);
      dataset.profile = profile;
      dataset.profileError = null;
    } catch (error) {
      if (!(this.yielded.has(jobId) && errorCode(error) === 'cancelled')) dataset.profileError = (error as Error).message;
    } finally {
      this.running.delete(dataset.table);
      this.yielded.delete(jobId);
    }
    // Cancelled for work that has finished meanwhile: start again.
    if (this.paused === 0 && dataset.profile === null && dataset.profileError === null && this.datasets().includes(dataset))
      void this.profile(dataset);
  }

  /** Runs `work` with the background summaries out of its way. */
  async ahead<T>(work: () => Promise<T>): Promise<T> {
    this.paused++;
    for (const { jobId } of this.running.values()) {
      this.yielded.add(jobId);
      void engine().cancel(jobId);
    }
    try {
      return await work();
    } finally {
      if (--this.paused === 0) for (const d of this.datasets()) if (d.profile === null && d.profileError === null) void this.profile(d);
    }
  }
}
