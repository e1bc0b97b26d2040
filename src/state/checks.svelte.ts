import type { ChecksRun, Engine, Setup, Suite } from '../client/engine';
import type { Check, SuiteSettings } from '../lib/checks/suite';
import { parseSuite, serializeSuite, SUITE_FORMAT, SUITE_VERSION } from '../lib/checks/suite';
import { reportHtml } from '../lib/report/html';
import { reportTimestamp, type ReportTable } from '../lib/report/reportData';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import { guessSources } from './performance.svelte';

/** Which loaded datasets the checks compare: reference (training / validation), current (the log), labels. */
export interface CheckSources {
  reference: Dataset;
  current: Dataset;
  labels?: Dataset;
}

/** The same guess as the performance view when it finds a labelled reference; else by name, else load order. */
export function guessCheckSources(datasets: Dataset[]): CheckSources | null {
  const ref = datasets.find((d) => d.part === 'reference');
  const log = datasets.find((d) => d.part === 'current');
  const labelFile = datasets.find((d) => d.part === 'labels');
  if (ref && log) return { reference: ref, current: log, ...(labelFile ? { labels: labelFile } : {}) };
  const perf = guessSources(datasets);
  if (perf?.reference) return { reference: perf.reference, current: perf.data, ...(perf.labels ? { labels: perf.labels } : {}) };
  const reference = datasets.find((d) => /train|reference|ref\b|baseline/i.test(d.name)) ?? datasets[0];
  const current = datasets.find((d) => d !== reference && d !== perf?.labels);
  if (!reference || !current) return null;
  return { reference, current, ...(perf?.labels ? { labels: perf.labels } : {}) };
}

/** The roles and parts a preset depends on. */
const rolesOf = (setup: Setup) => ({
  parts: [setup.reference, setup.current, setup.labels],
  outputs: [setup.label?.column, setup.score, setup.prediction, setup.timestamp],
  roles: setup.datasets.map((d) => Object.entries(d.roles).map(([c, r]) => `${c}:${r.role}`)),
});

/** The numeric fields of a check a user can edit on the board. */
export const EDITABLE: Partial<Record<Check['kind'], string[]>> = {
  'drift-share': ['max', 'warn'],
  'missing-share': ['max', 'warn'],
  'unseen-categories': ['max', 'warn'],
  'out-of-range': ['max', 'warn'],
  'duplicate-rows': ['max', 'warn'],
  metric: ['min', 'max', 'warnMin', 'warnMax'],
  'metric-vs-reference': ['tolerance', 'warn'],
  slices: ['minRows', 'maxDifference', 'warn'],
  'drift-column': ['threshold'],
  'attribution-drift': ['max', 'warn'],
  'segment-drift': ['max', 'ratio', 'warn', 'minRows'],
  'metric-by-segment': ['tolerance', 'warn', 'minRows'],
  'version-not-worse': ['margin'],
  'multivariate-drift': ['explainedVariance', 'sigmas'],
  'embedding-drift': ['sample'],
  cost: ['max', 'warn'],
  'custom-metric': ['min', 'max', 'warnMin', 'warnMax'],
  latency: ['max', 'tolerance'],
  'error-rate': ['max', 'margin'],
};

/**
 * Checks and overview state: the suite (a preset from the reference until the user imports or edits one),
 * the last run's results and the report data behind the overview and the exports.
 */
export class ChecksState {
  sources: CheckSources | null = $state.raw(null);
  suite: Suite | null = $state.raw(null);
  /** Where the suite came from: the preset of the setup (regenerated when the setup changes) or the user. */
  suiteOrigin: 'preset' | 'user' = $state('user');
  /** The user picked the datasets: the setup no longer moves them. */
  userSources = $state(false);
  /** The workspace's setup, as last followed: the preset's roles. */
  private setup: Setup | null = null;
  run: ChecksRun | null = $state.raw(null);
  busy: string | null = $state(null);
  error: string | null = $state(null);
  /** The suite changed since the last run. */
  stale = $state(false);
  /** Checks added in other views before there was a suite. */
  private pending: { check: Check; settings: SuiteSettings }[] = [];

  readonly results = $derived(this.run?.result.results ?? []);

  /** `modelFile` is the loaded model's file (the Explain state's), for attribution drift checks. */
  constructor(
    private readonly engine: Engine,
    private readonly modelFile: () => { bytes: Uint8Array; name: string } | null,
  ) {}

  private async step(name: string, work: () => Promise<void>): Promise<void> {
    this.busy = name;
    this.error = null;
    try {
      await work();
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.error = (error as Error).message;
    } finally {
      this.busy = null;
    }
  }

  /** First visit: pick datasets, generate the preset and run it. */
  async ensure(datasets: Dataset[]): Promise<void> {
    if (this.busy || this.run) return;
    const sources = this.sources ?? guessCheckSources(datasets);
    if (!sources) return;
    this.sources = sources;
    if (!this.suite) await this.generatePreset();
    if (this.suite) await this.runSuite();
  }

  choose(sources: CheckSources): void {
    this.sources = sources;
    this.userSources = true;
    this.stale = true;
  }

