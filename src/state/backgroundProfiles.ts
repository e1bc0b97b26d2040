/**
 * Column summaries of loaded datasets are background work: a dataset card can wait, the analysis the
 * user just asked for should not. The engine runs one query at a time, so a summary of a 1,000,000-row
 * file (tens of seconds in DuckDB-WASM) would sit in front of a drift report started right after the
 * load. `ahead(work)` cancels the summaries in flight, runs the work, then starts them again.
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
      // A LanternError's code survives the worker boundary (src/rpc/errors.ts).
      const cancelled = (error as { code?: unknown })?.code === 'cancelled';
      if (!(this.yielded.has(jobId) && cancelled)) dataset.profileError = (error as Error).message;
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
    for (const jobId of this.running.values()) {
      this.yielded.add(jobId);
      void this.calls.cancel(jobId);
    }
    try {
      return await work();
    } finally {
      if (--this.paused === 0) for (const d of this.datasets()) if (d.profile === null && d.profileError === null) void this.profile(d);
    }
  }
}
