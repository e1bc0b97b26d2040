import {
  proxy,
  type DomainClassifierDrift,
  type EmbeddingColumn,
  type EmbeddingColumnDrift,
  type Engine,
  type ReconstructionDrift,
  type ReconstructionRequest,
  type TextColumnDrift,
} from '../client/engine';
import { errorCode } from '../rpc/errors';

export type { DomainClassifierDrift, EmbeddingColumn, EmbeddingColumnDrift, ReconstructionDrift, TextColumnDrift };

/** One embedding's comparison: its result, or why there is none yet. */
export interface EmbeddingRun {
  result: EmbeddingColumnDrift | null;
  running: boolean;
  error: string | null;
  /** The engine asks for a sample: the embedding has too many numbers to move whole. */
  needsSample: boolean;
  progress: { done: number; total: number } | null;
}

/** One free-text column's comparison: its result, or why there is none yet. */
export interface TextColumnRun {
  result: TextColumnDrift | null;
  running: boolean;
  error: string | null;
  /** The engine asks for a sample: the column has too many texts to move whole. */
  needsSample: boolean;
}

/** Texts a side when the user asks for a sample. */
export const TEXT_SAMPLE = 20_000;
/** Vectors a side when the user asks for a sample: the MMD compares every pair, up to 3,000 rows in all. */
export const EMBEDDING_SAMPLE = 1500;
/** Rows a side when the user asks the domain classifier for a sample. */
export const CLASSIFIER_SAMPLE = 50_000;

/** The tables compared and how they are cut into windows, as the drift view has them. */
export interface MultivariateInputs {
  tables: { reference: string; current: string };
  columns: string[];
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
  /** The domain classifier, trained when the user asks (it learns from every row). */
  classifier: DomainClassifierDrift | null = $state.raw(null);
  classifierRunning = $state(false);
  classifierError: string | null = $state(null);
  classifierNeedsSample = $state(false);
  classifierProgress: { done: number; total: number } | null = $state(null);
  private classifierController: AbortController | null = null;
  /** Free-text columns by name. */
  texts: Record<string, TextColumnRun> = $state({});
  private controller: AbortController | null = null;
  private textController: AbortController | null = null;
  /** Embeddings by name (a list column's name, or a prefix group's `emb_*`). */
  embeddings: Record<string, EmbeddingRun> = $state({});
  private embeddingController: AbortController | null = null;
  private last: MultivariateInputs | null = null;

  constructor(private readonly engine: Engine) {}

