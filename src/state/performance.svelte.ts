import {
  proxy,
  type AtThreshold,
  type CostReport,
  type CostSettings,
  type CustomMetric,
  type CustomMetricsResult,
  type Engine,
  type OverTime,
  type PerformanceSummary,
  type Place,
  type PlacePerformance,
  type Setup,
  type SliceFindings,
  type SliceProgress,
} from '../client/engine';
import type { SuiteSettings } from '../lib/checks/suite';
import type { BinaryMetrics } from '../lib/metrics/binary';
import type { Confusion } from '../lib/metrics/confusion';
import type { AnyMetrics, OverallPerformance } from '../lib/metrics/performance';
import type { PerfChoices } from '../lib/metrics/setup';
import type { Task } from '../lib/metrics/spec';
import type { HeatmapCell } from '../lib/slices/heatmap';
import type { RowErrorName } from '../lib/slices/rowError';
import { errorCode } from '../rpc/errors';
import { appMessage, type AppMessage } from './appMessages';
import type { Dataset } from './dataset.svelte';
import { planFromSetup, runsPlan, type PerfPlan, type PerfSources } from './performancePlan';

export type { PerfSources };

const has = (d: Dataset, role: Parameters<Dataset['columnsWithRole']>[0]) => d.columnsWithRole(role).length > 0;

/**
 * The datasets a performance analysis uses, guessed from roles: the log has model outputs and preferably
 * no labels (labels that arrive later sit in their own file); the label file has an id and a label but no
 * model output; the reference has labels and model outputs (training or validation data).
 */
export function guessSources(datasets: Dataset[]): PerfSources | null {
  // The workspace's setup (inferred from the files' structure) says which file is which.
  const log = datasets.find((d) => d.part === 'current');
  if (log && (has(log, 'score') || has(log, 'prediction'))) {
    const sources: PerfSources = { data: log };
    const labels = datasets.find((d) => d.part === 'labels');
    if (labels && has(labels, 'label')) sources.labels = labels;
    const reference = datasets.find((d) => d.part === 'reference' && has(d, 'label') && (has(d, 'score') || has(d, 'prediction')));
    if (reference) sources.reference = reference;
    if (sources.labels || has(log, 'label')) return sources;
  }
  const outputs = datasets.filter((d) => has(d, 'score') || has(d, 'prediction'));
  const data = outputs.find((d) => !has(d, 'label')) ?? outputs[0];
  if (!data) return null;
  const sources: PerfSources = { data };
  if (!has(data, 'label')) {
    const labels = datasets.find((d) => d !== data && has(d, 'label') && has(d, 'id') && !has(d, 'score') && !has(d, 'prediction'));
    if (labels) sources.labels = labels;
  }
  const reference = datasets.find(
    (d) => d !== data && d !== sources.labels && has(d, 'label') && (has(d, 'score') || has(d, 'prediction')),
  );
  if (reference) sources.reference = reference;
  return sources;
}

export type Live = { metrics: BinaryMetrics; confusion: Confusion; threshold: number };

/** How long the last threshold move took: in the engine (all views from cached counts) and round trip to the page. */
export interface ThresholdTiming {
  threshold: number;
  engineMs: number;
  totalMs: number;
}

/**
 * Performance view state. Settings (task, positive class, threshold) drive everything: a threshold move
 * is answered at once from the worker's cached score counts (`live`), and the heavier parts - curves with
 * bootstrap intervals, windows, slices - refresh after the slider settles.
 */
