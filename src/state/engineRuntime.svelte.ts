import type { Engine, EngineRuntime } from '../client/engine';

/** How the engine runs in this tab (bundle, threads, isolation), asked once the engine has started. */
export class EngineRuntimeState {
  info: EngineRuntime | null = $state.raw(null);
  private asked = false;

  constructor(private readonly engine: Engine) {}

  async load(): Promise<void> {
    if (this.asked) return;
    this.asked = true;
    try {
      this.info = await this.engine.runtime();
    } catch {
      // Only a status line depends on this; the error itself surfaces through the load that failed.
      this.asked = false;
    }
  }
}