  async run(inputs: MultivariateInputs | null = this.last): Promise<void> {
    if (!inputs) return;
    this.controller?.abort();
    this.cancelClassifier();
    this.last = inputs;
    this.classifier = null;
    this.classifierError = null;
    this.classifierNeedsSample = false;
    const controller = (this.controller = new AbortController());
    this.running = true;
    this.error = null;
    this.result = null;
    this.progress = { done: 0, total: 3 };
    const request: ReconstructionRequest = {
      explainedVariance: this.explainedVariance,
      sigmas: this.sigmas,
      columns: inputs.columns,
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

  /** Trains the domain classifier on the inputs of the last reconstruction (a sample when asked). */
  async runClassifier(sample?: number): Promise<void> {
    const inputs = this.last;
    if (!inputs) return;
    this.cancelClassifier();
    const controller = (this.classifierController = new AbortController());
    this.classifierRunning = true;
    this.classifierError = null;
    this.classifierNeedsSample = false;
    this.classifier = null;
    this.classifierProgress = { done: 0, total: 5 };
    const onProgress = proxy((done: number, total: number) => {
      if (controller === this.classifierController) this.classifierProgress = { done, total };
    });
    try {
      const result = await this.engine.with({ signal: controller.signal, priority: 'user' }).domainClassifierDrift(
        {
          ...inputs.tables,
        },
        {
          columns: inputs.columns,
          ...(inputs.time ? { time: inputs.time } : { chunks: inputs.chunks }),
          ...(sample !== undefined ? { sample } : {}),
        },
        onProgress,
      );
      if (controller === this.classifierController) this.classifier = result;
    } catch (error) {
      if (controller === this.classifierController && errorCode(error) !== 'cancelled') {
        this.classifierError = (error as Error).message;
        this.classifierNeedsSample = errorCode(error) === 'too-large';
      }
    } finally {
      if (controller === this.classifierController) {
        this.classifierRunning = false;
        this.classifierProgress = null;
        this.classifierController = null;
      }
    }
  }

  cancelClassifier(): void {
    this.classifierController?.abort();
    this.classifierController = null;
    this.classifierRunning = false;
    this.classifierProgress = null;
  }

  /** Compares each free-text column in turn (a sample only when the user asked for one). */
  async runTexts(tables: MultivariateInputs['tables'], columns: readonly string[], sample?: number): Promise<void> {
    this.textController?.abort();
    for (const run of Object.values(this.texts))
      if (run.running) Object.assign(run, { running: false, error: 'Stopped before it finished: compare again to see it.' });
    const controller = (this.textController = new AbortController());
    if (sample === undefined)
      this.texts = Object.fromEntries(columns.map((c) => [c, { result: null, running: true, error: null, needsSample: false }]));
    const call = this.engine.with({ signal: controller.signal, priority: 'user' });
    for (const column of columns) {
      if (controller !== this.textController) return;
      this.texts[column] = { result: null, running: true, error: null, needsSample: false };
      try {
        const result = await call.textColumnDrift(tables, column, sample === undefined ? {} : { sample });
        if (controller === this.textController) this.texts[column] = { result, running: false, error: null, needsSample: false };
      } catch (error) {
        if (controller !== this.textController || errorCode(error) === 'cancelled') return;
        this.texts[column] = {
          result: null,
          running: false,
          error: (error as Error).message,
          needsSample: errorCode(error) === 'too-large',
        };
      }
    }
  }

  /** Compares each embedding in turn (a sample only when the user asked for one), with progress. */
  async runEmbeddings(tables: MultivariateInputs['tables'], embeddings: readonly EmbeddingColumn[], sample?: number): Promise<void> {
    this.embeddingController?.abort();
    for (const run of Object.values(this.embeddings))
      if (run.running)
        Object.assign(run, { running: false, progress: null, error: 'Stopped before it finished: compare again to see it.' });
    const controller = (this.embeddingController = new AbortController());
    const fresh = (): EmbeddingRun => ({ result: null, running: true, error: null, needsSample: false, progress: null });
    if (sample === undefined) this.embeddings = Object.fromEntries(embeddings.map((e) => [e.name, fresh()]));
    const call = this.engine.with({ signal: controller.signal, priority: 'user' });
    for (const embedding of embeddings) {
      if (controller !== this.embeddingController) return;
      const name = embedding.name;
      this.embeddings[name] = fresh();
      const onProgress = proxy((done: number, total: number) => {
        const run = this.embeddings[name];
        if (controller === this.embeddingController && run?.running) run.progress = { done, total };
      });
      try {
        const result = await call.embeddingDrift(tables, $state.snapshot(embedding), sample === undefined ? {} : { sample }, onProgress);
        if (controller === this.embeddingController)
          this.embeddings[name] = { result, running: false, error: null, needsSample: false, progress: null };
      } catch (error) {
        if (controller !== this.embeddingController || errorCode(error) === 'cancelled') return;
        this.embeddings[name] = {
          result: null,
          running: false,
          error: (error as Error).message,
          needsSample: errorCode(error) === 'too-large',
          progress: null,
        };
      }
    }
  }

  /** Stops the embeddings' comparison; what finished stays. */
  cancelEmbeddings(): void {
    this.embeddingController?.abort();
    this.embeddingController = null;
    for (const run of Object.values(this.embeddings))
      if (run.running) Object.assign(run, { running: false, progress: null, error: 'Stopped: compare again to see it.' });
  }

  cancel(): void {
    this.cancelEmbeddings();
    this.controller?.abort();
    this.controller = null;
    this.running = false;
    this.progress = null;
    this.cancelClassifier();
    this.textController?.abort();
    this.textController = null;
    for (const run of Object.values(this.texts)) run.running = false;
  }
}
