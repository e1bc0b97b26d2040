import type { CDPSession, Page } from 'playwright-core';

/**
 * Records the tasks the page's main thread runs, from Chromium's own trace (the `RunTask` events of the
 * renderer thread named CrRendererMain), with both wall time and thread CPU time.
 *
 * Why CPU time: a PerformanceObserver 'longtask' measures wall time, which on a shared 2-core machine
 * grows with every other process competing for the cores (a 60 ms task became 400 ms at load average 15).
 * The property we own is how much work one task of ours does on the main thread; the trace's `tdur`
 * (thread CPU time) measures exactly that and does not depend on the machine's load.
 */
export type MainThreadTask = { wallMs: number; cpuMs: number };

type TraceEvent = { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };

export class MainThreadRecorder {
  private readonly events: TraceEvent[] = [];
  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Tracing.dataCollected', (message) => {
      // The protocol types trace events as string maps; they are JSON objects with numeric fields.
      for (const event of message.value as unknown as TraceEvent[]) this.events.push(event);
    });
  }

  static async start(page: Page): Promise<MainThreadRecorder> {
    const cdp = await page.context().newCDPSession(page);
    const recorder = new MainThreadRecorder(cdp);
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', '__metadata'], enableSampling: false },
    });
    return recorder;
  }

  /** Stops tracing and returns the main thread's tasks, longest CPU time first. */
  async stop(): Promise<MainThreadTask[]> {
    const complete = new Promise<void>((resolve) => this.cdp.once('Tracing.tracingComplete', () => resolve()));
    await this.cdp.send('Tracing.end');
    await complete;
    await this.cdp.detach();
    const mainThreads = new Set(
      this.events
        .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
        .map((e) => `${e.pid}:${e.tid}`),
    );
    return this.events
      .filter((e) => e.name === 'RunTask' && e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`))
      .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }))
      .sort((a, b) => b.cpuMs - a.cpuMs);
  }
}
