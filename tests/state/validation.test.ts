import { describe, expect, it } from 'vitest';
import type { CallOptions, Engine, LoadedWithRoles, ValidationReport } from '../../src/client/engine';
import type { ColumnRole } from '../../src/lib/roles';
import { Dataset } from '../../src/state/dataset.svelte';
import { ValidationState } from '../../src/state/validation.svelte';

interface Call {
  method: string;
  args: unknown[];
  priority: CallOptions['priority'];
}

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

function dataset(table: string, name: string, roles: Record<string, ColumnRole>): Dataset {
  const loaded: LoadedWithRoles = {
    table,
    name,
    format: 'csv',
    variant: 'csv',
    bytes: 10,
    rows: 100,
    columns: Object.keys(roles).map((c) => ({ name: c, type: 'DOUBLE', kind: 'numeric' })),
    roles,
  };
  return new Dataset(loaded);
}

const roles = { id: 'id', age: 'feature', region: 'segment', label: 'label', score: 'score' } as const;
const report = (threshold: number) => ({ threshold, checks: [], missing: {} }) as unknown as ValidationReport;

describe('validation state', () => {
  it('follows the loaded files until the user picks, offers segments then features as sensitive columns, and runs at user priority', async () => {
    const datasets: Dataset[] = [];
    const { engine, calls } = fakeEngine({
      openValidation: () => ({ id: 'validation_1', summary: {}, report: report(0.5) }),
      validationAt: (_id, t) => report(t as number),
    });
    const v = new ValidationState(
      engine,
      () => datasets,
      () => null,
    );
    expect(v.sources).toBeNull();
    datasets.push(dataset('ds_1', 'train.csv', roles), dataset('ds_2', 'test.csv', roles));
    expect(v.sources?.data.name).toBeDefined();
    expect(v.candidates).toEqual(['region', 'age']);
    v.choose({ data: datasets[1]!, reference: datasets[0]! });
    v.toggleSensitive('region');
    v.toggleSensitive('age');
    v.toggleSensitive('age');
    await v.run();
    expect(v.error).toBeNull();
    expect(v.threshold).toBe(0.5);
    const open = calls.find((c) => c.method === 'openValidation')!;
    expect(open.priority).toBe('user');
    expect(open.args[0]).toMatchObject({
      data: 'ds_2',
      reference: 'ds_1',
      choices: { id: 'id', score: 'score', label: 'label' },
      options: { sensitive: ['region'], minGroupSize: 30 },
    });
  });

  it('shows only the latest answer when slider moves overlap', async () => {
    const pending: ((r: ValidationReport) => void)[] = [];
    const { engine } = fakeEngine({
      openValidation: () => ({ id: 'validation_1', summary: {}, report: report(0.5) }),
      validationAt: () => new Promise<ValidationReport>((resolve) => pending.push(resolve)),
    });
    const data = dataset('ds_1', 'test.csv', roles);
    const v = new ValidationState(
      engine,
      () => [data],
      () => null,
    );
    await v.run();
    const first = v.update(0.4);
    const second = v.update(0.3);
    await Promise.resolve();
    await Promise.resolve();
    pending[1]!(report(0.3));
    await second;
    pending[0]!(report(0.4));
    await first;
    expect(v.threshold).toBe(0.3);
    expect(v.report?.threshold).toBe(0.3);
  });

  it('shows the engine error as a message', async () => {
    const { engine } = fakeEngine({
      openValidation: () => {
        throw new Error('There is no column "sex" to compare groups by.');
      },
    });
    const data = dataset('ds_1', 'test.csv', roles);
    const v = new ValidationState(
      engine,
      () => [data],
      () => null,
    );
    await v.run();
    expect(v.error).toMatch(/no column "sex"/);
    expect(v.busy).toBe(false);
  });
});
