import {
  engine,
  newJobId,
  type DriftReport,
  type QualityReport,
  type SegmentDrift,
  type WindowDrift,
  type WindowSpec,
} from '../client/engine';
import type { ColumnDrift } from '../lib/drift/columnDrift';
import { byScore } from '../lib/drift/output';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import type { Workspace } from './workspace.svelte';

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
  quality: QualityReport | null = $state.raw(null);
  running = $state(false);
  error: string | null = $state(null);
  selectedColumn: string | null = $state(null);
  windowChoice: WindowChoice = $state('week');
  chunks = $state(6);
  overTime: WindowDrift[] | null = $state.raw(null);
  selectedWindow: number | null = $state(null);
  segments: SegmentDrift[] | null = $state.raw(null);
  columnBusy = $state(false);
  private jobId: string | null = null;
  private readonly workspace: Workspace;

  constructor(workspace: Workspace) {
    this.workspace = workspace;
  }

  // Getters over $state are reactive; they read the workspace, which a field initializer cannot.
  get reference(): Dataset | null {
    return this.workspace.datasets.find((d) => d.table === this.referenceTable) ?? null;
  }
  get current(): Dataset | null {
    return this.workspace.datasets.find((d) => d.table === this.currentTable) ?? null;
  }
  get sorted(): ColumnDrift[] {
    return this.report ? byScore(this.report.columns) : [];
  }
  get column(): ColumnDrift | null {
    return this.report?.columns.find((c) => c.name === this.selectedColumn) ?? null;
  }
  /** The current data's timestamp column (by role), if any: it enables drift over time. */
  get timestamp(): string | null {
    return this.current ? (this.current.columnsWithRole('timestamp')[0] ?? null) : null;
  }

  /** Picks a reference and a current dataset when none is chosen: "train"-like names first as reference. */
  suggest(): void {
    const ds = this.workspace.datasets;
    if (ds.length < 2) return;
    if (!this.reference) this.referenceTable = (ds.find((d) => /train|ref|baseline/i.test(d.name)) ?? ds[0]!).table;
    if (!this.current || this.currentTable === this.referenceTable)
      this.currentTable = (
        ds.find((d) => d.table !== this.referenceTable && /prod|current|live|log/i.test(d.name)) ??
        ds.find((d) => d.table !== this.referenceTable)!
      ).table;
  }

  private tables() {
    return { reference: this.referenceTable!, current: this.currentTable! };
  }

  async run(): Promise<void> {
    if (!this.reference || !this.current) return;
    this.cancel();
    const jobId = (this.jobId = newJobId('drift'));
    this.running = true;
    this.error = null;
    this.selectedColumn = null;
    this.overTime = null;
    this.segments = null;
    try {
      this.report = await engine().driftReport(jobId, this.tables(), { roles: { ...this.reference.roles } });
      const id = this.current.columnsWithRole('id')[0];
      this.quality = await engine().dataQuality(newJobId('quality'), this.tables(), id);
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (this.jobId === jobId) this.running = false;
    }
  }

  cancel(): void {
    if (this.jobId && this.running) void engine().cancel(this.jobId);
    this.running = false;
  }

  spec(): WindowSpec {
    return this.windowChoice === 'chunks' ? { chunks: this.chunks } : { unit: this.windowChoice };
  }

  async selectColumn(name: string | null): Promise<void> {
    this.selectedColumn = name;
    this.overTime = null;
    this.segments = null;
    this.selectedWindow = null;
    const column = this.column;
    if (!column || column.score === null) return;
    const test = { name: column.name, kind: column.kind, method: column.method, threshold: column.threshold };
    this.columnBusy = true;
    try {
      const time = this.timestamp ? { timestamp: this.timestamp, spec: this.spec() } : undefined;
      if (time) this.overTime = await engine().driftOverTime(newJobId('drift-time'), this.tables(), test, time.timestamp, time.spec);
      const segmentColumns = this.segmentColumns(this.current!);
      if (segmentColumns.length && this.selectedColumn === name)
        this.segments = await engine().driftBySegment(newJobId('drift-segments'), this.tables(), test, segmentColumns, time);
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      this.columnBusy = false;
    }
  }

  async changeWindows(choice: WindowChoice): Promise<void> {
    this.windowChoice = choice;
    if (this.selectedColumn) await this.selectColumn(this.selectedColumn);
  }

  /** Segment columns: the ones the user marked as segment, present in both datasets. */
  segmentColumns(current: Dataset): string[] {
    const inRef = this.reference?.columns.map((c) => c.name) ?? [];
    return current.columnsWithRole('segment').filter((c) => inRef.includes(c));
  }
}
