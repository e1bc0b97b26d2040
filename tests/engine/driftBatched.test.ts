/**
 * The report pulls the numerical columns of a side together (one Arrow query for a batch of columns) and
 * counts NULLs and NaN/±inf from the pulled values. It must give the very numbers of the per-column paths
 * (GROUP BY counts, sorted sides) that the scipy fixtures check, for every fixture case and column type.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { numericalColumnDrift, type ColumnDrift } from '../../src/lib/drift/columnDrift';
import { driftReport } from '../../src/lib/drift/report';
import { pullSortedSide } from '../../src/lib/drift/sides';
import { testDb } from '../helpers/db';
import { createTable, decodeNumber, type FixtureValue } from '../helpers/tables';

interface Case {
  name: string;
  kind: 'numerical' | 'categorical';
  reference: FixtureValue[];
  current: FixtureValue[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/columns.json', import.meta.url), 'utf8')) as { cases: Case[] };
const numerical = fx.cases.filter((c) => c.kind === 'numerical');

let db: Db;
beforeAll(async () => {
  db = await testDb();
});

const pad = (values: FixtureValue[], n: number): FixtureValue[] => [...values, ...new Array<FixtureValue>(n - values.length).fill(null)];
const countOf = (values: FixtureValue[], test: (v: number | null) => boolean) => values.map(decodeNumber).filter(test).length;

/** Everything but the column name must match. */
function expectSame(batched: ColumnDrift, single: ColumnDrift) {
  expect({ ...batched, name: single.name }).toEqual(single);
}

describe('batched numerical pull = per-column paths', () => {
  it('gives the same result for every numerical fixture case, side by side in one wide table', async () => {
    const nRef = Math.max(...numerical.map((c) => c.reference.length));
    const nCur = Math.max(...numerical.map((c) => c.current.length));
    // NULL padding brings the cases to one length: NULLs are dropped before every test.
    await createTable(
      db,
      'wide_ref',
      Object.fromEntries(numerical.map((c, i) => [`c${i}`, { kind: 'numerical', values: pad(c.reference, nRef) }])),
    );
    await createTable(
      db,
      'wide_cur',
      Object.fromEntries(numerical.map((c, i) => [`c${i}`, { kind: 'numerical', values: pad(c.current, nCur) }])),
    );
    const report = await driftReport(db, { reference: 'wide_ref', current: 'wide_cur' }, { columns: numerical.map((_, i) => `c${i}`) });
    expect([report.referenceRows, report.currentRows]).toEqual([nRef, nCur]);
    for (const [i, c] of numerical.entries()) {
      const t = { reference: `one_ref_${i}`, current: `one_cur_${i}` };
      await createTable(db, t.reference, { v: { kind: 'numerical', values: c.reference } });
      await createTable(db, t.current, { v: { kind: 'numerical', values: c.current } });
      const batched = report.columns[i]!;
      expectSame(batched, await numericalColumnDrift(db, t, 'v', { approxDistinct: 1e9 }));
      expectSame(batched, await numericalColumnDrift(db, t, 'v', { approxDistinct: 0 }));
      const isNull = (v: number | null) => v === null;
      const nonFinite = (v: number | null) => v !== null && !Number.isFinite(v);
      expect(report.dropped[`c${i}`], c.name).toEqual({
        refNulls: countOf(c.reference, isNull) + nRef - c.reference.length,
        curNulls: countOf(c.current, isNull) + nCur - c.current.length,
        refNonFinite: countOf(c.reference, nonFinite),
        curNonFinite: countOf(c.current, nonFinite),
      });
    }
  });

  it('gives the same result for integer, decimal, all-null and single-value columns, batched or one by one', async () => {
    const side = (offset: number, shift: number) => `
      SELECT CAST(floor(((i * 7919 + ${offset}) % 1013) / 10.0) + ${shift} AS INTEGER) AS int32,
             CAST((i * 104729 + ${offset}) % 100003 AS BIGINT) * 1000 AS int64,
             CAST(((i * 31 + ${offset}) % 977) / 7.0 + ${shift} AS DECIMAL(12, 3)) AS dec,
             CAST(NULL AS DOUBLE) AS all_null,
             CASE WHEN i % 5 = 0 THEN NULL ELSE 4.5 END AS single,
             CASE WHEN i % 97 = 0 THEN 'NaN'::DOUBLE WHEN i % 89 = 0 THEN 'inf'::DOUBLE WHEN i % 83 = 0 THEN NULL
                  ELSE sin(i + ${offset}) * 100 END AS with_nan,
             CAST((i + ${offset}) % 2 AS TINYINT) AS two_values
      FROM range(${offset ? 2_600 : 3_000}) t(i)`;
    await db.query(`CREATE OR REPLACE TABLE typed_ref AS ${side(0, 0)}`);
    await db.query(`CREATE OR REPLACE TABLE typed_cur AS ${side(17, 1)}`);
    const t = { reference: 'typed_ref', current: 'typed_cur' };
    const names = ['int32', 'int64', 'dec', 'all_null', 'single', 'with_nan', 'two_values'];
    const report = await driftReport(db, t, { columns: names });
    // Two columns per query: the batches must line up with the columns.
    expect(await driftReport(db, t, { columns: names, batchValues: 6_000 })).toEqual(report);
    for (const [i, name] of names.entries()) {
      const batched = report.columns[i]!;
      expect(batched.name).toBe(name);
      expectSame(batched, await numericalColumnDrift(db, t, name, { approxDistinct: 1e9 }));
      expectSame(batched, await numericalColumnDrift(db, t, name, { approxDistinct: 0 }));
    }
    expect(report.columns.find((c) => c.name === 'all_null')?.score).toBeNull();
    expect(report.dropped['all_null']).toEqual({ refNulls: 3000, curNulls: 2600, refNonFinite: 0, curNonFinite: 0 });
    const [r] = await db.query(
      `SELECT count(*) FILTER (WHERE with_nan IS NULL)::DOUBLE AS nulls, count(*) FILTER (WHERE NOT isfinite(with_nan))::DOUBLE AS nonfinite FROM typed_ref`,
    );
    expect([report.dropped['with_nan']?.refNulls, report.dropped['with_nan']?.refNonFinite]).toEqual([r?.['nulls'], r?.['nonfinite']]);
    // One query per column or all in one: the same sorted values.
    const together = await pullSortedSide(db, 'typed_ref', names);
    for (const [i, name] of names.entries()) expect(together[i]).toEqual((await pullSortedSide(db, 'typed_ref', [name]))[0]);
    // No rows: no values.
    const none = { values: new Float64Array(0), nulls: 0, nonFinite: 0 };
    expect(await pullSortedSide(db, 'typed_ref', names, { where: 'FALSE' })).toEqual(names.map(() => none));
  });
});
