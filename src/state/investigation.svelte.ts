import { proxy, type Engine, type Investigation, type InvestigationProgress, type Setup } from '../client/engine';
import type { Finding } from '../lib/findings/types';
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
  private controller: AbortController | null = null;
  /** The running call's inputs, to raise its priority when the Overview is shown. */
  private args: { setup: Setup; model: { bytes: Uint8Array; name: string } | undefined } | null = null;
  /** Whether the Overview is on screen: its investigation is then view work, else background work. */
  private visible = false;

  constructor(
    private readonly engine: Engine,
    private readonly model: () => { bytes: Uint8Array; name: string } | null,
  ) {}

  readonly findings: Finding[] = $derived(this.result?.findings ?? []);

  /** Investigates `setup` (again only when it differs from the last one, or when `force`). */
  async run(setup: Setup, force = false): Promise<void> {
    if (!force && this.setup === setup && (this.running || this.result)) return;
    this.cancel();
    const controller = (this.controller = new AbortController());
    this.setup = setup;
    this.result = null;
    this.error = null;
    if (!setup.current) return;
    this.running = true;
    this.progress = { step: 'starting', done: 0, total: 7 };
    try {
      const model = this.model() ?? undefined;
      this.args = { setup, model };
      const onProgress = proxy((p: InvestigationProgress) => {
        if (controller === this.controller) this.progress = p;
      });
      // Nobody waits for it unless the Overview is shown: background work, which the engine interrupts
      // for whatever the user does meanwhile.
      const result = await this.engine
        .with({ signal: controller.signal, priority: this.visible ? 'view' : 'background' })
        .investigate(setup, model, onProgress);
      if (controller === this.controller) this.result = result;
    } catch (error) {
      if (controller === this.controller && errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (controller === this.controller) {
        this.running = false;
        this.progress = null;
        this.controller = null;
      }
    }
  }

  /**
   * The Overview is shown (or hidden). A running investigation is then asked for again as view work: the
   * engine joins the call to the one running (same inputs) and serves it ahead of background work.
   */
  setVisible(visible: boolean): void {
    this.visible = visible;
    const { controller, args } = this;
    if (visible && this.running && controller && args)
      void this.engine
        .with({ signal: controller.signal, priority: 'view' })
        .investigate(args.setup, args.model)
        .catch(() => undefined);
  }

  cancel(): void {
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
  }
}
