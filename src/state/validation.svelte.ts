import { proxy, type Engine, type PerformanceSummary, type ValidationProgress, type ValidationReport } from '../client/engine';
import { VALIDATION_DEFAULTS } from '../lib/validation/defaults';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import { guessSources, type PerfSources } from './performance.svelte';

/** Columns worth comparing groups by: segments first, then features with few values, never model outputs or labels. */
export function sensitiveCandidates(d: Dataset): string[] {
  const roles = d.roles;
  const segment = d.columns.filter((c) => roles[c.name] === 'segment').map((c) => c.name);
  const features = d.columns.filter((c) => roles[c.name] === 'feature').map((c) => c.name);
  return [...segment, ...features];
}

/**
 * Validation view state: the evaluation data (with labels), the training data as its reference, the
 * sensitive columns and the model file drive one validation run in the engine; a threshold or minimum
 * group size change is answered from the engine's cached counts at once.
 */
export class ValidationState {
  /** The files the user picked; until then the guess from the workspace's setup (which follows every load). */
  chosen: PerfSources | null = $state.raw(null);
  sensitive: string[] = $state([]);
  minGroupSize = $state<number>(VALIDATION_DEFAULTS.minGroupSize);
  threshold: number | null = $state(null);
  summary: PerformanceSummary | null = $state.raw(null);
  report: ValidationReport | null = $state.raw(null);
  progress: ValidationProgress | null = $state.raw(null);
  busy = $state(false);
  error: string | null = $state(null);
  private id: string | null = null;
  private asked = 0;
  private controller: AbortController | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly datasets: () => Dataset[],
    private readonly modelFile: () => { bytes: Uint8Array; name: string } | null,
  ) {}

  get sources(): PerfSources | null {
    return this.chosen ?? guessSources(this.datasets());
  }

  get candidates(): string[] {
    const sources = this.sources;
    return sources ? sensitiveCandidates(sources.data) : [];
  }

  choose(sources: PerfSources): void {
    this.chosen = sources;
    this.sensitive = this.sensitive.filter((c) => sensitiveCandidates(sources.data).includes(c));
  }

  toggleSensitive(column: string): void {
    this.sensitive = this.sensitive.includes(column) ? this.sensitive.filter((c) => c !== column) : [...this.sensitive, column];
  }

  async run(): Promise<void> {
    const sources = this.sources;
    if (!sources) return;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.busy = true;
    this.error = null;
    const first = (d: Dataset | undefined, role: Parameters<Dataset['columnsWithRole']>[0]) => d?.columnsWithRole(role)[0];
    const { data, labels, reference } = sources;
    try {
      const opened = await this.engine.with({ signal: controller.signal, priority: 'user' }).openValidation(
        {
          data: data.table,
          labels: labels?.table,
          reference: reference?.table,
          choices: {
            id: first(data, 'id'),
            score: first(data, 'score'),
            prediction: first(data, 'prediction'),
            timestamp: first(data, 'timestamp'),
            label: first(labels ?? data, 'label'),
          },
          options: { sensitive: [...this.sensitive], minGroupSize: this.minGroupSize },
        },
        this.modelFile() ?? undefined,
        proxy((p: ValidationProgress) => {
          if (controller === this.controller) this.progress = p;
        }),
      );
      if (controller !== this.controller) return;
      this.id = opened.id;
      this.summary = opened.summary;
      this.report = opened.report;
      this.threshold = opened.report.threshold;
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (controller === this.controller) {
        this.busy = false;
        this.progress = null;
      }
    }
  }

  cancel(): void {
    this.controller?.abort();
    this.controller = null;
    this.busy = false;
    this.progress = null;
  }

  /** A slider move or a new minimum group size: from the engine's cached counts. */
  async update(threshold: number | null = this.threshold, minGroupSize = this.minGroupSize): Promise<void> {
    this.threshold = threshold;
    this.minGroupSize = minGroupSize;
    if (!this.id) return;
    // Slider moves overlap: only the latest answer is shown.
    const asked = ++this.asked;
    const report = await this.engine.validationAt(this.id, threshold, minGroupSize);
    if (report && asked === this.asked) this.report = report;
  }
}
