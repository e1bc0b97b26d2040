import { describe, expect, it } from 'vitest';
import { SUITE_FORMAT, SUITE_VERSION, type Suite } from '../../src/lib/checks/suite';
import { SectionRegistry, type RestoreContext, type SavedSections } from '../../src/persistence/sections';
import { migrateSettings, type DatasetRefs, type SettingsArea } from '../../src/state/settings/area';
import { checksArea, type ChecksHolder } from '../../src/state/settings/checks';
import { fromBase64, MAX_SAVED_MODEL_BYTES, savedModel, savedModelSchema } from '../../src/state/settings/model';
import { driftArea, type DriftHolder } from '../../src/state/settings/drift';
import { performanceArea, type PerformanceHolder } from '../../src/state/settings/performance';
import { opsArea, type OpsHolder } from '../../src/state/settings/ops';
import { consoleArea } from '../../src/state/settings/console';

type D = { table: string; name: string };
const training: D = { table: 'ds_1', name: 'training.csv' };
const production: D = { table: 'ds_2', name: 'production.csv' };
const labels: D = { table: 'ds_3', name: 'labels.csv' };
const byTable: DatasetRefs<D> = { datasets: [training, production, labels], by: 'table' };
const byName: DatasetRefs<D> = { datasets: [training, production, labels], by: 'name' };
/** The colleague dropped the files in another order: other tables, same names. */
const elsewhere: DatasetRefs<D> = {
  datasets: [
    { table: 'ds_7', name: 'production.csv' },
    { table: 'ds_8', name: 'training.csv' },
  ],
  by: 'name',
};

/** What the saved JSON looks like after a trip through storage. */
const stored = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
const settle = () => new Promise((r) => setTimeout(r, 0));

function driftHolder(): DriftHolder & { calls: string[] } {
  const calls: string[] = [];
  const h: DriftHolder & { calls: string[] } = {
    calls,
    referenceTable: null,
    currentTable: null,
    settings: {},
    driftShare: 0.5,
    splitMs: null,
    windowChoice: 'week',
    chunks: 6,
    selectedColumn: null,
    report: null,
    quality: null,
    overTime: null,
    userPicked: false,
    ungrouped: [],
    breakdown: null,
    focus: null,
    place: null,
    error: null,
    cancel: () => void calls.push('cancel'),
    run: async () => {
      calls.push('run');
      h.report = { columns: [] };
    },
    selectColumn: async (name) => {
      calls.push(`select:${name}`);
      h.selectedColumn = name;
    },
  };
  return h;
}

describe('drift settings', () => {
  const changed = () => {
    const h = driftHolder();
    Object.assign(h, {
      referenceTable: 'ds_1',
      currentTable: 'ds_2',
      settings: { amount: { method: 'psi', threshold: 0.2 }, region: { threshold: 0.01 } },
      driftShare: 0.3,
      windowChoice: 'chunks',
      chunks: 9,
      selectedColumn: 'amount',
      userPicked: true,
      ungrouped: ['emb_*'],
      report: { columns: [] },
    });
    return h;
  };

  it('round-trips through storage: same settings, the comparison rerun and the column opened again', async () => {
    const saved = stored(driftArea.capture(changed(), byTable));
    expect(saved).toEqual({
      reference: 'ds_1',
      current: 'ds_2',
      perColumn: { amount: { method: 'psi', threshold: 0.2 }, region: { threshold: 0.01 } },
      driftShare: 0.3,
      splitMs: null,
      windows: { unit: 'chunks', chunks: 9 },
      column: 'amount',
      compared: true,
      picked: true,
      ungrouped: ['emb_*'],
    });
    const h = driftHolder();
    driftArea.apply(h, driftArea.schema.parse(saved), byTable);
    await settle();
    expect(driftArea.capture(h, byTable)).toEqual(saved);
    expect(h.calls).toEqual(['cancel', 'run', 'select:amount']);
  });

  it('names datasets by file in links, so a colleague with other table numbers gets the same pair', () => {
    const link = stored(driftArea.capture(changed(), byName));
    expect(link).toMatchObject({ reference: 'training.csv', current: 'production.csv' });
    const h = driftHolder();
    driftArea.apply(h, driftArea.schema.parse(link), elsewhere);
    expect([h.referenceTable, h.currentTable]).toEqual(['ds_8', 'ds_7']);
  });

  it('does not run when it had not run, drops datasets no longer there, and refuses bad settings', () => {
    const h = driftHolder();
    driftArea.apply(h, driftArea.schema.parse({ reference: 'ds_9', current: 'ds_2', compared: true }), byTable);
    expect([h.referenceTable, h.currentTable]).toEqual([null, 'ds_2']);
    expect(h.calls).toEqual(['cancel']);
    expect(() => driftArea.schema.parse({ reference: 'ds_1', current: 'ds_2', perColumn: { a: { method: 'magic' } } })).toThrow();
    expect(() => driftArea.schema.parse({ reference: 'ds_1', current: 'ds_2', driftShare: 2 })).toThrow();
  });

  it('reads data written before later fields existed, with their defaults', () => {
    expect(driftArea.schema.parse({ reference: 'ds_1', current: null })).toEqual({
      reference: 'ds_1',
      current: null,
      perColumn: {},
      driftShare: 0.5,
      splitMs: null,
      windows: { unit: 'week', chunks: 6 },
      column: null,
      compared: false,
      picked: false,
      ungrouped: [],
    });
  });

  it('reset puts the defaults back and clears results', () => {
    const h = changed();
    driftArea.reset(h);
    expect(driftArea.capture(h, byTable)).toEqual(driftArea.schema.parse({ reference: null, current: null }));
  });
});

