import { describe, expect, it } from 'vitest';
import { describeTable } from '../../src/lib/schema';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
import { testDb } from '../helpers/db';

/**
 * The numeric columns' choice between categories and quantile bins (at most max(bins, 10) distinct values
 * -> categories) and their NULL bin, now read from one approx_count_distinct + NULL-count scan with the
 * exact count only where the estimate is small: the same dimensions as one exact count(DISTINCT) each.
 */
describe('numeric slice dimensions', () => {
  it('splits categories from quantile bins exactly at 10 distinct values, with NULL values and bins', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE dimkinds AS SELECT
        (i % 10)::INTEGER AS ten,
        CASE WHEN i % 50 = 0 THEN NULL ELSE (i % 11)::DOUBLE END AS eleven,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS many,
        (i % 3000)::BIGINT AS three_thousand
      FROM range(20000) t(i)`);
    const cols = await describeTable(db, 'dimkinds');
    const roles = Object.fromEntries(cols.map((c) => [c.name, 'feature' as const]));
    const dims = await sliceDimensions(db, 'dimkinds', cols, roles);
    const byName = Object.fromEntries(dims.map((d) => [d.name, d]));
    expect(byName['ten']?.kind).toBe('categorical');
    expect(byName['ten']?.values.length).toBe(10);
    expect(byName['eleven']?.kind).toBe('quantile');
    expect(byName['eleven']?.values.map((v) => v.label)).toEqual([
      'eleven < 2',
      '2 ≤ eleven < 4',
      '4 ≤ eleven < 6',
      '6 ≤ eleven < 8',
      'eleven ≥ 8',
      'eleven is missing',
    ]);
    expect(byName['many']?.kind).toBe('quantile');
    expect(byName['many']?.values.at(-1)?.predicate).toEqual({ column: 'many', op: 'is null', value: null });
    expect(byName['three_thousand']?.kind).toBe('quantile');
    expect(byName['three_thousand']?.values.length).toBe(5);
  });
});
