import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { describeTable } from '../../src/lib/schema';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
import { binCodes } from '../../src/lib/slices/encode';
import { testDb } from '../helpers/db';

/**
 * A string column's codes come from one list_position instead of a CASE of `=` tests (decision 0402):
 * the codes must equal those of the CASE over each value's own `where`, row by row - with a NULL among
 * the top values, quotes, non-ASCII text, and rare values beyond the top that get code 0.
 */
describe('string slice codes', () => {
  it.each([
    ['a NULL among the top values', 'CASE WHEN i % 5 = 0 THEN NULL ELSE v END'],
    ['no NULL', 'v'],
  ])('equal the CASE over the values, %s', async (_, expr) => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE strcodes AS SELECT ${expr} AS s, (i % 4 = 0) AS b FROM (
        SELECT i, CASE WHEN i % 97 = 0 THEN 'rare_' || i ELSE ['plain', 'it''s', 'naïve ☃', '', 'x"; DROP TABLE t; --'][1 + i % 5] END AS v
        FROM range(5000) t(i))`);
    const cols = await describeTable(db, 'strcodes');
    const dims = await sliceDimensions(db, 'strcodes', cols, { s: 'feature', b: 'feature' }, { maxValues: 5 });
    const dim = dims.find((d) => d.name === 's')!;
    expect(dim.codeSql).toContain('list_position');
    const oldCase = `(CASE ${dim.values.map((v) => `WHEN ${v.where} THEN ${v.code}`).join(' ')} ELSE 0 END)`;
    const [r] = await db.query(
      `SELECT count(*)::DOUBLE AS n, count(*) FILTER (WHERE ${dim.codeSql} IS DISTINCT FROM ${oldCase})::DOUBLE AS differ,
        count(DISTINCT ${dim.codeSql})::DOUBLE AS codes FROM strcodes`,
    );
    expect(r).toEqual({ n: 5000, differ: 0, codes: 6 });
  });
});

/**
 * Quantile dimensions are pulled as DOUBLE values and binned in JS (decision 0402): the codes must equal
 * those of `codeSql` in DuckDB row by row - values on the edges, NULL, NaN, infinities, -0, integers and
 * decimals.
 */
describe('quantile slice codes binned in JS', () => {
  it('equal codeSql row by row', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE qcodes AS SELECT
        CASE WHEN i % 37 = 0 THEN NULL WHEN i % 41 = 0 THEN 'NaN'::DOUBLE WHEN i % 43 = 0 THEN 'inf'::DOUBLE
             WHEN i % 47 = 0 THEN '-inf'::DOUBLE WHEN i % 53 = 0 THEN -0.0 ELSE (i % 23) - 11.0 END AS d,
        (i % 29)::BIGINT AS n,
        ((i % 31) / 4)::DECIMAL(9, 2) AS m
      FROM range(4000) t(i)`);
    const cols = await describeTable(db, 'qcodes');
    const dims = await sliceDimensions(db, 'qcodes', cols, { d: 'feature', n: 'feature', m: 'feature' });
    expect(dims.map((d) => [d.name, d.kind])).toEqual([
      ['d', 'quantile'],
      ['n', 'quantile'],
      ['m', 'quantile'],
    ]);
    for (const dim of dims) {
      const t = tableFromIPC(await db.queryArrow(`SELECT ${dim.bins!.sql} AS v, CAST(${dim.codeSql} AS INTEGER) AS c FROM qcodes`));
      const inJs = Array.from(binCodes(t.getChild('v')!, dim.bins!, true));
      const inSql = Array.from(t.getChild('c')!.toArray() as Int32Array);
      expect(inJs).toEqual(inSql);
      expect(new Set(inSql).size).toBeGreaterThan(4);
    }
  });
});