function perfHolder(): PerformanceHolder<D> & { calls: string[] } {
  const calls: string[] = [];
  const h: PerformanceHolder<D> & { calls: string[] } = {
    calls,
    sources: null,
    sessionId: null,
    task: null,
    positive: null,
    threshold: 0.5,
    sliceDimension: null,
    rowError: null,
    maxDepth: 2,
    costs: null,
    customMetrics: [],
    start: async (sources, choices = {}) => {
      calls.push(
        `start:${sources.data.table}+${sources.labels?.table}+${sources.reference?.table}:${JSON.stringify(choices)}:depth${h.maxDepth}`,
      );
      // As PerformanceState.start: the task, class and threshold of the prepared spec, default slice and row error.
      Object.assign(h, {
        sources,
        sessionId: 's1',
        task: choices.task ?? 'binary',
        positive: choices.positive ?? '1',
        threshold: choices.threshold ?? 0.5,
        sliceDimension: 'region',
        rowError: null,
      });
    },
    loadSlice: async (dimension) => {
      calls.push(`slice:${dimension}`);
      h.sliceDimension = dimension ?? null;
    },
    findSlices: async () => void calls.push(`find:${h.rowError}`),
  };
  return h;
}

describe('performance settings', () => {
  const area = performanceArea<D>();

  it('round-trips: the analysis starts again with the task, positive class and threshold, then the slice choices', async () => {
    const h = perfHolder();
    await h.start({ data: production, labels, reference: training }, { threshold: 0.5 });
    const costs = { fp: 5, fn: 50, tp: 0, tn: -1, perClass: { '1': { fn: 80 } } };
    const customMetrics = [{ name: 'missed', expression: 'avg(CASE WHEN label = 1 AND prediction = 0 THEN 1 ELSE 0 END)' }];
    Object.assign(h, { threshold: 0.73, sliceDimension: 'channel', rowError: 'log_loss', maxDepth: 1, costs, customMetrics });
    const saved = stored(area.capture(h, byTable));
    expect(saved).toEqual({
      sources: { data: 'ds_2', labels: 'ds_3', reference: 'ds_1' },
      task: 'binary',
      positive: '1',
      threshold: 0.73,
      slice: 'channel',
      rowError: 'log_loss',
      maxDepth: 1,
      costs,
      customMetrics,
    });
    const back = perfHolder();
    area.apply(back, area.schema.parse(saved), byTable);
    await settle();
    expect(back.calls).toEqual([
      'start:ds_2+ds_3+ds_1:{"task":"binary","positive":"1","threshold":0.73}:depth1',
      'slice:channel',
      'find:log_loss',
    ]);
    expect(area.capture(back, byTable)).toEqual(saved);
  });

  it('starts nothing when the view had not been opened', () => {
    const h = perfHolder();
    const saved = stored(area.capture(h, byTable));
    expect(saved).toMatchObject({ sources: null });
    area.apply(h, area.schema.parse(saved), byTable);
    expect(h.calls).toEqual([]);
  });

  it('keeps the choices when its datasets have no rows here (a settings-only workspace), so a new save keeps them', () => {
    const saved = {
      sources: { data: 'ds_2', labels: null, reference: null },
      task: 'binary',
      positive: 'yes',
      threshold: 0.61,
      maxDepth: 1,
    };
    const h = perfHolder();
    area.apply(h, area.schema.parse(saved), { datasets: [], by: 'table' });
    expect(h.calls).toEqual([]);
    expect(area.capture(h, byTable)).toMatchObject({ sources: null, task: 'binary', positive: 'yes', threshold: 0.61, maxDepth: 1 });
  });

  it('refuses an unknown task or row error; reads data without later fields', () => {
    expect(() => area.schema.parse({ sources: null, task: 'ranking' })).toThrow();
    expect(() => area.schema.parse({ sources: null, rowError: 'hinge' })).toThrow();
    expect(area.schema.parse({ sources: null })).toEqual({
      sources: null,
      task: null,
      positive: null,
      threshold: 0.5,
      slice: null,
      rowError: null,
      maxDepth: 2,
      costs: null,
      customMetrics: [],
    });
    expect(() => area.schema.parse({ sources: null, customMetrics: [{ name: 'a b', expression: 'avg(x)' }] })).toThrow();
    expect(() => area.schema.parse({ sources: null, costs: { fp: 'five' } })).toThrow();
  });
});