  /**
   * The setup changed: the datasets follow it (unless the user picked them), a preset is generated again
   * from the new roles (a suite the user edited or imported stays), and a suite already run runs again.
   */
  async followSetup(setup: Setup, datasets: Dataset[]): Promise<void> {
    const before = JSON.stringify(this.setup ? rolesOf(this.setup) : null);
    this.setup = setup;
    const byTable = (t: string | null) => datasets.find((d) => d.table === t);
    const reference = byTable(setup.reference);
    const current = byTable(setup.current);
    const labels = byTable(setup.labels);
    let moved = false;
    if (!this.userSources && reference && current) {
      const next = { reference, current, ...(labels ? { labels } : {}) };
      const key = (s: CheckSources | null) => (s ? [s.reference.table, s.current.table, s.labels?.table ?? ''].join('|') : '');
      moved = key(next) !== key(this.sources);
      this.sources = next;
    }
    const rolesMoved = before !== JSON.stringify(rolesOf(setup));
    if (!this.sources || !(moved || rolesMoved) || this.busy) return;
    if (this.suite && this.suiteOrigin === 'user') {
      this.stale = true;
      return;
    }
    const ran = this.run !== null;
    if (this.suite || ran) await this.generatePreset();
    if (ran && this.suite) await this.runSuite();
  }

  async generatePreset(): Promise<void> {
    const sources = this.sources;
    if (!sources) return;
    await this.step('preset', async () => {
      const setup = this.setup && this.setup.reference === sources.reference.table ? this.setup : undefined;
      let suite = await this.engine.checksPreset(
        sources.reference.table,
        `Preset from ${sources.reference.name}`,
        this.modelFile() !== null,
        setup,
      );
      for (const { check, settings } of this.pending) {
        const next = this.merged(suite, check, settings);
        if (typeof next !== 'string') suite = next;
      }
      this.pending = [];
      this.suite = suite;
      this.suiteOrigin = 'preset';
      this.stale = true;
    });
  }

  async runSuite(): Promise<void> {
    const { sources, suite } = this;
    if (!sources || !suite) return;
    await this.step('run', async () => {
      this.run = await this.engine.runChecks(
        { reference: sources.reference.table, current: sources.current.table, ...(sources.labels ? { labels: sources.labels.table } : {}) },
        suite,
        {
          reference: sources.reference.name,
          current: sources.current.name,
          generated: reportTimestamp(Date.now()),
        },
        this.modelFile() ?? undefined,
      );
      this.stale = false;
    });
  }

  /** Sets one numeric field of a check (empty clears an optional one); the zod schema decides what is valid. */
  setField(id: string, field: string, value: number | undefined): void {
    if (!this.suite) return;
    const checks = this.suite.checks.map((c) => {
      if (c.id !== id) return c;
      const next: Record<string, unknown> = { ...c };
      if (value === undefined) delete next[field];
      else next[field] = value;
      return next as Check;
    });
    try {
      this.suite = parseSuite(JSON.stringify({ ...this.suite, checks }), 'The edited suite');
      this.suiteOrigin = 'user';
      this.stale = true;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /**
   * Adds checks (the Versions view's proposals) to the suite, replacing those with the same ids, with the
   * settings they need; the suite runs them on the next run, here and in CI once exported.
   */
  addChecks(checks: Check[], settings: NonNullable<Suite['settings']>): void {
    const base: Suite = this.suite ?? { format: 'lantern-check-suite', version: 1, name: 'Version checks', checks: [] };
    const ids = checks.map((c) => c.id);
    const next = {
      ...base,
      settings: { ...base.settings, ...settings },
      checks: [...base.checks.filter((c) => !ids.includes(c.id)), ...checks],
    };
    try {
      this.suite = parseSuite(JSON.stringify(next), 'The suite with version checks');
      this.stale = true;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /**
   * Adds a check made in another view (a cost, a custom metric, a latency or error-rate bound), replacing
   * one with the same id; `settings` fill the suite's column settings it does not have yet.
   */
  addCheck(check: Check, settings: SuiteSettings = {}): string | null {
    if (!this.suite) {
      // Before the first visit to the Checks view: kept until the preset is made, then added to it.
      const problem = this.merged({ format: SUITE_FORMAT, version: SUITE_VERSION, checks: [] }, check, settings);
      if (typeof problem === 'string') return problem;
      this.pending = [...this.pending.filter((p) => p.check.id !== check.id), { check, settings }];
      return null;
    }
    const next = this.merged(this.suite, check, settings);
    if (typeof next === 'string') return next;
    this.suite = next;
    this.stale = true;
    this.error = null;
    return null;
  }

  private merged(suite: Suite, check: Check, settings: SuiteSettings): Suite | string {
    const merged = { ...settings, ...(suite.settings ?? {}) };
    const next = {
      ...suite,
      ...(Object.keys(merged).length ? { settings: merged } : {}),
      checks: [...suite.checks.filter((c) => c.id !== check.id), check],
    };
    try {
      return parseSuite(JSON.stringify(next), 'The check');
    } catch (error) {
      return (error as Error).message;
    }
  }

  suiteJson(): string | null {
    return this.suite ? serializeSuite(this.suite) : null;
  }

  importSuite(text: string, name: string): void {
    try {
      this.suite = parseSuite(text, `"${name}"`);
      this.suiteOrigin = 'user';
      this.stale = true;
      this.error = null;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  /** `extra`: sections of other analyses (the validation before deployment) added after the checks'. */
  reportHtml(extra: ReportTable[] = []): string | null {
    return this.run ? reportHtml({ ...this.run.report, tables: [...this.run.report.tables, ...extra] }) : null;
  }
}
