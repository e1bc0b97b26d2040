import { HistoryState, isProfileFile } from './history.svelte';
import { proxy, type Engine, type Setup } from '../client/engine';
import type { FindingLink } from '../lib/findings/types';
import type { ShapPool } from '../client/shapPool';
import type { LoadProgress } from '../lib/ingest';
import { rowsFromIpc } from '../lib/arrowIpcRows';
import type { LanternDexie } from '../persistence';
import { columnsFit, type LoadFit } from '../lib/ingestFit';
import { inferRoles } from '../lib/roles';
import { kindOfType } from '../lib/schema';
import type { LoadChoice, LoadedWithRoles } from '../client/engine';
import { errorCode } from '../rpc/errors';
import { ChartSettings } from './chartSettings.svelte';
import { ChecksState } from './checks.svelte';
import { Dataset } from './dataset.svelte';
import { DriftState } from './drift.svelte';
import { OpsState } from './ops.svelte';
import { ConsoleState } from './console.svelte';
import { EngineRuntimeState } from './engineRuntime.svelte';
import { InvestigationState } from './investigation.svelte';
import { Explanation } from './explain.svelte';
import { LoadJob } from './loadJob.svelte';
import type { Notice } from './notices';
import { OfflineSupport } from './offline.svelte';
import { PerformanceState } from './performance.svelte';
import { ValidationState } from './validation.svelte';
import { PersistenceSession } from './persistence.svelte';
import { registerWorkspaceSections } from './sections';
import { SetupLink } from './setupLink.svelte';
import { ViewRoute } from './route.svelte';
import type { ExportTable } from '../lib/exportTable';
import { VersionsState } from './versions.svelte';
import { DetachedDatasets, FIRST_VIEW } from './workspaceSection.svelte';

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

/** What the workspace is built with: made once by `src/main.ts` (tests pass fakes). */
export interface WorkspaceDeps {
  /** The engine worker's client: every query of every analysis goes through it. */
  engine: Engine;
  /** The TreeSHAP worker pool: model files, prediction replay and SHAP values. */
  shap: ShapPool;
  /** Opens the browser database that saved workspaces live in (called when the persistence session starts). */
  openStorage: () => LanternDexie;
}

/**
 * The investigation the user is building, and the one root of the page's state: datasets, loads in
 * flight, notices and where the user is, plus every analysis state, each made here with what it needs
 * (the engine client, the SHAP pool, a way to read the datasets, a way to notify). Components get it from
 * Svelte context (`useWorkspace()`, src/state/context.ts); nothing else holds state. Views read it; only
 * its methods and its analyses' methods change it.
 */
export class Workspace {
  datasets: Dataset[] = $state([]);
  jobs: LoadJob[] = $state([]);
  notices: Notice[] = $state([]);
  offers: LoadOffer[] = $state([]);
  selectedTable: string | null = $state(null);
  /**
   * The view shown: a workspace opens on its saved view, or on the Overview when it has none; a
   * dropped file is shown in the Data view, files dropped together and the demo on the Overview.
   */
  view: string = $state(FIRST_VIEW);
  /** Free text the user keeps with the workspace (saved with it). */
  notes: string = $state('');
  readonly selected = $derived(this.datasets.find((d) => d.table === this.selectedTable) ?? null);
  /**
   * Which dataset is the training data, the log and the labels, and which column holds what: inferred
   * from the files' structure whenever datasets or hand-set roles change; every view reads it.
   */
  setup: Setup | null = $state.raw(null);
  /** The ranked findings over the setup: what the Overview shows. */
  readonly investigation: InvestigationState;
  /** What every chart shares: the minimum support below which windows and cells are greyed. */
  readonly charts = new ChartSettings(() => this.investigation.result?.minSupport ?? null);
  /** Datasets of a settings-only workspace, known by their saved description only. */
  readonly detached = new DetachedDatasets();
  /** The model being explained and everything computed from it. */
  readonly explain: Explanation;
  readonly drift: DriftState;
  readonly performance: PerformanceState;
  readonly ops: OpsState;
  readonly console: ConsoleState;
  /** The check suite and its last run, behind the Overview and Checks views. */
  readonly checks: ChecksState;
  /** Champion against challenger, when the log holds model versions. */
  readonly versions: VersionsState;
  readonly validation: ValidationState;
  /** The series of batch profiles against a reference, behind the History view. */
  readonly history: HistoryState;
  /** Saving and reopening workspaces, `.lantern` files, and the tabs that share the browser's storage. */
  readonly persistence: PersistenceSession;
  readonly setupLink: SetupLink;
  /** The view, dataset and drift column in the address bar: Back, Forward, reload and bookmarks. */
  readonly route: ViewRoute = new ViewRoute(this);
  /** The service worker as the user sees it: offline readiness and waiting updates. */
  readonly offline = new OfflineSupport();
  /** How the engine runs in this tab (bundle, threads, isolation), for the status line. */
  readonly engineRuntime: EngineRuntimeState;
  private readonly engine: Engine;
  private nextTable = 1;
  private nextNotice = 1;
  private nextLoad = 1;

