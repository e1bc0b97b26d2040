import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { domainClassifierDrift } from '../../src/lib/multivariate/domainClassifier';
import { sideWindows } from '../../src/lib/multivariate/reconstructionDrift';
import { stratifiedFolds } from '../../src/lib/multivariate/sampling';
import { describeTable } from '../../src/lib/schema';
import { testDb } from '../helpers/db';
import { createTable } from '../helpers/tables';

interface Case {
  name: string;
  reference: Record<string, (number | string | null)[]>;
  current: Record<string, (number | string | null)[]>;
}
// Seattle weather 2012-13 (scripts/fixtures/multivariate.py): against 2014-15, and against the same days with
// each night's minimum dealt against the day's maximum (every column keeps its distribution).
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/reconstruction.json', import.meta.url), 'utf8')) as { cases: Case[] };
const COLUMNS = ['precipitation', 'temp_max', 'temp_min', 'wind'];
// scikit-learn's HistGradientBoostingClassifier with the same settings on the same folds.
const sk = JSON.parse(readFileSync(new URL('../fixtures/multivariate/domain.json', import.meta.url), 'utf8')) as {
  cases: { name: string; folds: number[]; auc: number }[];
};

let db: Db;
beforeAll(async () => {
  db = await testDb();
  for (const [name, c] of [
    ['planted', fx.cases.find((x) => x.name === 'planted joint drift')!],
    ['years', fx.cases.find((x) => x.name === 'seattle by month')!],
  ] as const)
    for (const side of ['reference', 'current'] as const) {
      const spec = Object.fromEntries(
        Object.entries(c[side]).map(([k, values]) => [
          k,
          { kind: k === 'date' ? ('categorical' as const) : ('numerical' as const), values },
        ]),
      );
      await createTable(db, `dc_${name}_${side}_raw`, spec);
      await db.query(
        `CREATE OR REPLACE TABLE dc_${name}_${side} AS SELECT * REPLACE (CAST(date AS TIMESTAMP) AS date) FROM dc_${name}_${side}_raw`,
      );
    }
});

const tables = (name: string) => ({ reference: `dc_${name}_reference`, current: `dc_${name}_current` });

describe('multivariate drift by domain classifier', () => {
  it('tells the planted joint drift apart in every chunk, with temp_min and temp_max as what separates, the same under a seed', async () => {
    const t = tables('planted');
    // Quarters keep the test fast: each window is cross-validated against the whole reference.
    const windows = await sideWindows(db, t.current, await describeTable(db, t.current), undefined, 4);
    const r = await domainClassifierDrift(db, t, COLUMNS, windows);
    expect(r.auc).toBeGreaterThan(0.8);
    expect(r.drifted).toBe(true);
    expect(
      r.features
        .slice(0, 2)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['temp_max', 'temp_min']);
    expect(r.features.reduce((a, f) => a + f.importance, 0)).toBeCloseTo(1, 12);
    expect(r.windows.map((w) => [w.start, w.rows])).toEqual([
      [1, 183],
      [2, 183],
      [3, 183],
      [4, 182],
    ]);
    expect(r.windows.every((w) => w.drifted && w.auc > 0.65)).toBe(true);
    const again = await domainClassifierDrift(db, t, COLUMNS, { kind: 'none' });
    expect([again.auc, again.features]).toEqual([r.auc, r.features]);
  });

  it("agrees with scikit-learn's histogram gradient boosting on the same folds", async () => {
    for (const c of sk.cases) {
      const r = await domainClassifierDrift(db, tables(c.name), COLUMNS, { kind: 'none' });
      const labels = new Uint8Array(r.referenceRows + r.currentRows).fill(1, r.referenceRows);
      expect(Array.from(stratifiedFolds(labels, 5, r.seed)), c.name).toEqual(c.folds);
      // Bin edges and leaf-wise growth differ, so the AUCs agree to a tolerance, not to the digit.
      expect(Math.abs(r.auc - c.auc), `${c.name}: ${r.auc} vs ${c.auc}`).toBeLessThan(0.03);
    }
  });

  it('cannot tell the reference from itself', async () => {
    const t = { reference: 'dc_planted_reference', current: 'dc_planted_reference' };
    const r = await domainClassifierDrift(db, t, COLUMNS, { kind: 'none' });
    expect(r.auc).toBeLessThan(0.6);
    expect(r.drifted).toBe(false);
    expect(r.windows).toEqual([]);
  });

  it('samples each side when asked, and explains what it cannot do', async () => {
    const t = tables('years');
    const r = await domainClassifierDrift(db, t, COLUMNS, { kind: 'none' }, { sample: 200 });
    expect([r.referenceRows, r.currentRows, r.sampled]).toEqual([200, 200, 200]);
    await expect(domainClassifierDrift(db, t, [], { kind: 'none' })).rejects.toThrow(/at least one numerical column/);
    await expect(domainClassifierDrift(db, t, COLUMNS, { kind: 'none' }, { sample: 3 })).rejects.toThrow(/at least 10 rows a side/);
    await createTable(db, 'dc_tiny', { a: { kind: 'numerical', values: [1, 2, 3] } });
    await expect(domainClassifierDrift(db, { reference: 'dc_tiny', current: 'dc_tiny' }, ['a'], { kind: 'none' })).rejects.toThrow(
      /at least 5 rows/,
    );
  });
});
