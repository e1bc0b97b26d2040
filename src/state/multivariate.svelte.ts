import { proxy, type Engine, type ReconstructionDrift, type ReconstructionRequest } from '../client/engine';
import { errorCode } from '../rpc/errors';

export type { ReconstructionDrift };

/** The tables compared and how they are cut into windows, as the drift view has them. */
export interface MultivariateInputs {
  tables: { reference: string; current: string };
  time: { timestamp: string; unit: 'hour' | 'day' | 'week' | 'month' } | null;
  chunks: number;
}

/**
 * Drift of the columns together, next to the per-column report: the reconstruction error of a PCA fitted
 * on the reference, per window, against the band the reference's own windows set. The user changes the
 * share of variance kept and the band's width; every run cancels the one before.
 */
export class MultivariateState {
  explainedVariance = $state(0.65);
  sigmas = $state(3);
  result: ReconstructionDrift | null = $state.raw(null);
  running = $state(false);
  error: string | null = $state(null);
  progress: { done: number; total: number } | null = $state(null);
  private controller: AbortController | null = null;
  private last: MultivariateInputs | null = null;

  constructor(private readonly engine: Engine) {}

  async run(inputs: MultivariateInputs | null = this.last): Promise<void> {
    if (!inputs) return;
    this.cancel();
    this.last = inputs;
    const controller = (this.controller = new AbortController());
    this.running = true;
    this.error = null;
    this.result = null;
    this.progress = { done: 0, total: 3 };
    const request: ReconstructionRequest = {
      explainedVariance: this.explainedVariance,
      sigmas: this.sigmas,
      ...(inputs.time ? { time: inputs.time } : { chunks: inputs.chunks }),
    };
    const onProgress = proxy((done: number, total: number) => {
      if (controller === this.controller) this.progress = { done, total };
    });
    try {
      const result = await this.engine
        .with({ signal: controller.signal, priority: 'user' })
        .reconstructionDrift(inputs.tables, request, onProgress);
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

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
    this.running = false;
    this.progress = null;
  }
}