  constructor({ engine, shap, openStorage }: WorkspaceDeps) {
    this.engine = engine;
    const datasets = () => this.datasets;
    const notify = (kind: Notice['kind'], message: string) => this.notify(kind, message);
    this.explain = new Explanation(engine, shap, datasets, notify);
    this.investigation = new InvestigationState(engine, () => this.explain.modelFile);
    // The breakdown of the Drift view uses the investigation's smallest cell, so both say the same "too small".
    this.drift = new DriftState(engine, datasets, () => this.investigation.minSupport ?? this.investigation.result?.minSupport ?? null);
    this.performance = new PerformanceState(engine, datasets);
    this.ops = new OpsState(engine, datasets);
    this.console = new ConsoleState(engine, {
      get datasets() {
        return datasets();
      },
      analysisTable: () => this.performance.summary?.table ?? null,
      addDerived: (name, make) => this.addDerived(name, make),
    });
    this.checks = new ChecksState(engine, () => this.explain.modelFile);
    this.versions = new VersionsState(engine, datasets);
    this.validation = new ValidationState(
      engine,
      () => this.datasets,
      () => this.explain.modelFile,
    );
    this.history = new HistoryState(engine, notify);
    this.persistence = new PersistenceSession(engine, openStorage, this);
    this.setupLink = new SetupLink(this);
    this.engineRuntime = new EngineRuntimeState(engine);
    registerWorkspaceSections(this, engine, this.persistence.sections, this.setupLink);
  }

  /**
   * Loads files one after another: the engine has one connection, and order keeps table names stable.
   * Several data files dropped together are a deployment (training data, log, labels): the Overview,
   * whose findings are computed as soon as they are in, is shown; a single file is shown in the Data view.
   */
  async addFiles(files: Iterable<File>): Promise<void> {
    let loaded = 0;
    // A setup link being applied says which view to show; so does a user who moved on meanwhile.
    const linked = this.setupLink.pending !== null;
    for (const file of files) {
      // Model files are told apart from data files by their content, not their name.
      if (await isProfileFile(file)) {
        // A profile is a batch of the history (or its reference), not rows to load.
        if (await this.history.addProfileFile(file, file.name)) this.view = 'history';
      } else if (await this.explain.isModelFile(file)) {
        await this.explain.loadModelFile(file, file.name);
        // Two model files are two versions: the Versions view compares them on the log.
        if (this.explain.modelFile?.name === file.name) {
          void this.versions.addModel({ bytes: this.explain.modelFile.bytes, name: file.name });
          const [champion, challenger] = this.versions.models;
          if (champion && challenger)
            this.notify('info', `Two model files: the Versions view compares "${challenger.name}" against "${champion.name}" on the log.`);
        }
        // The model adds what it relies on to the findings.
        if (this.setup && this.explain.modelFile) void this.investigation.run(this.setup, true);
      } else if (await this.addFile(file, file.name)) loaded++;
    }
    if (loaded >= 2 && !linked && this.view === 'data') this.view = 'overview';
  }

