import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { driftReport } from '../../src/lib/drift/report';
import { componentsFor, fitReconstruction, rowErrorValueSql } from '../../src/lib/multivariate/reconstruction';
import { reconstructionDrift } from '../../src/lib/multivariate/reconstructionDrift';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';
import { createTable } from '../helpers/tables';

interface Window {
  start: number;
  rows: number;
  error: number;
  drifted: boolean;
}
interface Case {
  name: string;
  columns: string[];
  time: string | null;
  unit: 'month' | 'day' | null;
  chunks: number;
  share: number;
  sigmas: number;
  reference: Record<string, (number | string | null)[]>;
  current: Record<string, (number | string | null)[]>;
  expected: {
    columns: string[];
    components: number;
    explained: number[];
    mean: number[];
    scale: number[];
    reference_error: number;
    current_error: number;
    reference_windows: Window[];
    current_windows: Window[];
    threshold: { lower: number; upper: number; mean: number; std: number };
    drifted: boolean;
  };
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/reconstruction.json', import.meta.url), 'utf8')) as { cases: Case[] };
// scikit-learn's StandardScaler + PCA(svd_solver="full") against DuckDB aggregates and a Jacobi eigensolver.
const REL = 1e-9;

let db: Db;
beforeAll(async () => {
  db = await testDb();
});

async function load(name: string, columns: Case['reference'], time: string | null) {
  const spec = Object.fromEntries(
    Object.entries(columns).map(([c, values]) => [c, { kind: c === time ? ('categorical' as const) : ('numerical' as const), values }]),
  );
  await createTable(db, `${name}_raw`, spec);
  const replace = time ? `REPLACE (CAST("${time}" AS TIMESTAMP) AS "${time}")` : '';
  await db.query(`CREATE OR REPLACE TABLE "${name}" AS SELECT * ${replace} FROM "${name}_raw"`);
}

function sameWindows(actual: { start: number; rows: number; error: number; drifted: boolean }[], expected: Window[]) {
  expect(actual.map((w) => [w.start, w.rows, w.drifted])).toEqual(expected.map((w) => [w.start, w.rows, w.drifted]));
  actual.forEach((w, i) => closeTo(w.error, expected[i]!.error, REL));
}

describe('reconstruction-error drift against scikit-learn', () => {
  it.each(fx.cases.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const t = { reference: `mv_ref_${i}`, current: `mv_cur_${i}` };
    await load(t.reference, c.reference, c.time);
    await load(t.current, c.current, c.time);
    const r = await reconstructionDrift(db, t, {
      columns: c.columns,
      explainedVariance: c.share,
      sigmas: c.sigmas,
      chunks: c.chunks,
      ...(c.time && c.unit ? { time: { timestamp: c.time, unit: c.unit } } : {}),
    });
    const e = c.expected;
    expect(r.columns).toEqual(e.columns);
    expect(r.dropped.map((d) => d.name)).toEqual(c.columns.filter((x) => !e.columns.includes(x)));
    expect(r.components).toBe(e.components);
    closeTo(r.reference.error, e.reference_error, REL);
    closeTo(r.current.error, e.current_error, REL);
    expect(r.reference.rows).toBe(c.reference[c.columns[0]!]!.length);
    sameWindows(r.reference.windows, e.reference_windows);
    sameWindows(r.current.windows, e.current_windows);
    for (const k of ['lower', 'upper', 'mean', 'std'] as const) closeTo(r.threshold![k], e.threshold[k], REL, 1e-12);
    expect(r.drifted).toBe(e.drifted);
    const fit = await fitReconstruction(db, t.reference, c.columns, c.share);
    fit.model.mean.forEach((m, j) => closeTo(m, e.mean[j]!, REL));
    fit.model.scale.forEach((s, j) => closeTo(s, e.scale[j]!, REL));
    e.explained.forEach((x, j) => closeTo(fit.model.explained[j], x, 1e-9, 1e-12));
    // The same error written as one expression over a row's columns (the investigation's grid scans it).
    for (const [table, expected] of [
      [t.reference, e.reference_error],
      [t.current, e.current_error],
    ] as const) {
      const [row] = await db.query(`SELECT avg(${rowErrorValueSql(fit.model).text})::DOUBLE AS e FROM "${table}"`);
      closeTo(Number(row!['e']), expected, REL);
    }
  });

  it('finds joint drift that every per-column test misses', async () => {
    const i = fx.cases.findIndex((c) => c.name === 'planted joint drift');
    const c = fx.cases[i]!;
    const t = { reference: `mv_ref_${i}`, current: `mv_cur_${i}` };
    await load(t.reference, c.reference, c.time);
    await load(t.current, c.current, c.time);
    const perColumn = await driftReport(db, t, { columns: c.columns });
    expect(perColumn.columns.map((x) => [x.name, x.drifted])).toEqual(c.columns.map((x) => [x, false]));
    const r = await reconstructionDrift(db, t, { columns: c.columns, time: { timestamp: 'date', unit: 'month' } });
    expect(r.drifted).toBe(true);
    expect(r.current.error).toBeGreaterThan(r.threshold!.upper);
  });

  it('picks the shared numerical columns and explains what it cannot do', async () => {
    await createTable(db, 'mv_small_ref', {
      a: { kind: 'numerical', values: [1, 2, 3, 4] },
      b: { kind: 'numerical', values: [2, 4, 6, 9] },
      s: { kind: 'categorical', values: ['x', 'y', 'x', 'y'] },
    });
    await createTable(db, 'mv_small_cur', { a: { kind: 'numerical', values: [1, null] }, b: { kind: 'numerical', values: [2, 3] } });
    const t = { reference: 'mv_small_ref', current: 'mv_small_cur' };
    const r = await reconstructionDrift(db, t, { chunks: 1 });
    expect(r.columns).toEqual(['a', 'b']);
    expect(r.threshold).toBeNull();
    expect(r.thresholdNote).toMatch(/one window/);
    expect(r.drifted).toBe(false);
    expect(r.current.rows).toBe(2);
    await expect(reconstructionDrift(db, t, { columns: ['a', 's'] })).rejects.toThrow(/not in both tables/);
    await expect(reconstructionDrift(db, t, { columns: ['a'] })).rejects.toThrow(/at least two numerical columns/);
    await expect(reconstructionDrift(db, t, { explainedVariance: 0 })).rejects.toThrow(/above 0 and at most 1/);
    await expect(reconstructionDrift(db, t, { time: { timestamp: 'when', unit: 'day' } })).rejects.toThrow(/no column "when"/);
    await createTable(db, 'mv_one_row', { a: { kind: 'numerical', values: [1] }, b: { kind: 'numerical', values: [2] } });
    await expect(reconstructionDrift(db, { reference: 'mv_one_row', current: 'mv_small_cur' })).rejects.toThrow(/at least two rows/);
    await createTable(db, 'mv_flat', { a: { kind: 'numerical', values: [1, 1, 1] }, b: { kind: 'numerical', values: [5, 5, 5] } });
    await expect(reconstructionDrift(db, { reference: 'mv_flat', current: 'mv_small_cur' })).rejects.toThrow(/do not vary/);
  });

  it('keeps components as scikit-learn counts a float share', () => {
    expect(componentsFor([0.5, 0.15, 0.35], 0.65)).toBe(3);
    expect(componentsFor([0.65, 0.2, 0.15], 0.65)).toBe(2);
    expect(componentsFor([0.7, 0.3], 0.65)).toBe(1);
    expect(componentsFor([0.7, 0.3], 1)).toBe(2);
  });
});