const suite: Suite = {
  format: SUITE_FORMAT,
  version: SUITE_VERSION,
  name: 'Preset from training.csv',
  checks: [
    { id: 'drift-share', kind: 'drift-share', max: 0.5 },
    { id: 'missing-share:amount', kind: 'missing-share', column: 'amount', max: 0.02, warn: 0.01 },
  ],
} as Suite;

function checksHolder(): ChecksHolder<D> & { runs: number } {
  const h: ChecksHolder<D> & { runs: number } = {
    runs: 0,
    sources: null,
    suite: null,
    run: null,
    stale: false,
    error: null,
    runSuite: async () => {
      h.runs++;
      h.run = { result: {} };
      h.stale = false;
    },
  };
  return h;
}

describe('checks settings', () => {
  const area = checksArea<D>();

  it('round-trips the edited suite and its datasets, and runs it again when it had run', async () => {
    const h = checksHolder();
    Object.assign(h, { sources: { reference: training, current: production, labels }, suite, run: { result: {} } });
    const saved = stored(area.capture(h, byTable));
    expect(saved).toEqual({ sources: { reference: 'ds_1', current: 'ds_2', labels: 'ds_3' }, suite, ran: true });
    const back = checksHolder();
    area.apply(back, area.schema.parse(saved), byTable);
    await settle();
    expect(back.runs).toBe(1);
    expect(area.capture(back, byTable)).toEqual(saved);
  });

  it('refuses a suite the suite schema refuses (a typo in a bound), and stays out of links', () => {
    const bad = { ...suite, checks: [{ id: 'x', kind: 'drift-share', maxx: 0.5 }] };
    expect(() => area.schema.parse({ sources: null, suite: bad })).toThrow();
    expect(area.inLink).toBe(false);
    expect(driftArea.inLink && performanceArea().inLink).toBe(true);
  });
});

