import { describe, expect, it, vi } from 'vitest';
import type { Setup, SetupInput } from '../../src/client/engine';
import { LanternError } from '../../src/lib/errors';
import type { DatasetSetup, RoleChoice } from '../../src/lib/setup/types';
import { appMessage } from '../../src/state/appMessages';
import { loadedTable, workspaceWith } from './fakeWorkspace';

const TRAINING = ['departed_at', 'origin', 'distance_mi', 'was_late', 'p_late'];
const LOG = ['flight_id', 'departed_at', 'origin', 'distance_mi', 'p_late'];
const LABELS = ['flight_id', 'was_late'];

const choice = (role: RoleChoice['role'], reason = `inferred ${role}`): RoleChoice => ({ role, reason, by: 'structure' });

/** The setup the core infers for the three files, following the roles the user set (as src/lib/setup does). */
function inferSetup(inputs: SetupInput[]): Setup {
  const user = (t: string, c: string) => inputs.find((i) => i.table === t)?.userRoles?.[c];
  const labelled = user('ds_3', 'was_late') === undefined || user('ds_3', 'was_late') === 'label';
  const roles = (table: string, columns: string[], inferred: Record<string, RoleChoice['role']>) =>
    Object.fromEntries(
      columns.map((c) => {
        const u = user(table, c);
        return [c, u ? { role: u, reason: 'set by you', by: 'user' as const } : choice(inferred[c] ?? 'feature')];
      }),
    );
  const datasets: DatasetSetup[] = [
    {
      table: 'ds_1',
      name: 'training.csv',
      part: 'reference',
      partReason: 'its times end first',
      roles: roles('ds_1', TRAINING, { departed_at: 'timestamp', was_late: 'label', p_late: 'score' }),
    },
    {
      table: 'ds_2',
      name: 'log.csv',
      part: 'current',
      partReason: 'the labels join its flight_id',
      roles: roles('ds_2', LOG, { flight_id: 'id', departed_at: 'timestamp', p_late: 'score' }),
    },
    {
      table: 'ds_3',
      name: 'labels.csv',
      part: 'labels',
      partReason: 'its ids are in log.csv',
      roles: roles('ds_3', LABELS, { flight_id: 'id', was_late: 'label' }),
    },
  ];
  return {
    datasets,
    reference: 'ds_1',
    current: 'ds_2',
    labels: 'ds_3',
    join: { log: 'flight_id', labels: 'flight_id' },
    label: labelled ? { table: 'ds_3', column: 'was_late' } : null,
    score: 'p_late',
    prediction: null,
    timestamp: 'departed_at',
    notes: labelled ? [] : ['No label found: drop the file of labels that arrived later, or mark the label column in the Data view.'],
  };
}

const summary = {
  spec: {
    table: 'perf_rows',
    label: 'was_late',
    labelKind: 'numeric',
    task: 'binary',
    threshold: 0.5,
    score: 'p_late',
    timestamp: 'departed_at',
  },
  join: { predictions: 2, matched: 2, unlabelled: 0 },
  classes: ['0', '1'],
  dimensions: [{ name: 'origin', kind: 'categorical', values: ['ATL', 'DEN'] }],
  hasReference: true,
  windowUnit: null,
};

function deployment() {
  const columns: Record<string, string[]> = { 'training.csv': TRAINING, 'log.csv': LOG, 'labels.csv': LABELS };
  return workspaceWith({
    loadFile: (_blob, name, table) => loadedTable(table as string, name as string, columns[name as string]!),
    profile: () => [],
    inferSetup: (inputs) => inferSetup(inputs as SetupInput[]),
    investigate: () => ({
      findings: [],
      steps: [],
      minSupport: 50,
      tooSmall: 0,
      windowUnit: 'week',
      rows: { reference: 2, current: 2, labelled: 2 },
    }),
    preparePerformance: () => ({ id: 'perf_1', summary }),
    overall: () => ({ task: 'binary', metrics: { n: 2 } }),
    findSlices: () => null,
    bySlice: () => [],
    placePerformance: (_id, place) => ({ place, task: 'binary', here: null, rest: null, reference: null, unit: null, windows: [] }),
    driftReport: () => ({
      columns: [{ name: 'distance_mi', kind: 'numerical', method: 'wasserstein', threshold: 0.1, score: 1.2, drifted: true }],
      outputs: [],
      notTested: [],
    }),
    dataQuality: () => ({ issues: [] }),
    driftOverTime: () => [],
    driftBreakdown: () => ({ column: 'distance_mi', ranked: [], small: [], segmentColumns: ['origin'], windows: [], minSupport: 50 }),
    driftInPlace: (_t, _test, place) => ({
      place,
      drift: { name: 'distance_mi' },
      rows: { reference: 9, current: 8 },
      missing: { reference: 0, current: 0 },
    }),
  });
}

