import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { driftReport } from '../../src/lib/drift/report';
import { embeddingDriftStats, type EmbeddingProjection, type MmdResult } from '../../src/lib/multivariate/embeddingDrift';
import { detectEmbeddings, type EmbeddingColumn } from '../../src/lib/multivariate/embeddingColumns';
import { embeddingColumnDrift } from '../../src/lib/multivariate/embeddingVectors';
import type { ClassifierVerdict } from '../../src/lib/multivariate/verdict';
import { describeTable } from '../../src/lib/schema';
import { inferSetup } from '../../src/lib/setup/infer';
import { investigate } from '../../src/lib/usecases/investigate';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';
import { createTable } from '../helpers/tables';
import { expectProjection, type EmbeddingCase } from '../helpers/embeddings';

// Unit-length embeddings of Seattle's daily weather with numpy / scikit-learn numbers
// (scripts/fixtures/embeddings.py), loaded three ways: 24 numbered columns, a list column, an array column.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embeddings.json', import.meta.url), 'utf8')) as {
  cases: EmbeddingCase[];
};
const DIMS = 24;
const names = Array.from({ length: DIMS }, (_, j) => `emb_${j}`);
const listOf = names.map((n) => `"${n}"`).join(', ');

let db: Db;
beforeAll(async () => {
  db = await testDb();
  for (const [key, c] of [
    ['same', fx.cases.find((x) => x.name === 'no drift')!],
    ['shift', fx.cases.find((x) => x.name === 'planted shift')!],
  ] as const)
    for (const side of ['reference', 'current'] as const) {
      const rows = c[side];
      const t = `emb_${key}_${side}`;
      await createTable(db, t, {
        // A real feature beside the vectors: the first number scaled, tested column by column.
        reading: { kind: 'numerical', values: rows.map((r) => Math.round(r[0]! * 1000)) },
        ...Object.fromEntries(names.map((n, j) => [n, { kind: 'numerical' as const, values: rows.map((r) => r[j]!) }])),
      });
      await db.query(`CREATE OR REPLACE TABLE ${t}_list AS SELECT reading, [${listOf}]::DOUBLE[] AS vec FROM ${t}`);
      await db.query(`CREATE OR REPLACE TABLE ${t}_array AS SELECT reading, [${listOf}]::DOUBLE[${DIMS}] AS vec FROM ${t}`);
    }
});

const tables = (key: string, form = '') => ({ reference: `emb_${key}_reference${form}`, current: `emb_${key}_current${form}` });
const prefix: EmbeddingColumn = { name: 'emb_*', source: 'prefix', columns: names, dims: DIMS };
const list: EmbeddingColumn = { name: 'vec', source: 'list', columns: ['vec'], dims: null };

