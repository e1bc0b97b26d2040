import type { CallOptions, Engine, LoadedWithRoles } from '../../src/client/engine';
import type { ShapPool } from '../../src/client/shapPool';
import type { LanternDexie } from '../../src/persistence';
import { Workspace } from '../../src/state/workspace.svelte';

export interface Call {
  method: string;
  args: unknown[];
  priority: CallOptions['priority'];
}

/** An engine client that answers from `answers` and records every call with the priority it was made at. */
export function fakeEngine(answers: Record<string, (...args: unknown[]) => unknown>): { engine: Engine; calls: Call[] } {
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

/** A workspace over a fake engine (no SHAP pool, no storage). */
export function workspaceWith(answers: Record<string, (...args: unknown[]) => unknown>) {
  const { engine, calls } = fakeEngine(answers);
  const workspace = new Workspace({ engine, shap: {} as ShapPool, openStorage: () => ({}) as LanternDexie });
  return { workspace, calls };
}

export const loadedTable = (table: string, name: string, columns: string[]): LoadedWithRoles => ({
  table,
  name,
  format: 'csv',
  variant: 'csv',
  bytes: 10,
  rows: 2,
  columns: columns.map((c) => ({ name: c, type: 'VARCHAR', kind: 'string' })),
  roles: Object.fromEntries(columns.map((c) => [c, 'feature'])),
});
