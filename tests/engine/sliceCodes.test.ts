import { describe, expect, it } from 'vitest';
import { describeTable } from '../../src/lib/schema';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
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
