import type { Comparison, Engine, VersionsDetection } from '../client/engine';
import type { Check } from '../lib/checks/suite';
import {
  judgeVersionCheck,
  proposedVersionChecks,
  versionCheckTitle,
  type VersionCheck,
  type VersionCheckVerdict,
} from '../lib/versions/checks';
import { championFirstNames } from '../lib/versions/detect';
import type { VersionsLayout } from '../lib/versions/types';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

/** A model file dropped into the workspace: two of them are two versions. */
export interface VersionModelFile {
  bytes: Uint8Array;
  name: string;
}

export interface ProposedCheck extends VersionCheckVerdict {
  check: VersionCheck;
  title: string;
}

/**
 * Champion against challenger: which dataset holds the versions and how (read from its columns, or set
 * by the user), the label and threshold, and the last comparison with its verdict and the version checks
 * it proposes. Created by the workspace root; the Versions view and the Overview's verdict card read it.
 */
export class VersionsState {
  data: Dataset | null = $state.raw(null);
  /**
   * The labels file: the setup's, read when it is needed (a labels file dropped with the log, or after it,
   * becomes the setup's labels only once every file is read, which can be after versions were detected).
   */
  get labels(): Dataset | null {
    if (this.chosenLabels) return this.chosenLabels;
    const data = this.data;
    return data ? (this.datasets().find((x) => x !== data && x.part === 'labels') ?? null) : null;
  }
  /** A labels file set by a saved workspace or a link. */
  set labels(d: Dataset | null) {
    this.chosenLabels = d;
  }
  private chosenLabels: Dataset | null = $state.raw(null);
  layout: VersionsLayout | null = $state.raw(null);
  detection: VersionsDetection | null = $state.raw(null);
  /** The label column; null: as the Performance view infers it. */
  label: string | null = $state(null);
  /** The decision threshold of binary scores; null: the default (0.5, or the one the predictions used). */
  threshold: number | null = $state(null);
  result: Comparison | null = $state.raw(null);
  busy = $state(false);
  error: string | null = $state(null);
  /** Whether the loaded datasets were searched for versions (the Overview asks once). */
  searched = $state(false);
  /** The last two model files dropped, the champion first. */
  models: VersionModelFile[] = $state.raw([]);
  /** Whether the versions are the two model files (the log scored with each) rather than the log's columns. */
  fromModels = $state(false);
  /** What the last comparison was run on: a change of log, labels, label or models runs it again. */
  private ranOn: string | null = null;

