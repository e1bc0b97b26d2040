import type { Engine } from '../client/engine';
import type { ModelSummary, ReplayResult, ShapMethod, ShapPool, ShapRun } from '../client/shapPool';
import type { FeatureMatch } from '../lib/model/features';
import { MAX_SAVED_MODEL_BYTES } from './settings/model';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

/** Rows explained per side for the views (a sample spanning the whole table); the replay covers up to REPLAY_ROWS. */
export const VIEW_ROWS = 2000;
const REPLAY_ROWS = 200_000;
const BACKGROUND_ROWS = 100;

/** One dataset explained: its sampled model inputs, SHAP values and side columns, row-aligned. */
export interface ExplainedSide {
  table: string;
  name: string;
  rows: number;
  X: Float64Array;
  shap: ShapRun;
  /** Epoch ms per row when the dataset has a timestamp column. */
  timestamps: Float64Array | null;
}

export interface ReplaySummary {
  table: string;
  scoreColumn: string;
  result: ReplayResult;
  /** Prediction ids of the listed disagreements, when the dataset has an id column. */
  ids: (string | null)[] | null;
  /** The replay read every k-th row: disagreement d is file row d.row * every + 1. */
  every: number;
}

export interface RowExplanation {
  id: string;
  values: number[];
  inputs: (string | null)[];
  expectedValue: number;
  margin: number;
}

/**
 * The explanation workspace: the loaded model, which datasets it explains (reference and current),
 * their feature match, the prediction replay and the SHAP values behind every explanation view.
 */
export class Explanation {
  model: ModelSummary | null = $state.raw(null);
  /** The loaded model file's bytes: the checks' attribution drift parses them in the engine (as the CLI does). */
  modelFile: { bytes: Uint8Array; name: string } | null = $state.raw(null);
  referenceTable: string | null = $state(null);
  currentTable: string | null = $state(null);
  method: ShapMethod = $state('path-dependent');
  /** Output (class) the views show for multi-class models. */
  output = $state(0);
  matches: Record<string, FeatureMatch> = $state.raw({});
  replay: ReplaySummary | null = $state.raw(null);
  reference: ExplainedSide | null = $state.raw(null);
  current: ExplainedSide | null = $state.raw(null);
  progress: { label: string; done: number; total: number } | null = $state(null);
  error: string | null = $state(null);
  row: RowExplanation | null = $state.raw(null);
  rowError: string | null = $state(null);
  private controller: AbortController | null = null;

  constructor(
    private readonly engine: Engine,
    /** The page's TreeSHAP worker pool (model parsing, replay, SHAP). */
    private readonly shap: ShapPool,
    private readonly datasets: () => Dataset[],
    private readonly notify: (kind: 'error' | 'info', message: string) => void,
  ) {}

  readonly running = $derived(this.progress !== null);

  /** Whether a file is a model (by content), so a drop can route it here instead of to the data loader. */
  async isModelFile(blob: Blob): Promise<boolean> {
    const head = new Uint8Array(await blob.slice(0, 65536).arrayBuffer());
    return this.shap.isModel(head);
  }

  async loadModelFile(blob: Blob, name: string): Promise<void> {
    try {
      const bytes = new Uint8Array(await blob.arrayBuffer());
      this.model = await this.shap.loadModel(bytes, name);
      this.modelFile = { bytes, name };
      if (bytes.length > MAX_SAVED_MODEL_BYTES)
        this.notify('info', `"${name}" is too large to keep with the workspace: drop it again after reopening the workspace.`);
      this.reference = null;
      this.current = null;
      this.replay = null;
      this.row = null;
      this.output = 0;
      this.notify(
        'info',
        `Model "${name}" loaded: ${this.model.numTrees} trees over ${this.model.featureNames.length} features. Open the Explain tab.`,
      );
      await this.refreshMatches();
    } catch (error) {
      this.notify('error', (error as Error).message);
    }
  }

  /** Forgets the model (another workspace is opened); the SHAP pool keeps it until the next one is loaded. */
  unloadModel(): void {
    this.cancel();
    this.model = null;
    this.modelFile = null;
    this.reference = this.current = this.replay = this.row = null;
    this.matches = {};
    this.referenceTable = this.currentTable = null;
  }

  /** Matches the model's features against every dataset and picks reference and current tables. */
  async refreshMatches(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const matches: Record<string, FeatureMatch> = {};
    for (const ds of this.datasets()) {
      matches[ds.table] = await this.engine.matchModel(ds.table, {
        featureNames: model.featureNames,
        featureNamesFromModel: model.featureNamesFromModel,
      });
    }
    this.matches = matches;
    const usable = this.datasets().filter((d) => matches[d.table]?.ok);
    const withTime = usable.filter((d) => d.columnsWithRole('timestamp').length > 0 && d.columnsWithRole('score').length > 0);
    // With no dataset fitting the model, the last one stays selected so its match shows what is missing.
    if (!this.currentTable || !matches[this.currentTable]?.ok)
      this.currentTable = (withTime.at(-1) ?? usable.at(-1) ?? this.datasets().at(-1))?.table ?? null;
    if (!this.referenceTable || !matches[this.referenceTable]?.ok || this.referenceTable === this.currentTable)
      this.referenceTable = usable.find((d) => d.table !== this.currentTable)?.table ?? null;
  }

