import type { Engine, OpsReport } from '../client/engine';
import type { WindowUnit } from '../lib/metrics/time';
import { opsRegressions, type OpsRegression } from '../lib/ops/regressions';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';

/** What the user chose in the Operations view; left out (undefined), a choice is inferred from the log. */
export interface OpsChoices {
  latency?: string | null;
  status?: string | null;
  /** Status values taken as errors; null: inferred from the values. */
  errorValues?: string[] | null;
  unit?: WindowUnit | null;
  by?: string | null;
}

const has = (d: Dataset, role: Parameters<Dataset['columnsWithRole']>[0]) => d.columnsWithRole(role).length > 0;

/** The log with latency or status columns (the current part first), and a reference to compare with. */
export function guessOpsSources(datasets: readonly Dataset[]): { log: Dataset; reference: Dataset | null } | null {
  const candidates = datasets.filter((d) => has(d, 'latency') || has(d, 'status'));
  const log = candidates.find((d) => d.part === 'current') ?? candidates.find((d) => d.part !== 'reference') ?? candidates[0];
  if (!log) return null;
  const reference = candidates.find((d) => d !== log && d.part === 'reference') ?? null;
  return { log, reference };
}

/**
 * Operations view state: the service's volume, latency percentiles and error rate over a log, per window
 * and per segment, against the reference period, and the regressions found against it.
 */
export class OpsState {
  log: Dataset | null = $state.raw(null);
  reference: Dataset | null = $state.raw(null);
  choices: OpsChoices = $state.raw({});
  report: OpsReport | null = $state.raw(null);
  busy = $state(false);
  error: string | null = $state(null);
  readonly regressions: OpsRegression[] = $derived(this.report ? opsRegressions(this.report) : []);
  private controller: AbortController | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly datasets: () => readonly Dataset[],
  ) {}

  /** Starts on the guessed log when nothing was chosen yet; again on the same one (roles may have changed). */
  async open(): Promise<void> {
    if (this.log && this.datasets().includes(this.log)) return this.run();
    const guessed = guessOpsSources(this.datasets());
    const log = guessed?.log ?? this.datasets()[0] ?? null;
    if (!log) return;
    this.log = log;
    this.reference = guessed?.reference ?? null;
    await this.run();
  }

  async choose(choices: OpsChoices): Promise<void> {
    this.choices = { ...this.choices, ...choices };
    await this.run();
  }

  async setSources(log: Dataset, reference: Dataset | null): Promise<void> {
    if (log !== this.log) this.choices = {};
    this.log = log;
    this.reference = reference === log ? null : reference;
    await this.run();
  }

  /** Computes the report; a newer run cancels an older one, a failed one leaves the last report on screen. */
  async run(): Promise<void> {
    const log = this.log;
    if (!log) return;
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.busy = true;
    this.error = null;
    const c = this.choices;
    try {
      const report = await this.engine.with({ signal: controller.signal, priority: 'user' }).opsReport({
        table: log.table,
        roles: { ...log.roles },
        ...(c.latency !== undefined ? { latency: c.latency } : {}),
        ...(c.status !== undefined ? { status: c.status } : {}),
        errorValues: c.errorValues ?? null,
        unit: c.unit ?? null,
        by: c.by ?? null,
        reference: this.reference?.table ?? null,
      });
      if (controller === this.controller) this.report = report;
    } catch (error) {
      if (controller === this.controller && errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      if (controller === this.controller) {
        this.busy = false;
        this.controller = null;
      }
    }
  }

  /** Takes a status value as an error or not (the list starts from the inferred one). */
  async toggleErrorValue(value: string, error: boolean): Promise<void> {
    // The last choice, not the last report: two quick clicks must not undo each other while the first runs.
    const current = this.choices.errorValues ?? this.report?.errorValues ?? [];
    const next = error ? [...current.filter((v) => v !== value), value] : current.filter((v) => v !== value);
    await this.choose({ errorValues: next });
  }

  reset(): void {
    this.controller?.abort();
    this.log = this.reference = this.report = null;
    this.choices = {};
    this.error = null;
  }
}
