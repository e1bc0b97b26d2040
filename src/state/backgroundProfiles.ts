/**
 * Column summaries of loaded datasets are background work: a dataset card can wait, the analysis the
 * user just asked for should not. The engine runs one query at a time, so a summary of a 1,000,000-row
 * file (tens of seconds in DuckDB-WASM) would sit in front of a drift report started right after the
 * load. `ahead(work)` cancels the summaries in flight, runs the work, then starts them again.
 * `background(job)` gives other background work the same treatment (the autosave's export of a new
 * table to Parquet, which held the engine for seconds right when a dropped pair of files was compared).
 *
 * The engine calls come in through `EngineCalls` (the workspace passes the real engine), so this file
 * needs no worker and its unit test no mocks.
 */
export interface EngineCalls<P> {
  newJobId(prefix: string): string;
  profile(jobId: string, table: string): Promise<P>;
  cancel(jobId: string): Promise<unknown>;
}

export interface Profiled<P> {
  readonly table: string;
  profile: P | null;
  profileError: string | null;
}

export class BackgroundProfiles<P> {
  private readonly running = new Map<string, string>();
  /** Jobs of `background()` in flight, cancelled like the summaries. */
  private readonly others = new Set<string>();
  private waiting: (() => void)[] = [];
  /** Jobs cancelled to make way: their error is not the user's to see. */
  private readonly yielded = new Set<string>();
  private paused = 0;

  constructor(
    private readonly calls: EngineCalls<P>,
    private readonly datasets: () => readonly Profiled<P>[],
  ) {}

  async profile(dataset: Profiled<P>): Promise<void> {
    if (this.paused > 0 || this.running.has(dataset.table)) return;
    const jobId = this.calls.newJobId('profile');
    this.running.set(dataset.table, jobId);
    try {
      const profile = await this.calls.profile(jobId, dataset.table);
      dataset.profile = profile;
      dataset.profileError = null;
    } catch (error) {
      if (!(this.yielded.has(jobId) && isCancel(error))) dataset.profileError = (error as Error).message;
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
    for (const jobId of [...this.running.values(), ...this.others]) {
      this.yielded.add(jobId);
      void this.calls.cancel(jobId);
    }
    try {
      return await work();
    } finally {
      if (--this.paused === 0) {
        for (const d of this.datasets()) if (d.profile === null && d.profileError === null) void this.profile(d);
        for (const resume of this.waiting.splice(0)) resume();
      }
    }
  }

  /**
   * Runs a cancellable engine job as background work: it starts when no work runs ahead, is cancelled
   * when some starts, and starts again once that is done. Its own failures reach the caller.
   */
  async background<T>(start: (jobId: string) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.paused > 0) await new Promise<void>((resume) => this.waiting.push(resume));
      if (this.paused > 0) continue;
      const jobId = this.calls.newJobId('background');
      this.others.add(jobId);
      try {
        return await start(jobId);
      } catch (error) {
        if (!(this.yielded.has(jobId) && isCancel(error))) throw error;
      } finally {
        this.others.delete(jobId);
        this.yielded.delete(jobId);
      }
    }
  }
}

/** A LanternError's code survives the worker boundary (src/rpc/errors.ts). */
function isCancel(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'cancelled';
}
