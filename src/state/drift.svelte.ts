import type {
  DriftBreakdown,
  DriftReport,
  Engine,
  Place,
  PlaceDrift,
  QualityReport,
  Setup,
  WindowDrift,
  WindowSpec,
} from '../client/engine';
import type { BreakdownCell } from '../lib/drift/breakdown';
import type { ColumnDrift } from '../lib/drift/columnDrift';
import { isoPoint } from '../lib/drift/place';
import type { ColumnSetting } from '../lib/drift/report';
import { driftNotices, type DriftNotice, type SplitInfo } from '../lib/drift/notices';
import { byScore } from '../lib/drift/output';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import { FREE_TEXT_REASON } from '../lib/drift/freeText';
import { EMBEDDING_SAMPLE, MultivariateState, TEXT_SAMPLE, type EmbeddingColumn, type MultivariateInputs } from './multivariate.svelte';

export type WindowChoice = 'hour' | 'day' | 'week' | 'month' | 'chunks';

/**
 * The drift investigation: which dataset is the reference and which the current data, the report,
 * and the column being looked at with its over-time and segment results. Results are large and
 * replaced whole ($state.raw).
 */
export class DriftState {
  referenceTable: string | null = $state(null);
  currentTable: string | null = $state(null);
  report: DriftReport | null = $state.raw(null);
  /** The time split of the run in progress or shown, when one dataset is compared with its own past. */
  split: SplitInfo | null = $state.raw(null);
  quality: QualityReport | null = $state.raw(null);
  running = $state(false);
  error: string | null = $state(null);
  selectedColumn: string | null = $state(null);
  windowChoice: WindowChoice = $state('week');
  chunks = $state(6);
  overTime: WindowDrift[] | null = $state.raw(null);
  selectedWindow: number | null = $state(null);
  /** The open column's drift in every segment x window cell, over every column that can segment. */
  breakdown: DriftBreakdown | null = $state.raw(null);
  columnBusy = $state(false);
  /** A place the open column is looked at in (a finding's segment and window, a breakdown row), and its drift there. */
  focus: Place | null = $state.raw(null);
  place: PlaceDrift | null = $state.raw(null);
  placeBusy = $state(false);
  /** The user picked the reference or the current data: the setup no longer moves them. */
  userPicked = $state(false);
  /** The user's method / threshold per column, and the share of drifted columns that makes dataset drift. */
  settings: Record<string, ColumnSetting> = $state({});
  driftShare = $state(0.5);
  /** Prefix groups (`emb_*`) the user asked to see column by column instead of as one embedding. */
  ungrouped: string[] = $state([]);
  /** When reference and current are the same dataset: the time (epoch ms) that splits it. */
  splitMs: number | null = $state(null);
  /** Drift of the columns together (reconstruction error), run with each report. */
  readonly multivariate: MultivariateState;
  private views: { reference: string; current: string } | null = null;
  private columnRequest = 0;
  /** Cancels the report and the quality checks of the run in progress. */
  private runController: AbortController | null = null;
  /** Cancels the open column's over-time and segment jobs. */
  private columnController: AbortController | null = null;

  /** The setup's time column of the log, as last followed. */
  private setupTimestamp: string | null = null;
  private placeRequest = 0;

  /**
   * `datasets` reads the workspace's loaded datasets (reactive: getters below follow it); `minSupport` the
   * smallest cell the investigation ranks, which the breakdown uses too (null: chosen from the log's size).
   */
  constructor(
    private readonly engine: Engine,
    private readonly datasets: () => Dataset[],
    private readonly minSupport: () => number | null = () => null,
  ) {
    this.multivariate = new MultivariateState(engine);
  }

  /** The user picks a side in the view: kept over whatever the setup says from now on. */
  pick(side: 'reference' | 'current', table: string): void {
    this.userPicked = true;
    if (side === 'reference') this.referenceTable = table;
    else this.currentTable = table;
  }

