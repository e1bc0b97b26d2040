import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { couldBeAlmostConstant, dataQuality, type QualityReport } from '../../src/lib/drift/quality';
import { compareSchemas } from '../../src/lib/drift/schemaDiff';
import { describeTable } from '../../src/lib/schema';
import { testDb } from '../helpers/db';

let db: Db;
let q: QualityReport;
const t = { reference: 'q_ref', current: 'q_cur' };

beforeAll(async () => {
  db = await testDb();
  // Reference: x in [0, 10], city in {a, b}, code numeric, flag varies, gone only here.
  await db.query(`CREATE OR REPLACE TABLE q_ref AS SELECT i AS id, (i % 11)::DOUBLE AS x, CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END AS city,
    i::INTEGER AS code, (i % 3)::INTEGER AS flag, 1 AS gone FROM range(100) r(i)`);
  // Current: 3 x values out of range, 2 NULL and 1 NaN x, 4 rows of unseen city 'zz' (2 distinct: zz, yy),
  // code is text with 2 non-numbers, flag constant, 99 of 103 city values 'a' (almost constant), and
  // the rows of id 7 (once more) and id 50 (twice more) repeated exactly: 3 duplicate rows, 2 duplicate ids.
  await db.query(`CREATE OR REPLACE TABLE q_cur AS
    SELECT i AS id,
      CASE WHEN i < 3 THEN 20.0 + i WHEN i IN (3, 4) THEN NULL WHEN i = 5 THEN 'nan'::DOUBLE ELSE (i % 11)::DOUBLE END AS x,
      CASE WHEN i < 3 THEN 'zz' WHEN i = 3 THEN 'yy' ELSE 'a' END AS city,
      CASE WHEN i IN (10, 11) THEN 'n/a' ELSE i::VARCHAR END AS code,
      7 AS flag, 'new' AS extra
    FROM range(100) r(i)
    UNION ALL SELECT 7, 7.0, 'a', '7', 7, 'new'
    UNION ALL SELECT * FROM (SELECT 50 AS id, 6.0 AS x, 'a' AS city, '50' AS code, 7 AS flag, 'new' AS extra) UNION ALL SELECT 50, 6.0, 'a', '50', 7, 'new'`);
  q = await dataQuality(db, t, await describeTable(db, t.reference), await describeTable(db, t.current), { id: 'id' });
}, 60_000);

const issue = (check: string, column: string | null) => q.issues.find((i) => i.check === check && i.column === column);

describe('data quality against the reference', () => {
  it('compares schemas by name', async () => {
    const s = compareSchemas(await describeTable(db, t.reference), await describeTable(db, t.current));
    expect(s.missingColumns).toEqual(['gone']);
    expect(s.newColumns).toEqual(['extra']);
    expect(s.typeChanges.map((c) => [c.name, c.referenceType, c.currentType, c.comparable])).toEqual([
      ['code', 'INTEGER', 'VARCHAR', false],
    ]);
    expect(s.typeChanges.find((c) => c.name === 'code')).toMatchObject({
      referenceType: 'INTEGER',
      currentType: 'VARCHAR',
      comparable: false,
    });
    expect(s.typeChanges.find((c) => c.name === 'x')).toBeUndefined();
  });

  it('counts every kind of issue with examples', () => {
    expect(q.currentRows).toBe(103);
    expect(q.missing.find((m) => m.column === 'x')).toEqual({ column: 'x', reference: 0, current: 3 / 103 });
    expect(issue('missing', 'x')).toMatchObject({ count: 3 });
    expect(issue('out-of-range', 'x')).toMatchObject({ count: 3 });
    expect(
      issue('out-of-range', 'x')!
        .examples.map((r) => r['x'])
        .sort(),
    ).toEqual([20, 21, 22]);
    expect(issue('unseen-category', 'city')).toMatchObject({ count: 4, detail: '4 rows hold 2 values never seen in the reference' });
    expect(issue('type-mismatch', 'code')).toMatchObject({ count: 2 });
    expect(issue('type-mismatch', 'code')!.examples.map((r) => r['code'])).toEqual(['n/a', 'n/a']);
    expect(issue('constant', 'flag')).toMatchObject({ count: 103 });
    expect(issue('almost-constant', 'city')).toMatchObject({ count: 99 });
    expect(issue('duplicate-rows', null)).toMatchObject({ count: 3 });
    expect(issue('duplicate-rows', null)!.examples.map((r) => [r['id'], r['copies']])).toEqual([
      [50, 3],
      [7, 2],
    ]);
    expect(issue('duplicate-ids', 'id')).toMatchObject({ count: 5, detail: '2 ids appear more than once (5 rows)' });
    expect(issue('duplicate-ids', 'id')!.examples.map((r) => r['id'])).toEqual([7, 7, 50, 50, 50]);
  });
});

describe('data quality on larger columns (one scan per check, exact where it counts)', () => {
  it('finds an almost-constant column among continuous ones, and bounds the range by the exact doubles', async () => {
    // 5,000 rows: `mostly` is 96% one value and 4% distinct values; `smooth` is continuous; the reference
    // range of `tight` ends at 0.30000000000000004, which a DECIMAL literal 0.30000000000000004 would not hold.
    await db.query(`CREATE OR REPLACE TABLE big_ref AS
      SELECT sin(i) AS smooth, CASE WHEN i % 25 = 0 THEN i * 1.5 ELSE 2.0 END AS mostly,
             CASE WHEN i = 0 THEN 0.1 + 0.2 ELSE 0.1 END AS tight FROM range(5000) r(i)`);
    await db.query(`CREATE OR REPLACE TABLE big_cur AS
      SELECT cos(i) AS smooth, CASE WHEN i % 25 = 0 THEN i * 1.5 ELSE 2.0 END AS mostly,
             CASE WHEN i = 0 THEN 0.1 + 0.2 WHEN i = 1 THEN 0.3 WHEN i = 2 THEN 0.30000000000000010 ELSE 0.2 END AS tight
      FROM range(5000) r(i)`);
    const big = { reference: 'big_ref', current: 'big_cur' };
    const report = await dataQuality(db, big, await describeTable(db, big.reference), await describeTable(db, big.current));
    const found = (check: string, column: string) => report.issues.find((i) => i.check === check && i.column === column);
    expect(found('almost-constant', 'mostly')).toMatchObject({ count: 4800 });
    expect(found('almost-constant', 'smooth')).toBeUndefined();
    expect(found('constant', 'smooth')).toBeUndefined();
    // Only 0.30000000000000010 lies above 0.1 + 0.2 (0.1 + 0.2 itself and 0.3 do not).
    expect(found('out-of-range', 'tight')).toMatchObject({ count: 1 });
    expect(found('out-of-range', 'tight')!.examples.map((r) => r['tight'])).toEqual([0.3000000000000001]);
  });

  it('decides which columns need the exact top-value query from bounds that cannot miss one', () => {
    // 95% one value: at most 5% + 1 distinct.
    expect(couldBeAlmostConstant(1_000_000, 50_001)).toBe(true);
    // HyperLogLog overshooting by 50% still passes.
    expect(couldBeAlmostConstant(1_000_000, 75_000)).toBe(true);
    expect(couldBeAlmostConstant(1_000_000, 990_000)).toBe(false);
    expect(couldBeAlmostConstant(10, 10)).toBe(true);
    expect(couldBeAlmostConstant(0, 0)).toBe(false);
  });
});