export class PerformanceState {
  sources: PerfSources | null = $state.raw(null);
  sessionId: string | null = $state(null);
  summary: PerformanceSummary | null = $state.raw(null);
  task: Task | null = $state(null);
  positive: string | null = $state(null);
  threshold = $state(0.5);
  overall: OverallPerformance | null = $state.raw(null);
  live: Live | null = $state.raw(null);
  overTime: OverTime | null = $state.raw(null);
  findings: SliceFindings | null = $state.raw(null);
  /** How far the running slice search is (null when none runs). */
  sliceProgress: SliceProgress | null = $state.raw(null);
  sliceDimension: string | null = $state(null);
  bySlice: { value: string; metrics: AnyMetrics }[] | null = $state.raw(null);
  heat: { x: string; y: string; metric: string; cells: HeatmapCell[] } | null = $state.raw(null);
  thresholdTiming: ThresholdTiming | null = $state.raw(null);
  rowError: RowErrorName | null = $state(null);
  maxDepth = $state(2);
  /** Costs per outcome the user set (null: costs are not shown), and what they come to. */
  costs: CostSettings | null = $state.raw(null);
  cost: CostReport | null = $state.raw(null);
  /** The team's own metrics (one SQL aggregate each), and their values overall, per window and per slice. */
  customMetrics: CustomMetric[] = $state.raw([]);
  custom: CustomMetricsResult | null = $state.raw(null);
  busy: Record<string, boolean> = $state({});
  errors: Record<string, string> = $state({});
  /** Why the analysis cannot run, as the app says it (what to do here, with a button there). */
  problem: AppMessage | null = $state.raw(null);
  /** The choices the running session was started with. */
  choices: PerfChoices = $state.raw({});
  /** The user picked the datasets in the view's settings: the setup no longer moves them. */
  userSources = $state(false);
  /** A finding's place the view is focused on, its numbers, and the filter of the slice tables. */
  focus: Place | null = $state.raw(null);
  place: PlacePerformance | null = $state.raw(null);
  sliceFilter = $state('');
  /** The workspace's setup, as last followed. */
  private setup: Setup | null = null;
  private settle: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  /** Cancels every call of the current session (a new session replaces it). */
  private sessionController = new AbortController();
  /** Cancels the running slice search (a newer search replaces it, Cancel stops it). */
  private findController: AbortController | null = null;

  /** `datasets` reads the workspace's loaded datasets, to turn the setup's tables into datasets. */
  constructor(
    private readonly engine: Engine,
    private readonly datasets: () => Dataset[] = () => [],
  ) {}

  /** What the setup calls for (or, before any setup, the roles' guess). */
  plan(): PerfPlan | null {
    if (this.setup) return planFromSetup(this.setup, this.datasets());
    const guessed = guessSources(this.datasets());
    return guessed ? { sources: guessed, choices: {} } : null;
  }

  /**
   * The setup changed (a file added, a role fixed): an analysis already started restarts on what the setup
   * now says, unless the user picked its datasets; one that could not run runs now. Not started: the view
   * starts it when it opens.
   */
  followSetup(setup: Setup): void {
    this.setup = setup;
    if (this.userSources || (!this.sources && !this.problem)) return;
    const plan = this.plan();
    if (!plan) return;
    if ('problem' in plan) {
      this.stop(plan.problem);
      return;
    }
    const running = this.sources ? { sources: this.sources, spec: this.summary?.spec ?? null } : null;
    if (!running || this.problem || this.errors['prepare'] || !runsPlan(running, plan)) void this.start(plan.sources, plan.choices);
  }

  /** The view opened: start what the setup calls for, unless a session runs or is being prepared. */
  async ensure(): Promise<void> {
    if (this.sessionId || this.busy['prepare']) return;
    const plan = this.plan();
    if (!plan) return;
    if ('problem' in plan) this.stop(plan.problem);
    else await this.start(plan.sources, plan.choices);
  }

  /** The user picked the datasets in the view: they stay picked until the workspace is cleared. */
  async chooseSources(sources: PerfSources): Promise<void> {
    this.userSources = true;
    await this.start(sources);
  }

  /** Nothing can run: the last session's numbers go, the reason stays. */
  private stop(problem: AppMessage): void {
    ++this.generation;
    this.sessionController.abort();
    this.sessionController = new AbortController();
    this.sources = null;
    this.sessionId = null;
    this.summary = null;
    this.overall = this.live = this.overTime = this.findings = this.bySlice = this.heat = null;
    this.place = null;
    this.errors = {};
    this.problem = problem;
  }