describe('versions', () => {
  const context = (warnings: string[]): RestoreContext => ({ tableData: async () => null, warn: (m) => warnings.push(m) });

  /** How areas register with the workspace (src/state/settings/index.ts), over a registry of the test's own. */
  function register<S, H>(registry: SectionRegistry, area: SettingsArea<S, H, D>, h: H): void {
    registry.register<S>({
      key: area.key,
      version: area.version,
      save: () => area.capture(h, byTable),
      restore: (saved) => area.apply(h, area.schema.parse(saved), byTable),
      migrate: (saved, from) => migrateSettings(area, saved, from),
      reset: () => area.reset(h),
    });
  }

  it('upgrades older data step by step and checks it against the current schema', () => {
    // A later drift shape: version 2 renamed driftShare; version 1 data goes through the upgrade.
    const v2: SettingsArea<unknown, DriftHolder> = {
      ...(driftArea as SettingsArea<unknown, DriftHolder>),
      version: 2,
      upgrades: { 1: (d) => ({ ...(d as object), driftShare: (d as { share: number }).share }) },
    };
    expect(migrateSettings(v2, { reference: 'ds_1', current: 'ds_2', share: 0.25 }, 1)).toMatchObject({ driftShare: 0.25 });
    expect(() => migrateSettings(v2, { reference: 'ds_1', current: 'ds_2' }, 0)).toThrow(/no upgrade of "drift" settings from version 0/);
  });

  it('a newer version is ignored with a notice; an invalid entry resets the area and warns; other areas are restored', async () => {
    const registry = new SectionRegistry();
    const drift = driftHolder();
    const perf = perfHolder();
    register(registry, driftArea, drift);
    register(registry, performanceArea<D>(), perf);
    drift.driftShare = 0.9;
    const saved: SavedSections = {
      drift: { version: 2, data: { reference: 'ds_1', current: 'ds_2', driftShare: 0.1 } },
      performance: { version: 1, data: { sources: { data: 'ds_2', labels: null, reference: null }, task: 'ranking' } },
    };
    const warnings: string[] = [];
    await registry.restoreAll(saved, context(warnings));
    expect(drift.driftShare).toBe(0.5);
    expect(perf.calls).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/"drift" were saved by a newer Lantern/);
    expect(warnings[1]).toMatch(/"performance" could not be restored/);
  });
});

describe('the saved model file', () => {
  it('round-trips its bytes through base64, computes the text once per file, and leaves out models too large to keep', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    const saved = savedModel({ bytes, name: 'model.json' });
    expect(saved.model?.name).toBe('model.json');
    expect(fromBase64(saved.model!.base64)).toEqual(bytes);
    expect(savedModel({ bytes, name: 'model.json' }).model!.base64).toBe(saved.model!.base64);
    expect(savedModelSchema.parse(stored(saved))).toEqual(saved);
    expect(savedModel({ bytes: new Uint8Array(MAX_SAVED_MODEL_BYTES + 1), name: 'big.json' })).toEqual({ model: null });
    expect(savedModel(null)).toEqual({ model: null });
  });
});

describe('operations and console settings', () => {
  it('operations: the log, the reference and the choices come back and the report runs again; not in links', async () => {
    const area = opsArea<D>();
    let runs = 0;
    const h: OpsHolder<D> = {
      log: production,
      reference: training,
      choices: { latency: 'latency_ms', errorValues: ['timeout'], by: null },
      run: async () => void runs++,
    };
    const saved = stored(area.capture(h, byTable));
    expect(saved).toEqual({ log: 'ds_2', reference: 'ds_1', latency: 'latency_ms', errorValues: ['timeout'], by: null });
    const back: OpsHolder<D> = { log: null, reference: null, choices: {}, run: async () => void runs++ };
    area.apply(back, area.schema.parse(saved), byTable);
    expect([back.log, back.reference, back.choices]).toEqual([
      production,
      training,
      { latency: 'latency_ms', errorValues: ['timeout'], by: null },
    ]);
    expect(runs).toBe(1);
    expect(area.inLink).toBe(false);
    expect(area.schema.parse({})).toEqual({ log: null, reference: null });
  });

  it('console: the history and the draft; never in links', () => {
    const h = { history: ['SELECT 1', 'SELECT 2'], text: 'SELECT 3' };
    const back = { history: [] as string[], text: '' };
    consoleArea.apply(back, consoleArea.schema.parse(stored(consoleArea.capture(h, byTable))), byTable);
    expect(back).toEqual(h);
    expect(consoleArea.inLink).toBe(false);
  });
});