async function loaded() {
  const { workspace, calls } = deployment();
  for (const name of ['training.csv', 'log.csv', 'labels.csv']) await workspace.addFile(new Blob(['x\n']), name);
  await vi.waitFor(() => expect(workspace.setup?.label).not.toBeUndefined());
  return { workspace, calls };
}

describe('every view follows the setup', () => {
  it('the performance view starts on the setup label and join, shows what to do in the app when the label goes, and restarts when it comes back', async () => {
    const { workspace, calls } = await loaded();
    const perf = workspace.performance;
    await perf.ensure();
    const prepare = () => calls.filter((c) => c.method === 'preparePerformance');
    expect(prepare()).toHaveLength(1);
    expect(prepare()[0]!.args[0]).toMatchObject({
      data: 'ds_2',
      labels: 'ds_3',
      reference: 'ds_1',
      choices: { label: 'was_late', id: 'flight_id', score: 'p_late', timestamp: 'departed_at' },
    });

    // The user takes the label away: nothing to measure, and the view says what to do here.
    workspace.datasets[2]!.setRole('was_late', 'ignore');
    await vi.waitFor(() => expect(perf.problem).not.toBeNull());
    expect(perf.problem!.text).toMatch(/drop the file of labels|mark the label column/i);
    expect(perf.problem!.text).not.toMatch(/--/);
    expect(perf.problem!.action?.view).toBe('data');
    expect(perf.sources).toBeNull();

    // Back to the inferred role: the analysis runs again on its own.
    workspace.datasets[2]!.resetRole('was_late');
    await vi.waitFor(() => expect(prepare()).toHaveLength(2));
    await vi.waitFor(() => expect(perf.sessionId).toBe('perf_1'));
    expect(perf.problem).toBeNull();
    expect(workspace.datasets[2]!.roles['was_late']).toBe('label');
  });

  it("a finding's link opens the drift view on its column, in its segment and window, with the segment's own distributions", async () => {
    const { workspace, calls } = await loaded();
    const place = { segment: [{ column: 'origin', value: 'DEN' }], window: { start: '2001-05-14', end: '2001-07-02' } };
    await workspace.open({ view: 'drift', column: 'distance_mi', ...place });
    expect(workspace.view).toBe('drift');
    expect(workspace.drift.selectedColumn).toBe('distance_mi');
    expect(workspace.drift.focus).toEqual(place);
    const inPlace = calls.find((c) => c.method === 'driftInPlace')!;
    expect(inPlace.args[0]).toEqual({ reference: 'ds_1', current: 'ds_2' });
    expect(inPlace.args[2]).toEqual(place);
    expect(inPlace.args[3]).toBe('departed_at');
    await vi.waitFor(() => expect(workspace.drift.place?.rows.current).toBe(8));
    // The breakdown is searched over every column that can segment, with the log's roles.
    const breakdown = calls.find((c) => c.method === 'driftBreakdown')!;
    expect((breakdown.args[2] as { roles: Record<string, string> }).roles).toMatchObject({ flight_id: 'id', p_late: 'score' });
  });

  it('a performance finding focuses the performance view on its segment and filters the slice table to it', async () => {
    const { workspace, calls } = await loaded();
    const place = { segment: [{ column: 'origin', value: 'ATL' }], window: null };
    await workspace.open({ view: 'performance', ...place });
    expect(workspace.view).toBe('performance');
    expect(workspace.performance.focus).toEqual(place);
    expect(workspace.performance.sliceFilter).toBe('origin = ATL');
    expect(calls.find((c) => c.method === 'placePerformance')?.args.slice(0, 2)).toEqual(['perf_1', place]);
  });

  it('the drift view keeps the datasets the user picked when the setup changes', async () => {
    const { workspace } = await loaded();
    expect([workspace.drift.referenceTable, workspace.drift.currentTable]).toEqual(['ds_1', 'ds_2']);
    workspace.drift.pick('reference', 'ds_3');
    workspace.datasets[0]!.setRole('origin', 'segment');
    await vi.waitFor(() => expect(workspace.setup?.datasets[0]!.roles['origin']!.by).toBe('user'));
    expect(workspace.drift.referenceTable).toBe('ds_3');
  });
});

describe('messages in the app', () => {
  it('say what to do in the app for a missing input, never which flag to pass', () => {
    for (const need of ['label', 'id', 'score-or-prediction', 'prediction', 'model'] as const) {
      const m = appMessage(Object.assign(new Error('No label column was found.'), { need }));
      expect(m.text).not.toMatch(/--/);
      expect(m.text.length).toBeGreaterThan(30);
    }
    expect(appMessage(new LanternError('usage', 'Plain problem.')).text).toBe('Plain problem.');
  });
});
