import type { Comparison, Engine, VersionsDetection } from '../client/engine';
import type { Check } from '../lib/checks/suite';
import {
  judgeVersionCheck,
  proposedVersionChecks,
  versionCheckTitle,
  type VersionCheck,
  type VersionCheckVerdict,
} from '../lib/versions/checks';
import type { VersionsLayout } from '../lib/versions/types';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

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

  readonly comparison = $derived(this.result?.comparisons[0] ?? null);
  readonly verdict = $derived(this.comparison?.verdict ?? null);
  readonly checks: ProposedCheck[] = $derived(
    this.result
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
    await this.detect();
    if (this.layout && this.data) await this.run();
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
    try {
      this.detection = await this.engine.detectVersions(data.table);
      this.layout = this.detection?.layout ?? null;
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.label ??= this.guessLabel();
  }

  setLayout(layout: VersionsLayout): void {
    this.layout = layout;
  }

  async run(): Promise<void> {
    const { data, layout } = this;
    if (!data || !layout) return;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.busy = true;
    this.error = null;
    try {
      const result = await this.engine.with({ signal: controller.signal }).compareVersions({
        data: data.table,
        labels: this.labels?.table,
        layout: $state.snapshot(layout) as VersionsLayout,
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
    if (!this.layout || !this.result) return null;
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
  }
}
