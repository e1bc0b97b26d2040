import { describe, expect, it } from 'vitest';
import type { DatasetRefs } from '../../src/state/settings/area';
import { validationArea, type ValidationHolder } from '../../src/state/settings/validation';

type D = { table: string; name: string };
const training: D = { table: 'ds_1', name: 'training.csv' };
const test: D = { table: 'ds_2', name: 'test.csv' };
const byTable: DatasetRefs<D> = { datasets: [training, test], by: 'table' };
/** The colleague dropped the files in another order: other tables, same names. */
const elsewhere: DatasetRefs<D> = {
  datasets: [
    { table: 'ds_7', name: 'test.csv' },
    { table: 'ds_8', name: 'training.csv' },
  ],
  by: 'name',
};
const stored = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
const settle = () => new Promise((r) => setTimeout(r, 0));

function holder(): ValidationHolder<D> & { calls: string[] } {
  const calls: string[] = [];
  const h: ValidationHolder<D> & { calls: string[] } = {
    calls,
    chosen: null,
    sensitive: [],
    minGroupSize: 30,
    threshold: null,
    report: null,
    error: null,
    run: async () => {
      calls.push(`run ${h.sensitive.join(',')} ${h.minGroupSize}`);
      h.report = {};
      h.threshold = 0.5;
    },
    update: async (t = h.threshold, m = h.minGroupSize) => {
      calls.push(`update ${t} ${m}`);
      h.threshold = t;
    },
  };
  return h;
}

describe('validation settings', () => {
  const area = validationArea<D>();

  it('round-trips the files, sensitive columns, group size and threshold, and validates again when it had run', async () => {
    const a = holder();
    Object.assign(a, {
      chosen: { data: test, reference: training },
      sensitive: ['age', 'sex'],
      minGroupSize: 50,
      threshold: 0.3,
      report: {},
    });
    const saved = area.schema.parse(stored(area.capture(a, byTable)));
    expect(saved).toEqual({
      sources: { data: 'ds_2', labels: null, reference: 'ds_1' },
      sensitive: ['age', 'sex'],
      minGroupSize: 50,
      threshold: 0.3,
      ran: true,
    });
    const b = holder();
    area.apply(b, saved, byTable);
    await settle();
    expect(b.chosen).toEqual({ data: test, reference: training });
    expect(b.calls).toEqual(['run age,sex 50', 'update 0.3 50']);
  });

  it('names files in links, so a colleague with other table numbers gets the same pair', () => {
    const a = holder();
    Object.assign(a, { chosen: { data: test, reference: training }, sensitive: ['age'] });
    const link = area.capture(a, { ...byTable, by: 'name' });
    const b = holder();
    area.apply(b, area.schema.parse(stored(link)), elsewhere);
    expect(b.chosen?.data.table).toBe('ds_7');
    expect(b.chosen?.reference?.table).toBe('ds_8');
    expect(b.calls).toEqual([]);
  });

  it('reads data without later fields with their defaults, refuses a group size of 0, and reset clears', () => {
    expect(area.schema.parse({ sources: null })).toEqual({ sources: null, sensitive: [], minGroupSize: 30, threshold: null, ran: false });
    expect(() => area.schema.parse({ sources: null, minGroupSize: 0 })).toThrow();
    const h = holder();
    Object.assign(h, { sensitive: ['age'], report: {}, threshold: 0.2 });
    area.reset(h);
    expect([h.sensitive, h.report, h.threshold, h.minGroupSize]).toEqual([[], null, null, 30]);
  });
});
