import { engine, proxy } from '../client/engine';
import type { LoadProgress } from '../lib/ingest';
import { columnsFit, type LoadFit } from '../lib/ingestFit';
import { inferRoles } from '../lib/roles';
import { kindOfType } from '../lib/schema';
import type { LoadChoice } from '../client/engine';
import { errorCode } from '../rpc/errors';
import { Dataset } from './dataset.svelte';
import { Explanation } from './explain.svelte';
import { DriftState } from './drift.svelte';
import { LoadJob } from './loadJob.svelte';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** A file that did not fit in the engine, and the parts of it that would (src/lib/ingestFit.ts). */
export interface LoadOffer {
  id: number;
  name: string;
  blob: Blob;
  message: string;
  fit: LoadFit;
  /** The columns the analyses use (every inferred role but "ignore"), when they fit with every row. */
  needed: string[] | null;
}

/** Files of the bundled demo, served from the app's own origin. */
export const DEMO_FILES = ['demo/training.csv', 'demo/production.csv', 'demo/labels.csv'];
/** The demo's model, loaded after its data so its features match at once. */
export const DEMO_MODEL = 'demo/model.json';
/** The first page of a workspace: how the model is doing at a glance, each item linking to its detail. */
export const FIRST_VIEW = 'overview';

/**
 * The investigation the user is building: datasets, loads in flight, notices and where they are.
 * Views read it; only its methods change it.
 */
export class Workspace {
  datasets: Dataset[] = $state([]);
  jobs: LoadJob[] = $state([]);
  notices: Notice[] = $state([]);
  offers: LoadOffer[] = $state([]);
  selectedTable: string | null = $state(null);
  /**
   * The view shown: a workspace opens on its saved view, or on the Overview when it has none (issue 9); a
   * dropped file is shown in the Data view. (The demo does not switch to the Overview by itself: the
   * Overview starts the whole check suite, which would hold the one engine while the user looks elsewhere.)
   */
  view: string = $state(FIRST_VIEW);
  /** Free text the user keeps with the workspace (saved with it). */
  notes: string = $state('');
  readonly selected = $derived(this.datasets.find((d) => d.table === this.selectedTable) ?? null);
  /** The model being explained and everything computed from it. */
  readonly explain = new Explanation(
    () => this.datasets,
    (kind, message) => this.notify(kind, message),
  );
  readonly drift: DriftState = new DriftState(this);
  private nextTable = 1;
  private nextNotice = 1;

  /** Loads files one after another: the engine has one connection, and order keeps table names stable. */
  async addFiles(files: Iterable<File>): Promise<void> {
    for (const file of files) {
      // Model files are told apart from data files by their content, not their name.
      if (await this.explain.isModelFile(file)) await this.explain.loadModelFile(file, file.name);
      else await this.addFile(file, file.name);
    }
  }

  async addFile(blob: Blob, name: string, choice: LoadChoice = {}): Promise<Dataset | null> {
    const job = new LoadJob(name);
    this.jobs.push(job);
    const table = `ds_${this.nextTable++}`;
    try {
      const onProgress = proxy((p: LoadProgress) => {
        job.progress = p;
      });
      // A load is work the user asked for: the engine runs it ahead of the cards' column summaries.
      const loaded = await engine().with({ signal: job.signal, priority: 'user' }).loadFile(blob, name, table, onProgress, choice);
      const dataset = new Dataset(loaded);
      this.datasets.push(dataset);
      this.selectedTable = dataset.table;
      this.view = 'data';
      void this.profile(dataset);
      void this.explain.refreshMatches();
      return dataset;
    } catch (error) {
      const fit = (error as { fit?: LoadFit }).fit;
      if (errorCode(error) === 'cancelled') this.notify('info', `Loading "${name}" was cancelled. Nothing was changed.`);
      else if (errorCode(error) === 'too-large' && fit) this.offerPartOf(blob, name, (error as Error).message, fit);
      else this.notify('error', (error as Error).message);
      return null;
    } finally {
      this.jobs = this.jobs.filter((j) => j.id !== job.id);
    }
  }