  readonly comparison = $derived(this.result?.comparisons[0] ?? null);
  readonly verdict = $derived(this.comparison?.verdict ?? null);
  readonly checks: ProposedCheck[] = $derived(
    // Checks judge the log's columns in CI; the model files' outputs are not columns of the log.
    this.result && !this.fromModels
      ? proposedVersionChecks(this.result).map((check) => ({
          check,
          title: versionCheckTitle(check),
          ...judgeVersionCheck(check, this.result!),
        }))
      : [],
  );
  private controller: AbortController | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly datasets: () => Dataset[],
  ) {}

  /** The label as the workspace's setup reads it: a label-role column of the labels file, else of the log. */
  private guessLabel(): string | null {
    for (const d of [this.labels, this.data]) {
      const l = d?.columnsWithRole('label')[0];
      if (l) return l;
    }
    return null;
  }

  /** First visit (the Versions view or the Overview): find versions in the loaded datasets and compare them. */
  async ensure(): Promise<void> {
    if (this.busy || this.result || this.searched) return;
    if (this.models.length === 2) {
      this.searched = true;
      this.useModels();
    } else await this.detect();
    if (this.layout && this.data) await this.run();
  }

  /**
   * A model file was dropped: the last two are the two versions, the champion first by name (champion,
   * v1, ...), else the one dropped first. With a log loaded they are compared at once.
   */
  async addModel(file: VersionModelFile): Promise<void> {
    const kept = [...this.models.filter((m) => m.name !== file.name || m.bytes.length !== file.bytes.length), file].slice(-2);
    if (kept.length === 2) {
      const [a] = championFirstNames(kept[0]!.name, kept[1]!.name);
      this.models = a === kept[0]!.name ? kept : [kept[1]!, kept[0]!];
    } else this.models = kept;
    if (this.models.length < 2) return;
    this.useModels();
    if (this.data) await this.run();
  }

  /** Compares the two model files: the log is the log of the setup (else the last dataset that is not labels). */
  useModels(): void {
    if (this.models.length !== 2) return;
    const [a, b] = this.models as [VersionModelFile, VersionModelFile];
    this.fromModels = true;
    this.detection = null;
    this.layout = { mode: 'paired', champion: a.name, challenger: b.name };
    if (!this.data || this.data.part === 'labels') this.data = this.logFor();
    this.label ??= this.guessLabel();
  }

  private logFor(): Dataset | null {
    const all = this.datasets();
    return all.find((d) => d.part === 'current') ?? all.filter((d) => d.part !== 'labels' && d.part !== 'reference').at(-1) ?? null;
  }

  /** The challenger becomes the champion and the other way round; compared again. */
  async swapModels(): Promise<void> {
    if (this.models.length !== 2) return;
    this.models = [this.models[1]!, this.models[0]!];
    this.useModels();
    await this.run();
  }

  /** Back to versions in the log's columns (read from them again). */
  async useColumns(): Promise<void> {
    this.fromModels = false;
    this.layout = null;
    this.result = null;
    if (this.data) await this.choose(this.data);
  }

  /**
   * The workspace's setup changed (a file loaded, removed, or roles changed): a comparison made on other
   * files, or before its labels file was read, is made again; model files waiting for a log get it.
   */
  followSetup(): void {
    if (this.fromModels && (!this.data || !this.datasets().includes(this.data))) this.data = null;
    if (this.fromModels) this.useModels();
    if (!this.layout || !this.data || !(this.searched || this.fromModels)) return;
    this.label ??= this.guessLabel();
    if (this.ranOn !== this.runKey()) void this.run();
  }

  private runKey(): string {
    return JSON.stringify([
      this.data?.table,
      this.labels?.table,
      this.label,
      this.threshold,
      $state.snapshot(this.layout),
      this.fromModels ? this.models.map((m) => m.name) : null,
    ]);
  }

  /** Looks for versions in each dataset, the log first; the labels file is the setup's. */
  async detect(): Promise<void> {
    this.searched = true;
    const all = this.datasets();
    const order = [...all.filter((d) => d.part === 'current'), ...all.filter((d) => d.part !== 'current' && d.part !== 'labels')];
    for (const d of order) {
      try {
        const found = await this.engine.detectVersions(d.table);
        if (!found) continue;
        this.data = d;
        this.detection = found;
        this.layout = found.layout;
        this.label ??= this.guessLabel();
        return;
      } catch (error) {
        if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
      }
    }
  }

  /** The user's choice of dataset: its versions read again. */
  async choose(data: Dataset): Promise<void> {
    this.data = data;
    this.result = null;
    if (this.fromModels) {
      this.label ??= this.guessLabel();
      return;
    }
    try {
      this.detection = await this.engine.detectVersions(data.table);
      this.layout = this.detection?.layout ?? null;
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.label ??= this.guessLabel();
  }

  setLayout(layout: VersionsLayout): void {
    this.fromModels = false;
    this.layout = layout;
  }

  async run(): Promise<void> {
    const { data, layout } = this;
    if (!data || !layout) return;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.busy = true;
    this.error = null;
    this.ranOn = this.runKey();
    const models = this.fromModels && this.models.length === 2 ? this.models : null;
    try {
      const result = await this.engine.with({ signal: controller.signal }).compareVersions({
        data: data.table,
        labels: this.labels?.table,
        ...(models
          ? { modelFiles: models.map((m) => ({ bytes: m.bytes.slice(), name: m.name })) }
          : { layout: $state.snapshot(layout) as VersionsLayout }),
        choices: { ...(this.label ? { label: this.label } : {}), ...(this.threshold !== null ? { threshold: this.threshold } : {}) },
      });
      if (controller === this.controller) this.result = result;
    } catch (error) {
      if (errorCode(error) !== 'cancelled' && controller === this.controller) {
        this.error = (error as Error).message;
        this.result = null;
      }
    } finally {
      if (controller === this.controller) this.busy = false;
    }
  }

  /** The proposed checks and the layout, as a suite's checks and settings (added to the Checks view's suite). */
  suiteAddition(): { checks: Check[]; versions: VersionsLayout } | null {
    if (!this.layout || !this.result || this.fromModels) return null;
    return { checks: this.checks.map((c) => c.check), versions: $state.snapshot(this.layout) as VersionsLayout };
  }

  reset(): void {
    this.controller?.abort();
    this.data = this.chosenLabels = this.layout = this.detection = this.result = null;
    this.label = null;
    this.threshold = null;
    this.error = null;
    this.busy = false;
    this.searched = false;
    this.models = [];
    this.fromModels = false;
    this.ranOn = null;
  }
}