  /** Opens a finding's place: the segment against the rest and the reference, over time, and the slice tables filtered to it. */
  async focusOn(place: Place): Promise<void> {
    this.focus = place;
    this.place = null;
    const first = place.segment[0];
    this.sliceFilter = first ? (first.op && first.op !== '=' ? first.value : `${first.column} = ${first.value}`) : '';
    if (!this.sessionId) await this.ensure();
    if (first && this.summary?.dimensions.some((d) => d.name === first.column) && this.sliceDimension !== first.column)
      await this.loadSlice(first.column);
    await this.loadPlace();
  }

  clearFocus(): void {
    this.focus = null;
    this.place = null;
    this.sliceFilter = '';
  }

  private async loadPlace(): Promise<void> {
    const id = this.sessionId;
    const focus = this.focus;
    if (!id || !focus) return;
    const place = await this.step('place', () => this.call.placePerformance(id, $state.snapshot(focus) as Place, this.threshold));
    if (place && focus === this.focus) this.place = place;
  }

  /** The engine as this session's calls use it: cancelled together when the session is replaced. */
  private get call() {
    return this.engine.with({ signal: this.sessionController.signal, priority: 'view' });
  }

  readonly metrics = $derived<AnyMetrics | null>(this.live?.metrics ?? this.overall?.metrics ?? null);