  async loadDemo(): Promise<void> {
    for (const path of DEMO_FILES) {
      const response = await fetch(path);
      if (!response.ok) {
        this.notify('error', `The demo file ${path} is missing from this build (HTTP ${response.status}).`);
        return;
      }
      await this.addFile(await response.blob(), path.split('/').pop()!);
    }
    const model = await fetch(DEMO_MODEL);
    if (model.ok) await this.explain.loadModelFile(await model.blob(), 'model.json');
  }

  /**
   * Column summaries for a dataset card: background work, which the engine interrupts whenever an
   * analysis needs it and resumes afterwards.
   */
  private async profile(dataset: Dataset): Promise<void> {
    try {
      dataset.profile = await engine().with({ priority: 'background' }).profile(dataset.table);
      dataset.profileError = null;
    } catch (error) {
      if (errorCode(error) !== 'cancelled') dataset.profileError = (error as Error).message;
    }
  }

  async removeDataset(table: string): Promise<void> {
    this.datasets = this.datasets.filter((d) => d.table !== table);
    if (this.selectedTable === table) this.selectedTable = this.datasets[0]?.table ?? null;
    await engine().dropTable(table);
  }

  /**
   * Puts datasets whose tables the engine already holds (a reopened workspace, src/state/persistence)
   * in place of the current ones; their profiles are computed again from the restored data.
   */
  adoptRestored(datasets: Dataset[]): void {
    this.reserveTables(datasets.map((d) => d.table));
    // Files dropped while the workspace was being restored stay, after the restored datasets.
    this.datasets = [...datasets, ...this.datasets.filter((d) => !datasets.some((r) => r.table === d.table))];
    for (const d of datasets) void this.profile(d);
    this.selectedTable = datasets[0]?.table ?? this.datasets[0]?.table ?? null;
  }

  /** Makes sure files loaded from now on never take the table name of a dataset being restored. */
  reserveTables(tables: string[]): void {
    for (const table of tables) {
      const n = Number(/^ds_(\d+)$/.exec(table)?.[1] ?? 0);
      if (n >= this.nextTable) this.nextTable = n + 1;
    }
  }

  /** Empties the workspace and drops its tables from the engine (before another workspace is opened). */
  async clear(): Promise<void> {
    const tables = this.datasets.map((d) => d.table);
    this.datasets = [];
    this.selectedTable = null;
    this.view = FIRST_VIEW;
    this.notes = '';
    for (const table of tables) await engine().dropTable(table);
  }

  select(table: string): void {
    this.selectedTable = table;
  }

  /** A dataset picked in the list: selected and shown in the Data view. */
  show(table: string): void {
    this.selectedTable = table;
    this.view = 'data';
  }

  /** Offers the parts of a file that fit: a uniform sample of the rows, or the columns the analyses use. */
  private offerPartOf(blob: Blob, name: string, message: string, fit: LoadFit): void {
    const roles = inferRoles(fit.names.map((c) => ({ name: c.name, type: c.type, kind: kindOfType(c.type) })));
    const needed = fit.names.filter((c) => roles[c.name] !== 'ignore').map((c) => c.name);
    this.offers.push({
      id: this.nextNotice++,
      name,
      blob,
      message,
      fit,
      needed: needed.length > 0 && needed.length < fit.names.length && columnsFit(fit, needed) ? needed : null,
    });
  }

  /** Takes an offer: loads the sample or the needed columns; the offer goes either way. */
  async acceptOffer(id: number, part: 'sample' | 'columns'): Promise<void> {
    const offer = this.offers.find((o) => o.id === id);
    this.offers = this.offers.filter((o) => o.id !== id);
    if (!offer) return;
    const choice: LoadChoice =
      part === 'columns' && offer.needed
        ? { columns: offer.needed }
        : { sample: Math.max(0.0001, offer.fit.rows / Math.max(1, offer.fit.totalRows)) };
    await this.addFile(offer.blob, offer.name, choice);
  }

  dismissOffer(id: number): void {
    this.offers = this.offers.filter((o) => o.id !== id);
  }

  notify(kind: Notice['kind'], message: string): void {
    this.notices.push({ id: this.nextNotice++, kind, message });
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }
}

export const workspace = new Workspace();