  /**
   * The setup changed: the reference and the current data follow it unless the user picked them; a
   * comparison already shown is run again on the new pair (and with the new roles).
   */
  followSetup(setup: Setup): void {
    this.setupTimestamp = setup.timestamp;
    const shown = this.report !== null || this.running;
    const before = `${this.referenceTable}|${this.currentTable}|${JSON.stringify(this.reference?.roles ?? {})}`;
    if (!this.userPicked) {
      if (setup.reference) this.referenceTable = setup.reference;
      if (setup.current) this.currentTable = setup.current;
    }
    const after = `${this.referenceTable}|${this.currentTable}|${JSON.stringify(this.reference?.roles ?? {})}`;
    if (shown && before !== after && this.reference && this.current) {
      const column = this.selectedColumn;
      void this.run().then(() => (column ? this.selectColumn(column) : undefined));
    }
  }

  // Getters over $state are reactive; they read the workspace's datasets, which a field initializer cannot.
  get reference(): Dataset | null {
    return this.datasets().find((d) => d.table === this.referenceTable) ?? null;
  }
  get current(): Dataset | null {
    return this.datasets().find((d) => d.table === this.currentTable) ?? null;
  }
  get sorted(): ColumnDrift[] {
    return this.report ? byScore(this.report.columns) : [];
  }
  get column(): ColumnDrift | null {
    return this.report?.columns.find((c) => c.name === this.selectedColumn) ?? null;
  }
  /** The current data's timestamp column (the setup's, else by role), if any: it enables drift over time. */
  get timestamp(): string | null {
    if (!this.current) return null;
    const byRole = this.current.columnsWithRole('timestamp');
    return this.setupTimestamp && byRole.includes(this.setupTimestamp) ? this.setupTimestamp : (byRole[0] ?? null);
  }

  /** Picks a reference and a current dataset when none is chosen: "train"-like names first as reference. */
  suggest(): void {
    const ds = this.datasets();
    if (ds.length < 2) return;
    // The workspace's setup first (which file is the training data and which the log, from their structure).
    const ref = ds.find((d) => d.part === 'reference');
    const log = ds.find((d) => d.part === 'current');
    if (!this.reference && ref) this.referenceTable = ref.table;
    // The same dataset on both sides is the user's choice to split it by time, never undone here.
    const samePicked = this.userPicked && this.currentTable === this.referenceTable;
    if ((!this.current || (!samePicked && this.currentTable === this.referenceTable)) && log && log.table !== this.referenceTable)
      this.currentTable = log.table;
    if (!this.reference) this.referenceTable = (ds.find((d) => /train|ref|baseline/i.test(d.name)) ?? ds[0]!).table;
    if (!this.current || (!samePicked && this.currentTable === this.referenceTable))
      this.currentTable = (
        ds.find((d) => d.table !== this.referenceTable && /prod|current|live|log/i.test(d.name)) ??
        ds.find((d) => d.table !== this.referenceTable)!
      ).table;
  }

  private tables() {
    return this.views ?? { reference: this.referenceTable!, current: this.currentTable! };
  }

  /** Two numerical columns at least: what the reconstruction of the columns together needs. */
  get hasColumnsTogether(): boolean {
    return this.togetherColumns.length >= 2;
  }

  /** The numerical features tested one by one (not the model's outputs, ids or timestamps). */
  get togetherColumns(): string[] {
    const r = this.report;
    if (!r) return [];
    return r.columns.filter((c) => c.kind === 'numerical' && !r.outputs.some((o) => o.name === c.name)).map((c) => c.name);
  }

  /** Free-text columns the report left out of the per-column tests. */
  get textColumns(): string[] {
    return this.report?.notTested.filter((n) => n.reason === FREE_TEXT_REASON).map((n) => n.name) ?? [];
  }

  /** Embeddings the report set apart: list and array columns, numbered columns grouped by prefix. */
  get embeddingColumns(): EmbeddingColumn[] {
    return this.report?.embeddings ?? [];
  }