  async addFile(blob: Blob, name: string, choice: LoadChoice = {}): Promise<Dataset | null> {
    const job = new LoadJob(`load-${this.nextLoad++}`, name);
    this.jobs.push(job);
    const table = `ds_${this.nextTable++}`;
    try {
      const onProgress = proxy((p: LoadProgress) => {
        job.progress = p;
      });
      // A load is work the user asked for: the engine runs it ahead of the cards' column summaries.
      const loaded = await this.engine.with({ signal: job.signal, priority: 'user' }).loadFile(blob, name, table, onProgress, choice);
      const dataset = new Dataset(loaded);
      this.datasets.push(dataset);
      this.selectedTable = dataset.table;
      this.view = 'data';
      this.watch(dataset);
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

  /** Adds a dataset the app made (a console result kept as a table) under a new dataset table name. */
  async addDerived(name: string, make: (table: string) => Promise<LoadedWithRoles>): Promise<Dataset | null> {
    const table = `ds_${this.nextTable++}`;
    try {
      const dataset = new Dataset(await make(table));
      this.datasets.push(dataset);
      this.watch(dataset);
      void this.profile(dataset);
      this.notify('info', `"${name}" was added to the workspace as a dataset.`);
      return dataset;
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.notify('error', (error as Error).message);
      return null;
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
    this.view = 'overview';
    const model = await fetch(DEMO_MODEL);
    if (model.ok) {
      await this.explain.loadModelFile(await model.blob(), 'model.json');
      if (this.setup && this.explain.modelFile) void this.investigation.run(this.setup, true);
    }
  }

  /**
   * Column summaries for a dataset card: background work, which the engine interrupts whenever an
   * analysis needs it and resumes afterwards.
   */
  private async profile(dataset: Dataset): Promise<void> {
    if (dataset.lazyProfile) {
      // Summarised as the Data view shows the columns (profileColumns).
      dataset.profile ??= [];
      return;
    }
    try {
      dataset.profile = await this.engine.with({ priority: 'background' }).profile(dataset.table);
      dataset.profileError = null;
    } catch (error) {
      if (errorCode(error) !== 'cancelled') dataset.profileError = (error as Error).message;
    }
  }

  // Bookkeeping only; nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private profileBatches = new Map<string, string[]>();

  /**
   * Summaries of some columns of a wide dataset, asked as they come into view: requests within a few
   * milliseconds go to the engine together, and a column is asked for once.
   */
  profileColumns(dataset: Dataset, names: readonly string[]): void {
    const wanted = names.filter((n) => !dataset.profileAsked.has(n));
    if (wanted.length === 0) return;
    for (const n of wanted) dataset.profileAsked.add(n);
    const batch = this.profileBatches.get(dataset.table);
    if (batch) {
      batch.push(...wanted);
      return;
    }
    this.profileBatches.set(dataset.table, [...wanted]);
    setTimeout(() => {
      const names = this.profileBatches.get(dataset.table) ?? [];
      this.profileBatches.delete(dataset.table);
      void this.engine
        .with({ priority: 'user' })
        .profile(dataset.table, names)
        .then((got) => {
          dataset.profile = [...(dataset.profile ?? []), ...got];
          dataset.profileError = null;
        })
        .catch((error: unknown) => {
          for (const n of names) dataset.profileAsked.delete(n);
          if (errorCode(error) !== 'cancelled') dataset.profileError = (error as Error).message;
        });
    }, 20);
  }

  async removeDataset(table: string): Promise<void> {
    this.datasets = this.datasets.filter((d) => d.table !== table);
    if (this.selectedTable === table) this.selectedTable = this.datasets[0]?.table ?? null;
    await this.engine.dropTable(table);
    this.refreshSetup();
  }

  private watch(dataset: Dataset): void {
    dataset.onRolesChanged = () => this.refreshSetup();
    this.refreshSetup();
  }

  private setupTimer: ReturnType<typeof setTimeout> | undefined;
  private setupController: AbortController | null = null;

  /**
   * Infers the setup again (soon: several files dropped together or several roles changed count once),
   * applies the inferred roles to every column the user did not set, and starts the investigation.
   */
  refreshSetup(): void {
    clearTimeout(this.setupTimer);
    this.setupTimer = setTimeout(() => void this.inferSetup(), 30);
  }

  private async inferSetup(): Promise<void> {
    this.setupController?.abort();
    const controller = (this.setupController = new AbortController());
    const datasets = this.datasets;
    if (datasets.length === 0) {
      this.setup = null;
      this.investigation.reset();
      return;
    }
    try {
      const setup = await this.engine
        .with({ signal: controller.signal, priority: 'user' })
        .inferSetup(datasets.map((d) => ({ table: d.table, name: d.name, userRoles: $state.snapshot(d.userRoles) })));
      if (controller !== this.setupController) return;
      for (const d of setup.datasets) this.datasets.find((x) => x.table === d.table)?.applySetup(d);
      this.setup = setup;
      // Other files (or roles) may hold versions the last search did not see: the next visit searches again.
      if (!this.versions.result && !this.versions.busy) this.versions.searched = false;
      void this.investigation.run(setup);
      // Every view reads the same roles: each analysis follows the new setup.
      this.drift.followSetup(setup);
      this.performance.followSetup(setup);
      this.versions.followSetup();
      void this.checks.followSetup(setup, this.datasets);
    } catch (error) {
      if (errorCode(error) !== 'cancelled' && controller === this.setupController) this.notify('error', (error as Error).message);
    }
  }

  /**
   * Puts datasets whose tables the engine already holds (a reopened workspace, src/state/persistence.svelte.ts)
   * in place of the current ones; their profiles are computed again from the restored data.
   */
  adoptRestored(datasets: Dataset[]): void {
    this.reserveTables(datasets.map((d) => d.table));
    // Files dropped while the workspace was being restored stay, after the restored datasets.
    this.datasets = [...datasets, ...this.datasets.filter((d) => !datasets.some((r) => r.table === d.table))];
    for (const d of datasets) {
      void this.profile(d);
      d.onRolesChanged = () => this.refreshSetup();
    }
    this.refreshSetup();
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
    this.setup = null;
    this.investigation.reset();
    // Picks the user made among the old datasets mean nothing for the next ones.
    this.drift.userPicked = false;
    this.performance.userSources = false;
    this.checks.userSources = false;
    this.versions.reset();
    this.selectedTable = null;
    this.view = FIRST_VIEW;
    this.notes = '';
    for (const table of tables) await this.engine.dropTable(table);
  }

  /** Rows `offset`.. of a dataset for the preview table, one array of cell values per row. */
  async previewRows(dataset: Pick<Dataset, 'table' | 'columns'>, offset: number, limit: number): Promise<unknown[][]> {
    return rowsFromIpc(await this.engine.preview(dataset.table, offset, limit), dataset.columns.length);
  }

  /** Rows of some columns only (a wide dataset's preview shows a window of its columns). */
  async previewColumns(table: string, names: string[], offset: number, limit: number): Promise<unknown[][]> {
    return rowsFromIpc(await this.engine.preview(table, offset, limit, names), names.length);
  }

  /**
   * Opens a finding where it shows: the drift view on its column with its segment and window (the
   * segment's own distributions), the performance view focused on its segment, or the data view on the
   * dataset that holds its column.
   */
  async open(link: FindingLink): Promise<void> {
    const place = { segment: link.segment ?? [], window: link.window ?? null };
    this.view = link.view;
    if (link.view === 'drift' && link.column) await this.drift.focusOn(link.column, place);
    else if (link.view === 'performance') await this.performance.focusOn(place);
    else if (link.view === 'data') {
      const holder = this.datasets.find((d) => d.table === this.setup?.current && d.columns.some((c) => c.name === link.column));
      const any = holder ?? this.datasets.find((d) => d.columns.some((c) => c.name === link.column));
      if (any) this.selectedTable = any.table;
    }
  }

  /** A table a view shows, as a Parquet file written by the engine worker. */
  exportParquet(table: ExportTable): Promise<Uint8Array> {
    return this.engine.with({ priority: 'user' }).viewTableParquet(table);
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