  dataset(table: string | null): Dataset | undefined {
    return this.datasets().find((d) => d.table === table);
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Replays predictions and computes SHAP for the current (and reference) dataset. */
  async run(): Promise<void> {
    const model = this.model;
    if (!model || this.running) return;
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.error = null;
    this.row = null;
    try {
      const current = this.dataset(this.currentTable);
      const reference = this.dataset(this.referenceTable);
      if (!current) throw new Error('Choose a dataset whose columns match the model features.');
      if (this.method === 'interventional') {
        const bg = reference ?? current;
        this.progress = { label: `Background sample from ${bg.name}`, done: 0, total: 1 };
        const m = await this.inputs(bg, BACKGROUND_ROWS);
        await this.shap.setBackground(m.X, m.rows);
      }
      this.replay = await this.replayOn(current);
      this.current = await this.explainSide(current, signal);
      this.reference = reference && reference.table !== current.table ? await this.explainSide(reference, signal) : null;
    } catch (error) {
      if (errorCode(error) === 'cancelled') this.notify('info', 'Explanation cancelled.');
      else this.error = (error as Error).message;
    } finally {
      this.progress = null;
      this.controller = null;
    }
  }

  private columns(ds: Dataset): string[] {
    const match = this.matches[ds.table];
    if (!match?.ok) throw new Error(`"${ds.name}" does not match the model's features.`);
    return match.columns as string[];
  }

  private async inputs(ds: Dataset, limit: number) {
    const every = Math.max(1, Math.ceil(ds.rows / limit));
    return { ...(await this.engine.featureMatrix(ds.table, this.columns(ds), { limit, every })), every };
  }

  private async replayOn(ds: Dataset): Promise<ReplaySummary | null> {
    const scoreColumn = ds.columnsWithRole('score')[0];
    if (!scoreColumn) return null;
    this.progress = { label: `Replaying predictions on ${ds.name}`, done: 0, total: 1 };
    const m = await this.inputs(ds, REPLAY_ROWS);
    const sample = { limit: REPLAY_ROWS, every: m.every };
    const logged = await this.engine.numericColumn(ds.table, scoreColumn, sample);
    const result = await this.shap.replay(m.X, m.rows, logged);
    const idColumn = ds.columnsWithRole('id')[0];
    let ids: (string | null)[] | null = null;
    if (idColumn && result.disagreements.length > 0) {
      const all = await this.engine.textColumn(ds.table, idColumn, sample);
      ids = result.disagreements.map((d) => all[d.row] ?? null);
    }
    return { table: ds.table, scoreColumn, result, ids, every: m.every };
  }

  private async explainSide(ds: Dataset, signal: AbortSignal): Promise<ExplainedSide> {
    const model = this.model!;
    this.progress = { label: `Reading ${ds.name}`, done: 0, total: 1 };
    const m = await this.inputs(ds, VIEW_ROWS);
    const timeColumn = ds.columnsWithRole('timestamp')[0];
    const timestamps = timeColumn ? await this.engine.numericColumn(ds.table, timeColumn, { limit: VIEW_ROWS, every: m.every }) : null;
    const X = m.X;
    const label = `TreeSHAP (${this.method}) on ${ds.name}`;
    const shap = await this.shap.explain(m.X, m.rows, model.featureNames.length, model.numOutputs, this.method, {
      signal,
      onProgress: (done, total) => (this.progress = { label, done, total }),
    });
    return { table: ds.table, name: ds.name, rows: m.rows, X, shap, timestamps };
  }

  /** Explains the row of the current dataset whose id column holds `id` (for the waterfall). */
  async explainRow(id: string): Promise<void> {
    const model = this.model;
    const ds = this.dataset(this.currentTable);
    this.rowError = null;
    if (!model || !ds) return;
    const idColumn = ds.columnsWithRole('id')[0];
    if (!idColumn) {
      this.rowError = `"${ds.name}" has no column with the id role; set one in the Data tab.`;
      return;
    }
    try {
      const found = await this.engine.rowById(ds.table, idColumn, id.trim(), this.columns(ds));
      if (!found) {
        this.row = null;
        this.rowError = `No row of "${ds.name}" has ${idColumn} = "${id.trim()}".`;
        return;
      }
      const F = model.featureNames.length;
      const run = await this.shap.explain(found.X, 1, F, model.numOutputs, this.method);
      const k = Math.min(this.output, model.numOutputs - 1);
      const values = Array.from(run.values.subarray(k * F, (k + 1) * F));
      const expectedValue = run.expectedValue[k]!;
      this.row = { id: id.trim(), values, inputs: found.values, expectedValue, margin: values.reduce((a, b) => a + b, expectedValue) };
    } catch (error) {
      this.rowError = (error as Error).message;
    }
  }
}