  /** Compares one embedding on a sample the user asked for (too many numbers, or the MMD's pairs). */
  sampleEmbedding(name: string, size = EMBEDDING_SAMPLE): Promise<void> {
    const embedding = this.embeddingColumns.find((e) => e.name === name);
    return embedding ? this.multivariate.runEmbeddings(this.tables(), [embedding], size) : Promise.resolve();
  }

  /** Compares one embedding again, whole (after a cancel or a failure). */
  compareEmbedding(name: string): Promise<void> {
    const embedding = this.embeddingColumns.find((e) => e.name === name);
    return embedding ? this.multivariate.runEmbeddings(this.tables(), [embedding]) : Promise.resolve();
  }

  /** Shows a prefix group's columns one by one in the table (or groups them again), and compares anew. */
  setGrouped(name: string, grouped: boolean): Promise<void> {
    const others = this.ungrouped.filter((n) => n !== name);
    this.ungrouped = grouped ? others : [...others, name];
    return this.run();
  }

  /** Compares one free-text column on a sample, for a column with too many texts to move whole. */
  sampleText(column: string): Promise<void> {
    return this.multivariate.runTexts(this.tables(), [column], TEXT_SAMPLE);
  }

  /** What the shown report left out or could not compare, above its table. */
  get notices(): DriftNotice[] {
    return this.report ? driftNotices(this.report, this.split) : [];
  }

  /** True when one dataset is compared with itself, split by time. */
  get splitting(): boolean {
    return this.referenceTable !== null && this.referenceTable === this.currentTable;
  }

  async run(): Promise<void> {
    if (!this.reference || !this.current) return;
    this.cancel();
    const controller = (this.runController = new AbortController());
    const call = this.engine.with({ signal: controller.signal, priority: 'user' });
    this.running = true;
    this.error = null;
    this.selectedColumn = null;
    this.overTime = null;
    this.breakdown = null;
    this.focus = null;
    this.place = null;
    try {
      this.views = null;
      if (this.splitting) {
        if (!this.timestamp || this.splitMs === null)
          throw new Error('To compare a dataset with itself, give a timestamp column and a split time.');
        this.views = await call.splitByTime(this.currentTable!, this.timestamp, this.splitMs);
        const timestamp = this.timestamp;
        this.split = { timestamp, unreadable: await call.rowsWithoutTime(this.currentTable!, timestamp) };
      } else this.split = null;
      const reference = this.reference;
      const current = this.current;
      this.report = await call.driftReport(this.tables(), {
        roles: { ...reference.roles },
        perColumn: $state.snapshot(this.settings),
        driftShare: this.driftShare,
        ...(this.ungrouped.length ? { ungroupEmbeddings: $state.snapshot(this.ungrouped) } : {}),
      });
      const together = this.hasColumnsTogether ? this.multivariate.run(this.multivariateInputs()) : Promise.resolve();
      // The columns-together and free-text analyses run behind the report; a failure there is theirs to show.
      void together
        .then(() => this.multivariate.runTexts(this.tables(), this.textColumns))
        .then(() => this.multivariate.runEmbeddings(this.tables(), this.embeddingColumns))
        .catch((error: unknown) => {
          if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
        });
      const id = current.columnsWithRole('id')[0];
      this.quality = await call.dataQuality(this.tables(), id);
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (this.runController === controller) {
        this.running = false;
        this.runController = null;
      }
    }
  }

  /**
   * What the multivariate drift compares: the view's windows when both sides have the timestamp column
   * (chunks of rows when the user chose chunks or there is no shared time column).
   */
  multivariateInputs(): MultivariateInputs {
    const ts = this.timestamp;
    const shared = ts !== null && (this.splitting || (this.reference?.columns.some((c) => c.name === ts) ?? false));
    const unit = this.windowChoice === 'chunks' ? null : this.windowChoice;
    return {
      tables: this.tables(),
      columns: this.togetherColumns,
      time: shared && unit ? { timestamp: ts, unit } : null,
      chunks: this.chunks,
    };
  }

