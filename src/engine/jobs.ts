/**
 * Long engine calls run as jobs with an id, so that `cancel(jobId)`, which arrives as a separate message
 * while the job's queries yield between steps, can abort them.
 */
export class Jobs {
  private readonly running = new Map<string, AbortController>();

  async run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: string): void {
    this.running.get(jobId)?.abort();
  }
}
