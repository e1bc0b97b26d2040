import { proxy, type Engine, type Investigation, type InvestigationProgress, type Setup } from '../client/engine';
import type { Finding, FindingKind } from '../lib/findings/types';
import { errorCode } from '../rpc/errors';

/**
 * The investigation behind the Overview: the ranked findings over the current setup, computed as soon as
 * the files are in (whenever the setup changes), with progress and cancel. A newer setup cancels the run
 * in progress; results for a setup that is no longer current are dropped.
 */
export class InvestigationState {
  result: Investigation | null = $state.raw(null);
  progress: InvestigationProgress | null = $state.raw(null);
  running = $state(false);
  error: string | null = $state(null);
  /** The setup the result (or the run in progress) is for. */
  setup: Setup | null = $state.raw(null);
  /** The user stopped the run: the Overview offers to run it again. */
  cancelled = $state(false);
  /** Cells with fewer rows are too small and never ranked; null: the investigation chooses from the log's size. */
  minSupport: number | null = $state(null);
  /** The kinds of findings shown (empty: every kind). */
  kinds: FindingKind[] = $state([]);
  private controller: AbortController | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly model: () => { bytes: Uint8Array; name: string } | null,
  ) {}

  readonly findings: Finding[] = $derived(this.result?.findings ?? []);
  readonly shown: Finding[] = $derived(this.kinds.length ? this.findings.filter((f) => this.kinds.includes(f.kind)) : this.findings);

  /** Changes the minimum support and investigates again with it. */
  setMinSupport(rows: number | null): void {
    this.minSupport = rows !== null && Number.isFinite(rows) && rows >= 1 ? Math.round(rows) : null;
    if (this.setup) void this.run(this.setup, true);
  }

  /** Shows only findings of these kinds (none: all). */
  filter(kinds: FindingKind[]): void {
    this.kinds = kinds;
  }

  /** Runs the last setup's investigation again (after a cancel). */
  rerun(): void {
    if (this.setup) void this.run(this.setup, true);
  }

  /** Investigates `setup` (again only when it differs from the last one, or when `force`). */
  async run(setup: Setup, force = false, retried = false): Promise<void> {
    // The setup is inferred again after every load and role change; the same answer changes nothing.
    const same = this.setup !== null && (this.setup === setup || JSON.stringify(this.setup) === JSON.stringify(setup));
    if (!force && same && (this.running || this.result)) {
      this.setup = setup;
      return;
    }
    this.cancel();
    const controller = (this.controller = new AbortController());
    this.setup = setup;
    this.result = null;
    this.error = null;
    this.cancelled = false;
    if (!setup.current) return;
    this.running = true;
    this.progress = { step: 'starting', done: 0, total: 7 };
    try {
      const model = this.model() ?? undefined;
      const onProgress = proxy((p: InvestigationProgress) => {
        if (controller === this.controller) this.progress = p;
      });
      // Background: a click in another view (a drift report, a threshold move) goes first; the Overview's
      // numbers come as soon as the engine is free, interleaved with the column summaries.
      const result = await this.engine
        .with({ signal: controller.signal, priority: 'background' })
        .investigate(setup, model, onProgress, { minSupport: this.minSupport });
      if (controller === this.controller) this.result = result;
    } catch (error) {
      // Cancelled without a cancel from here (the engine stopped a run it shared with a caller that left): run again.
      if (controller === this.controller && errorCode(error) === 'cancelled' && !controller.signal.aborted && !retried)
        return this.run(setup, true, true);
      if (controller === this.controller && errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (controller === this.controller) {
        this.running = false;
        this.progress = null;
        this.controller = null;
      }
    }
  }

  cancel(): void {
    if (this.controller) this.cancelled = true;
    this.controller?.abort();
    this.controller = null;
    this.running = false;
    this.progress = null;
  }

  /** Forgets the result (another workspace is opened). */
  reset(): void {
    this.cancel();
    this.result = null;
    this.setup = null;
    this.error = null;
    this.cancelled = false;
  }
}