  /** Stops the report, the quality checks and the multivariate drift, whichever is running. */
  cancel(): void {
    this.multivariate.cancel();
    this.runController?.abort();
    this.runController = null;
    this.running = false;
  }

  spec(): WindowSpec {
    return this.windowChoice === 'chunks' ? { chunks: this.chunks } : { unit: this.windowChoice };
  }

  /**
   * Opens a column: its drift over time and by segment are computed in the engine. Opening another column
   * cancels the jobs of the previous one, and results that arrive late for a column no longer shown are
   * dropped.
   */
  async selectColumn(name: string | null, focus: Place | null = null): Promise<void> {
    const request = ++this.columnRequest;
    this.columnController?.abort();
    const controller = (this.columnController = new AbortController());
    const call = this.engine.with({ signal: controller.signal, priority: 'user' });
    this.selectedColumn = name;
    this.overTime = null;
    this.breakdown = null;
    this.selectedWindow = null;
    this.focus = focus;
    this.place = null;
    const column = this.column;
    if (!column || column.score === null) {
      this.columnBusy = false;
      return;
    }
    const stale = () => request !== this.columnRequest;
    this.columnBusy = true;
    try {
      // The place first: it is what the user opened the column for.
      if (focus) await this.loadPlace();
      if (stale()) return;
      const time = this.timestamp ? { timestamp: this.timestamp, spec: this.spec() } : undefined;
      if (time) {
        const overTime = await call.driftOverTime(this.tables(), this.test(column), time.timestamp, time.spec);
        if (stale()) return;
        this.overTime = overTime;
      }
      const breakdown = await call.driftBreakdown(this.tables(), this.test(column), {
        roles: { ...this.current!.roles },
        time,
        minSupport: this.minSupport(),
      });
      if (stale()) return;
      this.breakdown = breakdown;
    } catch (error) {
      if (!stale() && errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (!stale()) this.columnBusy = false;
    }
  }

  private test(column: ColumnDrift) {
    return { name: column.name, kind: column.kind, method: column.method, threshold: column.threshold };
  }

  /**
   * Opens a column in a place (a finding's link): the comparison of the setup's pair runs first when it is
   * not on screen, then the column opens with the place's own distributions.
   */
  async focusOn(column: string, place: Place | null): Promise<void> {
    if (!this.report || this.running) {
      if (!this.reference || !this.current) this.suggest();
      await this.run();
    }
    await this.selectColumn(column, place);
  }

  /** Opens a breakdown row: the segment's own distributions in that window (or over the whole log). */
  async openCell(cell: BreakdownCell): Promise<void> {
    this.focus = {
      segment: [cell.segment],
      window: cell.window ? { start: isoPoint(cell.window.start), end: isoPoint(cell.window.end) } : null,
    };
    await this.loadPlace();
  }

  clearFocus(): void {
    this.focus = null;
    this.place = null;
  }

  private async loadPlace(): Promise<void> {
    const column = this.column;
    const focus = this.focus;
    if (!column || !focus) return;
    const request = ++this.placeRequest;
    this.placeBusy = true;
    try {
      const place = await this.engine
        .with({ signal: this.columnController?.signal, priority: 'user' })
        .driftInPlace(this.tables(), this.test(column), $state.snapshot(focus) as Place, this.timestamp);
      if (request === this.placeRequest) this.place = place;
    } catch (error) {
      if (request === this.placeRequest && errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (request === this.placeRequest) this.placeBusy = false;
    }
  }

  /** Sets a column's method and threshold (null: back to the default) and recomputes the report. */
  async configure(column: string, setting: ColumnSetting | null): Promise<void> {
    if (setting) this.settings[column] = setting;
    else delete this.settings[column];
    await this.run();
    await this.selectColumn(column);
  }

  async changeWindows(choice: WindowChoice): Promise<void> {
    this.windowChoice = choice;
    if (this.report && this.hasColumnsTogether) void this.multivariate.run(this.multivariateInputs());
    if (this.selectedColumn) await this.selectColumn(this.selectedColumn);
  }
}
