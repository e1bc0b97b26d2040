import { describe, expect, it } from 'vitest';
import type { CallOptions, Engine, LoadedWithRoles } from '../../src/client/engine';
import type { ShapPool } from '../../src/client/shapPool';
import type { LanternDexie } from '../../src/persistence';
import { Workspace } from '../../src/state/workspace.svelte';

interface Call {
  method: string;
  args: unknown[];
  priority: CallOptions['priority'];
}

/** An engine client that answers from `answers` and records every call with the priority it was made at. */
function fakeEngine(answers: Record<string, (...args: unknown[]) => unknown>): { engine: Engine; calls: Call[] } {
  const calls: Call[] = [];
  const client = (options: CallOptions) =>
    new Proxy({} as Engine, {
      get: (_target, method: string) => {
        if (method === 'with') return (next: CallOptions) => client(next);
        if (method === 'then') return undefined;
        return async (...args: unknown[]) => {
          calls.push({ method, args, priority: options.priority });
          const answer = answers[method];
          if (!answer) throw new Error(`the fake engine has no ${method}`);
          return answer(...args);
        };
      },
    });
  return { engine: client({}), calls };
}

const loaded = (table: string, name: string): LoadedWithRoles => ({
  table,
  name,
  format: 'csv',
  variant: 'csv',
  bytes: 10,
  rows: 2,
  columns: [{ name: 'x', type: 'DOUBLE', kind: 'numeric' }],
  roles: { x: 'feature' },
});

function workspaceWith(answers: Record<string, (...args: unknown[]) => unknown>) {
  const { engine, calls } = fakeEngine(answers);
  const shap = {} as ShapPool;
  const workspace = new Workspace({ engine, shap, openStorage: () => ({}) as LanternDexie });
  return { workspace, calls };
}

describe('the workspace root', () => {
  it('registers every saved section once, datasets first, and only the data-free settings with setup links', () => {
    const { workspace } = workspaceWith({});
    expect(workspace.persistence.sections.sections.map((s) => s.key)).toEqual([
      'workspace',
      'model',
      'drift',
      'performance',
      'checks',
      'versions',
      'validation',
      'history',
      'console',
      'ops',
    ]);
    expect(Object.keys(workspace.setupLink.capture().analyses).sort()).toEqual(['drift', 'performance', 'validation', 'versions']);
  });

  it('loads a dropped file at user priority, shows it, and summarises its columns in the background', async () => {
    const { workspace, calls } = workspaceWith({
      loadFile: (_blob, name, table) => loaded(table as string, name as string),
      profile: () => [],
    });
    const dataset = await workspace.addFile(new Blob(['x\n1\n2\n']), 'train.csv');
    expect(dataset?.table).toBe('ds_1');
    expect(workspace.selectedTable).toBe('ds_1');
    expect(workspace.view).toBe('data');
    await Promise.resolve();
    expect(calls.map((c) => [c.method, c.priority])).toEqual([
      ['loadFile', 'user'],
      ['profile', 'background'],
    ]);
  });

  it('gives each analysis the workspace datasets and the loaded model through what it passed in', async () => {
    const { workspace, calls } = workspaceWith({
      loadFile: (_blob, name, table) => loaded(table as string, name as string),
      profile: () => [],
      checksPreset: () => ({ checks: [] }),
    });
    await workspace.addFile(new Blob(['x\n1\n']), 'production.csv');
    await workspace.addFile(new Blob(['x\n1\n']), 'training.csv');
    workspace.drift.suggest();
    expect([workspace.drift.reference?.name, workspace.drift.current?.name]).toEqual(['training.csv', 'production.csv']);
    workspace.checks.sources = { reference: workspace.drift.reference!, current: workspace.drift.current! };
    await workspace.checks.generatePreset();
    expect(calls.find((c) => c.method === 'checksPreset')?.args).toEqual(['ds_2', 'Preset from training.csv', false, undefined]);
  });

  it('operations: two quick error-value toggles both count, whatever the engine answers in between', async () => {
    const asked: (string[] | null)[] = [];
    const { workspace } = workspaceWith({
      loadFile: (_blob, name, table) => ({
        ...loaded(table as string, name as string),
        columns: [
          { name: 'latency_ms', type: 'DOUBLE', kind: 'numeric' },
          { name: 'status', type: 'VARCHAR', kind: 'string' },
        ],
        roles: { latency_ms: 'latency', status: 'status' },
      }),
      profile: () => [],
      inferSetup: () => new Promise(() => undefined),
      opsReport: (request) => {
        const errorValues = (request as { errorValues: string[] | null }).errorValues;
        asked.push(errorValues);
        return { errorValues: errorValues ?? ['ERROR', 'failed', 'timeout'], overall: {}, windows: [], by: null, reference: null };
      },
    });
    await workspace.addFile(new Blob(['x']), 'log.csv');
    await workspace.ops.open();
    expect(asked).toEqual([null]);
    // The second click comes before the first click's report.
    const first = workspace.ops.toggleErrorValue('ERROR', false);
    const second = workspace.ops.toggleErrorValue('failed', false);
    await Promise.all([first, second]);
    expect(asked.at(-1)).toEqual(['timeout']);
    expect(workspace.ops.report?.errorValues).toEqual(['timeout']);
  });

  it('console: runs keep a history (newest first, no repeats) and a kept result becomes a dataset', async () => {
    const { workspace, calls } = workspaceWith({
      loadFile: (_blob, name, table) => loaded(table as string, name as string),
      profile: () => [],
      inferSetup: () => new Promise(() => undefined),
      runConsoleQuery: () => ({ table: '__console_1', columns: [{ name: 'n', type: 'INTEGER', kind: 'numeric' }], rows: 1, ms: 1 }),
      createTableFromResult: (source, table, name) => loaded(table as string, name as string),
    });
    await workspace.addFile(new Blob(['x']), 'flights 2001.csv');
    expect(workspace.console.tables).toEqual([{ name: 'flights_2001', table: 'ds_1' }]);
    for (const q of ['SELECT 1', 'SELECT 2', 'SELECT 1']) {
      workspace.console.text = q;
      await workspace.console.run();
    }
    expect(workspace.console.history).toEqual(['SELECT 1', 'SELECT 2']);
    expect(calls.find((c) => c.method === 'runConsoleQuery')?.args[1]).toEqual([{ name: 'flights_2001', table: 'ds_1' }]);
    const made = await workspace.console.createTable('kept');
    expect(made?.table).toBe('ds_2');
    expect(workspace.datasets.map((d) => d.name)).toEqual(['flights 2001.csv', 'kept']);
  });
});