describe('embedding drift read from DuckDB', () => {
  it('groups the numbered columns in the drift report and tests the rest column by column', async () => {
    const report = await driftReport(db, tables('shift'));
    expect(report.embeddings).toEqual([prefix]);
    expect(report.columns.map((c) => c.name)).toEqual(['reading']);
    expect(report.notTested.find((n) => n.name === 'emb_3')?.reason).toMatch(/grouped into the embedding emb_\* \(24 columns\)/);
    const ungrouped = await driftReport(db, tables('shift'), { ungroupEmbeddings: ['emb_*'] });
    expect(ungrouped.embeddings).toEqual([]);
    expect(ungrouped.columns).toHaveLength(1 + DIMS);
    const listed = await driftReport(db, tables('shift', '_list'));
    expect(listed.embeddings).toEqual([list]);
    expect(listed.notTested).toEqual([{ name: 'vec', reason: 'an embedding, compared as vectors' }]);
    const arrays = detectEmbeddings(
      await describeTable(db, 'emb_shift_reference_array'),
      await describeTable(db, 'emb_shift_current_array'),
    );
    expect(arrays).toEqual([{ name: 'vec', source: 'array', columns: ['vec'], dims: DIMS }]);
  });

  it.each([
    ['no drift', 'same'],
    ['planted shift', 'shift'],
  ])('%s: numbered columns, a list and an array give numpy and scikit-learn numbers', async (name, key) => {
    const e = fx.cases.find((c) => c.name === name)!.expected;
    const results = [
      await embeddingColumnDrift(db, tables(key), prefix, { permutations: 50 }),
      await embeddingColumnDrift(db, tables(key, '_list'), list, { permutations: 50 }),
      await embeddingColumnDrift(db, tables(key, '_array'), { ...list, source: 'array', dims: DIMS }, { permutations: 50 }),
    ];
    for (const r of results) {
      expect([r.dims, r.referenceRows, r.currentRows, r.sampled, r.skipped]).toEqual([DIMS, 300, 300, null, { reference: 0, current: 0 }]);
      closeTo(r.distance.value, e.distance, 1e-12);
      closeTo((r.mmd as MmdResult).gamma, e.gamma, 1e-12);
      closeTo((r.mmd as MmdResult).value, e.mmd, 0, 1e-6);
      closeTo((r.model as ClassifierVerdict).auc, e.auc, 1e-9);
      const p = r.projection as EmbeddingProjection;
      closeTo(p.explained[0], e.explained[0], 1e-9);
      expectProjection(p, e, 1e-6);
      expect(r.drifted).toBe(name === 'planted shift');
      expect((r.mmd as MmdResult).drifted).toBe(name === 'planted shift');
    }
    expect(results[1]!.embedding.dims).toBe(DIMS);
  });

  it('leaves out NULL vectors and vectors with a NULL, NaN or infinite number, and says how many', async () => {
    await db.query(`CREATE OR REPLACE TABLE emb_holes AS SELECT * FROM emb_shift_current_list`);
    await db.query(`INSERT INTO emb_holes VALUES (1, NULL), (2, [${Array(DIMS).fill('0.1').join(',')}]::DOUBLE[])`);
    await db.query(
      `INSERT INTO emb_holes SELECT 3, list_transform(vec, (x, i) -> CASE WHEN i = 5 THEN 'NaN'::DOUBLE ELSE x END) FROM emb_shift_reference_list LIMIT 2`,
    );
    await db.query(
      `INSERT INTO emb_holes SELECT 4, [${Array(DIMS - 1)
        .fill('0.2')
        .join(',')}, NULL]::DOUBLE[]`,
    );
    await db.query(
      `INSERT INTO emb_holes SELECT 5, [${Array(DIMS - 1)
        .fill('0.2')
        .join(',')}, 'inf'::DOUBLE]::DOUBLE[]`,
    );
    const r = await embeddingColumnDrift(db, { reference: 'emb_shift_reference_list', current: 'emb_holes' }, list, { permutations: 10 });
    expect([r.currentRows, r.skipped.current]).toEqual([301, 5]);
    const c = fx.cases.find((x) => x.name === 'planted shift')!;
    const direct = embeddingDriftStats(
      {
        dims: DIMS,
        reference: Float64Array.from(c.reference.flat()),
        current: Float64Array.from([...c.current.flat(), ...Array(DIMS).fill(0.1)]),
      },
      { permutations: 10 },
    );
    closeTo(r.distance.value, direct.distance.value, 1e-12);
    closeTo((r.model as ClassifierVerdict).auc, (direct.model as ClassifierVerdict).auc, 1e-12);
  });

  it('samples only when asked, the same rows under the seed, and asks for a sample above its limit', async () => {
    const a = await embeddingColumnDrift(db, tables('shift'), prefix, { sample: 120, permutations: 10 });
    const b = await embeddingColumnDrift(db, tables('shift'), prefix, { sample: 120, permutations: 10 });
    expect([a.referenceRows, a.currentRows, a.sampled]).toEqual([120, 120, 120]);
    expect(a.distance.value).toBe(b.distance.value);
    const big = embeddingColumnDrift(db, tables('shift'), prefix, { maxValues: 1000 });
    await expect(big).rejects.toMatchObject({ code: 'too-large' });
    await expect(big).rejects.toThrow(/300 vectors of 24 numbers on one side.*sample at most 41 vectors a side/);
    await expect(embeddingColumnDrift(db, tables('shift'), prefix, { sample: 1 })).rejects.toThrow(/at least 2 vectors/);
  });

  it('refuses vectors of different lengths and stops when cancelled', async () => {
    await db.query(`CREATE OR REPLACE TABLE emb_ragged AS SELECT * FROM emb_shift_current_list UNION ALL SELECT 0, [1.0, 2.0]`);
    await expect(embeddingColumnDrift(db, { reference: 'emb_shift_reference_list', current: 'emb_ragged' }, list)).rejects.toThrow(
      /have 2 to 24 numbers: an embedding has the same number in every row/,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(embeddingColumnDrift(db, tables('shift'), prefix, { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('embedding drift in the investigation', () => {
  const investigateSides = async (key: 'same' | 'shift', shape: '' | '_list') => {
    const reference = `emb_${key}_reference${shape}`;
    const current = `emb_${key}_current${shape}`;
    const setup = await inferSetup(
      db,
      [
        { table: reference, name: 'reference.csv' },
        { table: current, name: 'current.csv' },
      ],
      { hints: { reference, current } },
    );
    return investigate({ db }, { setup });
  };

  it.each(['', '_list'] as const)('finds the planted shift as one drifted embedding, not as numbered columns (%s)', async (shape) => {
    const inv = await investigateSides('shift', shape);
    const shifted = inv.findings.filter((f) => f.id.startsWith('embedding-drift|'));
    expect(shifted).toHaveLength(1);
    const name = shape ? 'vec' : 'emb_*';
    expect(shifted[0]!.title).toMatch(
      new RegExp(
        `^The embedding ${name.replace('*', '\\*')} \\(24 numbers a row\\) drifted: a classifier tells log rows from reference rows with ROC AUC 0\\.\\d+`,
      ),
    );
    // The same classifier as the Drift view's, on the same rows (fewer than the sample): its AUC.
    const direct = await embeddingColumnDrift(
      db,
      { reference: `emb_shift_reference${shape}`, current: `emb_shift_current${shape}` },
      detectEmbeddings(await describeTable(db, `emb_shift_reference${shape}`), await describeTable(db, `emb_shift_current${shape}`))[0]!,
      { sample: 2000 },
    );
    expect(shifted[0]!.evidence['statistic']).toBe((direct.model as ClassifierVerdict).auc);
    expect(inv.findings.some((f) => f.columns.some((c) => /^emb_\d+$/.test(c)))).toBe(false);
  });

  it('says nothing of an embedding that did not move', async () => {
    const inv = await investigateSides('same', '');
    expect(inv.findings.filter((f) => f.id.startsWith('embedding-drift|'))).toEqual([]);
  });
});
