import type { ColumnInfo } from '../lib/schema';
import type { ConsoleResult, ConsoleTable, Engine, LoadedWithRoles, ResultChartData, ResultChartSpec } from '../client/engine';
import { chartChoices } from '../lib/console/chart';
import { uniqueTableNames } from '../lib/console/readOnly';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

/** The most queries the history keeps (the newest first). */
export const HISTORY_LIMIT = 50;

/** What the console needs from the workspace: its datasets, the analysis table, and a way to add a dataset. */
export interface ConsoleHost {
  readonly datasets: readonly Dataset[];
  /** The joined analysis table of the performance view, when it is open. */
  analysisTable(): string | null;
  /** Adds a dataset made by `make(table)` under a new dataset table name. */
  addDerived(name: string, make: (table: string) => Promise<LoadedWithRoles>): Promise<Dataset | null>;
}

/**
 * The SQL console: read-only DuckDB queries over the workspace's tables (each dataset under its file's
 * name, and `analysis` for the joined analysis table), the result paged, charted and exported, a history
 * saved with the workspace, and "create table from result" as the one way to add a dataset.
 */
export class ConsoleState {
  text = $state('');
  history: string[] = $state.raw([]);
  result: ConsoleResult | null = $state.raw(null);
  error: string | null = $state(null);
  running = $state(false);
  chart: { spec: ResultChartSpec; data: ResultChartData } | null = $state.raw(null);
  chartError: string | null = $state(null);
  /** Columns of the analysis table (the datasets' are known on the page). */
  private analysisColumns: ColumnInfo[] = $state.raw([]);
  private controller: AbortController | null = null;

  readonly tables: ConsoleTable[] = $derived.by(() => {
    const names = uniqueTableNames(
      this.host.datasets.map((d) => d.name),
      ['analysis'],
    );
    const out = this.host.datasets.map((d, i) => ({ name: names[i]!, table: d.table }));
    const analysis = this.host.analysisTable();
    return analysis ? [...out, { name: 'analysis', table: analysis }] : out;
  });

  /** Table name -> column names, for completion. */
  readonly schema: Record<string, string[]> = $derived.by(() => {
    const out: Record<string, string[]> = {};
    for (const t of this.tables) {
      const d = this.host.datasets.find((x) => x.table === t.table);
      out[t.name] = (d ? d.columns : this.analysisColumns).map((c) => c.name);
    }
    return out;
  });

  readonly chartChoices: ResultChartSpec[] = $derived(this.result ? chartChoices(this.result.columns) : []);

  constructor(
    private readonly engine: Engine,
    private readonly host: ConsoleHost,
  ) {}

  /** Reads the analysis table's columns for completion (datasets' columns are already known). */
  async refreshSchema(): Promise<void> {
    const analysis = this.host.analysisTable();
    if (!analysis) return;
    try {
      const described = await this.engine.with({ priority: 'view' }).describeTables([analysis]);
      this.analysisColumns = described[analysis] ?? [];
    } catch {
      this.analysisColumns = [];
    }
  }

  /** Runs the query; a run in progress is cancelled first. A failed or cancelled run keeps the last result. */
  async run(): Promise<void> {
    const text = this.text.trim();
    if (!text) {
      this.error = 'Write a query first, e.g. SELECT * FROM <table> LIMIT 10.';
      return;
    }
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.running = true;
    this.error = null;
    this.history = [text, ...this.history.filter((h) => h !== text)].slice(0, HISTORY_LIMIT);
    try {
      const result = await this.engine
        .with({ signal: controller.signal, priority: 'user' })
        .runConsoleQuery(text, $state.snapshot(this.tables));
      if (controller !== this.controller) return;
      this.result = result;
      this.chart = null;
      this.chartError = null;
    } catch (error) {
      if (controller !== this.controller) return;
      this.error = errorCode(error) === 'cancelled' ? 'The query was cancelled; the last result is still shown.' : (error as Error).message;
    } finally {
      if (controller === this.controller) {
        this.running = false;
        this.controller = null;
      }
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  async drawChart(spec: ResultChartSpec | undefined = this.chartChoices[0]): Promise<void> {
    const result = this.result;
    if (!result || !spec) return;
    this.chartError = null;
    try {
      const data = await this.engine.with({ priority: 'user' }).consoleChart(result.table, spec);
      if (result === this.result) this.chart = { spec, data };
    } catch (error) {
      this.chartError = (error as Error).message;
    }
  }

  async exportResult(format: 'csv' | 'parquet'): Promise<Uint8Array | null> {
    const result = this.result;
    if (!result) return null;
    try {
      return await this.engine.with({ priority: 'user' }).exportConsoleResult(result.table, format);
    } catch (error) {
      this.error = (error as Error).message;
      return null;
    }
  }

  /** Keeps the result as a new dataset (the explicit way the console adds to the workspace). */
  async createTable(name: string): Promise<Dataset | null> {
    const result = this.result;
    if (!result) return null;
    return this.host.addDerived(name, (table) => this.engine.with({ priority: 'user' }).createTableFromResult(result.table, table, name));
  }
}