  private async step<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    this.busy = { ...this.busy, [name]: true };
    const { [name]: _, ...rest } = this.errors;
    this.errors = rest;
    try {
      return await work();
    } catch (error) {
      if (errorCode(error) !== 'cancelled') {
        this.errors = { ...this.errors, [name]: (error as Error).message };
        if (name === 'prepare') this.problem = appMessage(error);
      }
      return undefined;
    } finally {
      this.busy = { ...this.busy, [name]: false };
    }
  }

  /** Joins labels, infers the task and loads every part of the view. */
  async start(sources: PerfSources, choices: PerfChoices = {}): Promise<void> {
    const generation = ++this.generation;
    this.problem = null;
    this.choices = choices;
    // Whatever the previous session still computes is of no use any more.
    this.sessionController.abort();
    this.sessionController = new AbortController();
    this.findController = null;
    this.sliceProgress = null;
    this.sources = sources;
    this.overall = this.live = this.overTime = this.findings = this.bySlice = this.heat = null;
    this.cost = this.custom = null;
    const { data, labels, reference } = sources;
    const first = (d: Dataset | undefined, role: Parameters<Dataset['columnsWithRole']>[0]) => d?.columnsWithRole(role)[0];
    const picked: PerfChoices = {
      id: first(data, 'id'),
      score: first(data, 'score'),
      prediction: first(data, 'prediction'),
      timestamp: first(data, 'timestamp'),
      label: first(labels ?? data, 'label'),
      // The roles the Data view shows, for the columns not named here (never a guess from names over them).
      roles: { data: { ...data.roles }, ...(labels ? { labels: { ...labels.roles } } : {}) },
      ...choices,
    };
    // The engine keeps one session for this view: preparing a new one disposes the last one's table.
    const prepared = await this.step('prepare', () =>
      this.engine
        .with({ signal: this.sessionController.signal, priority: 'user' })
        .preparePerformance({ data: data.table, labels: labels?.table, reference: reference?.table, choices: picked }, 'performance'),
    );
    if (generation !== this.generation) return;
    if (!prepared) {
      this.sessionId = null;
      this.summary = null;
      return;
    }
    this.sessionId = prepared.id;
    this.summary = prepared.summary;
    this.task = prepared.summary.spec.task;
    this.positive = prepared.summary.spec.positive ?? null;
    this.threshold = prepared.summary.spec.threshold;
    this.rowError = null;
    const dims = prepared.summary.dimensions;
    this.sliceDimension = dims.find((d) => d.kind === 'categorical')?.name ?? dims[0]?.name ?? null;
    await this.refresh();
  }

  /** Changes task or positive class: a new session, since every number depends on them. */
  async choose(choices: PerfChoices): Promise<void> {
    if (!this.sources) return;
    await this.start(this.sources, {
      ...this.choices,
      ...(this.task ? { task: this.task } : {}),
      ...(this.positive !== null ? { positive: this.positive } : {}),
      ...choices,
    });
  }

  /**
   * A slider move: overall metrics, confusion matrix, windows (with CBPE), the slice table and the heatmap
   * update now from the worker's cached per-score counts; curves with bootstrap intervals and slice
   * discovery once the slider rests.
   */
  async setThreshold(threshold: number): Promise<void> {
    this.threshold = threshold;
    if (!this.sessionId || this.summary?.spec.task !== 'binary') return;
    const started = performance.now();
    const heat = this.heat;
    const at = await this.call.atThreshold(this.sessionId, threshold, {
      dimension: this.sliceDimension,
      heat: heat ? { x: heat.x, y: heat.y, metric: heat.metric } : null,
      costs: this.summary?.spec.score ? this.costs : null,
    });
    if (at && at.threshold === this.threshold) this.applyThreshold(at, started);
    clearTimeout(this.settle);
    this.settle = setTimeout(() => void this.refresh({ thresholdOnly: true }), 300);
  }

  private applyThreshold(at: AtThreshold, started: number): void {
    this.live = { metrics: at.metrics, confusion: at.confusion, threshold: at.threshold };
    if (at.overTime && this.overTime) this.overTime = { ...this.overTime, ...at.overTime };
    if (at.bySlice && at.bySlice.dimension === this.sliceDimension) this.bySlice = at.bySlice.rows;
    if (at.cost && this.costs) this.cost = at.cost;
    const heat = this.heat;
    if (at.heat && heat && at.heat.x === heat.x && at.heat.y === heat.y && at.heat.metric === heat.metric) this.heat = at.heat;
    this.thresholdTiming = { threshold: at.threshold, engineMs: at.ms, totalMs: performance.now() - started };
  }

  /**
   * Recomputes the view; after a threshold move the curves and intervals come from the cached counts (no
   * scan), and the windows and slice table were already updated by setThreshold.
   */
  async refresh(options: { thresholdOnly?: boolean } = {}): Promise<void> {
    const id = this.sessionId;
    if (!id) return;
    const threshold = this.threshold;
    const previous = this.overall;
    const cached = options.thresholdOnly && previous?.task === 'binary' && Boolean(previous.report);
    if (cached) {
      const report = await this.step('overall', () => this.call.reportAt(id, threshold));
      if (report && threshold === this.threshold) {
        this.overall = { task: 'binary', metrics: report.metrics, report };
        this.live = null;
      }
    } else {
      // Comlink's Remote spreads a union result over promises; awaiting inside keeps one promise type.
      const overall = await this.step<OverallPerformance>('overall', async () => await this.call.overall(id, threshold));
      if (overall && threshold === this.threshold) {
        this.overall = overall;
        this.live = null;
      }
    }
    // The default per-row error of a binary classifier (0/1 error) depends on the threshold: search again.
    // Asked first and awaited last: the engine reads the encoded rows, then serves the windows and the
    // slice table while the search itself runs in a worker of its own (src/engine/browserSliceSearch.ts).
    const slices = this.findSlices();
    if (this.summary?.windowUnit && (!cached || !this.overTime)) {
      const overTime = await this.step('overTime', () => this.call.overTime(id, threshold));
      if (overTime && threshold === this.threshold) this.overTime = overTime;
    }
    if (!cached || !this.bySlice) await this.loadSlice();
    if (this.focus) await this.loadPlace();
    await slices;
  }

  async loadSlice(dimension: string | null = this.sliceDimension): Promise<void> {
    this.sliceDimension = dimension;
    const id = this.sessionId;
    if (!id) return;
    if (dimension) {
      const rows = await this.step('bySlice', () => this.call.bySlice(id, dimension, this.threshold));
      if (rows && dimension === this.sliceDimension) this.bySlice = rows;
    }
    // Costs and custom metrics are shown by the same slice dimension.
    await Promise.all([this.loadCosts(), this.loadCustom()]);
  }

  /** Costs of the current threshold, by window and by the slice dimension shown. */
  async loadCosts(): Promise<void> {
    const id = this.sessionId;
    const costs = this.costs;
    if (!id || !costs || this.task === 'regression') {
      this.cost = null;
      return;
    }
    const threshold = this.threshold;
    const report = await this.step('costs', () => this.call.costs(id, costs, threshold, this.sliceDimension));
    if (report && costs === this.costs && threshold === this.threshold) this.cost = report;
  }

  /** Sets the costs per outcome (null hides costs) and computes them. */
  async setCosts(costs: CostSettings | null): Promise<void> {
    this.costs = costs;
    await this.loadCosts();
  }

  /** Moves the threshold to the cost-optimal one. */
  async useBestThreshold(): Promise<void> {
    const best = this.cost?.best;
    if (best) await this.setThreshold(best.threshold);
  }

  private async loadCustom(): Promise<void> {
    const id = this.sessionId;
    const metrics = this.customMetrics;
    if (!id || metrics.length === 0) {
      this.custom = null;
      return;
    }
    const result = await this.step('custom', () => this.call.customMetrics(id, metrics, this.sliceDimension));
    if (result && metrics === this.customMetrics) this.custom = result;
  }

  /**
   * Adds (or replaces, by name) a custom metric once the engine has checked it against the analysis table.
   * Returns the problem, in words, when it is refused.
   */
  async addCustomMetric(metric: CustomMetric): Promise<string | null> {
    const id = this.sessionId;
    if (!id) return 'Open the performance analysis first: a custom metric is checked against its labelled rows.';
    try {
      await this.engine.with({ signal: this.sessionController.signal, priority: 'user' }).checkCustomMetric(id, metric);
    } catch (error) {
      return (error as Error).message;
    }
    this.customMetrics = [...this.customMetrics.filter((m) => m.name !== metric.name), metric];
    await this.loadCustom();
    return null;
  }

  /** The columns and threshold this analysis uses, as a check suite's settings (for checks made here). */
  suiteSettings(): SuiteSettings {
    const s = this.summary?.spec;
    if (!s) return {};
    return {
      label: s.label,
      ...(s.score ? { score: s.score, threshold: this.threshold } : {}),
      ...(s.prediction ? { prediction: s.prediction } : {}),
      ...(s.positive !== undefined ? { positive: s.positive } : {}),
    };
  }

  async removeCustomMetric(name: string): Promise<void> {
    this.customMetrics = this.customMetrics.filter((m) => m.name !== name);
    await this.loadCustom();
  }

  async findSlices(): Promise<void> {
    const id = this.sessionId;
    if (!id) return;
    // A newer search (after another threshold move) replaces a running one.
    this.findController?.abort();
    const controller = (this.findController = new AbortController());
    const signal = AbortSignal.any([controller.signal, this.sessionController.signal]);
    const onProgress = proxy((p: SliceProgress) => {
      if (controller === this.findController) this.sliceProgress = p;
    });
    const findings = await this.step('slices', () =>
      this.engine.with({ signal, priority: 'view' }).findSlices(
        id,
        {
          maxDepth: this.maxDepth,
          threshold: this.threshold,
          ...(this.rowError ? { metric: this.rowError } : {}),
        },
        onProgress,
      ),
    );
    if (controller !== this.findController) return;
    this.findController = null;
    this.sliceProgress = null;
    if (findings) this.findings = findings;
  }

  /** Stops the running slice search; the last finished result stays on screen. */
  cancelSlices(): void {
    if (!this.findController) return;
    this.findController.abort();
    this.findController = null;
    this.sliceProgress = null;
  }

  async loadHeatmap(x: string, y: string, metric: string): Promise<void> {
    const id = this.sessionId;
    if (!id) return;
    const cells = await this.step('heatmap', () => this.call.heatmap(id, x, y, metric, this.threshold));
    if (cells) this.heat = { x, y, metric, cells };
  }
}
