import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { describeTable } from '../../src/lib/schema';
import { castBackSql, restoreTableFromParquet, tableToParquet } from '../../src/lib/tableSnapshot';
import { testDb } from '../helpers/db';

/** Every value of a table, as text, in row order: the strongest "identical" we can ask of two tables. */
async function dump(table: string): Promise<string> {
  const db = await testDb();
  const rows = await db.query(`SELECT * FROM "${table}"`);
  return JSON.stringify(rows, (_, v) => (v instanceof Date ? v.toISOString() : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v));
}

describe('tableToParquet and restoreTableFromParquet', () => {
  it('round-trips every common type, NULLs, NaN and row order exactly', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE typed AS SELECT * FROM (VALUES
      (3::BIGINT, 1.5::DOUBLE, 12.34::DECIMAL(10,2), 'b', TRUE, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123456', 7::INTEGER, 1.25::FLOAT),
      (1::BIGINT, 'NaN'::DOUBLE, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (9007199254740993::BIGINT, -0.0::DOUBLE, -0.01::DECIMAL(10,2), '"; DROP TABLE x; --', FALSE, DATE '1970-01-01', TIMESTAMP '1969-12-31 23:59:59', -2::INTEGER, -3.5::FLOAT)
    ) AS t(big, dbl, dec, txt, flag, day, ts, small, f32)`);
    const columns = await describeTable(db, 'typed');
    const parquet = await tableToParquet(db, nodeParquet, 'typed');
    expect(String.fromCharCode(...parquet.subarray(0, 4))).toBe('PAR1');
    const restored = await restoreTableFromParquet(db, nodeParquet, parquet, { table: 'typed_back', name: 'typed.csv', rows: 3, columns });
    expect(restored.rows).toBe(3);
    expect(restored.columns).toEqual(columns);
    expect(await dump('typed_back')).toBe(await dump('typed'));
    // The engine casts BIGINT to DOUBLE on the way out; values past 2^53 are where that would show.
    const [big] = await db.query(`SELECT count(*)::INTEGER AS n FROM typed a JOIN typed_back b ON a.big = b.big`);
    expect(big?.['n']).toBe(3);
  });

  it('restores the demo training file with identical aggregates', async () => {
    const db = await testDb();
    const bytes = readFileSync('public/demo/training.csv');
    const first = await loadDataset(db, nodeParquet, await PathSource.open('public/demo/training.csv'), { table: 'train' });
    const parquet = await tableToParquet(db, nodeParquet, 'train');
    expect(parquet.length).toBeLessThan(bytes.length);
    await restoreTableFromParquet(db, nodeParquet, parquet, {
      table: 'train_back',
      name: 'training.csv',
      rows: first.rows,
      columns: first.columns,
    });
    const agg = (t: string) =>
      db.query(
        `SELECT count(*)::DOUBLE n, sum(amount) s, avg(score) a, var_samp(account_age_days) v, count(DISTINCT merchant_category)::DOUBLE m FROM ${t}`,
      );
    expect(await agg('train_back')).toEqual(await agg('train'));
    expect(await dump('train_back')).toBe(await dump('train'));
  });

  it('refuses data that does not match its saved description and leaves no table behind', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE small AS SELECT range::INTEGER AS x FROM range(4)`);
    const parquet = await tableToParquet(db, nodeParquet, 'small');
    const columns = await describeTable(db, 'small');
    await expect(restoreTableFromParquet(db, nodeParquet, parquet, { table: 'small_back', name: 's', rows: 5, columns })).rejects.toThrow(
      /does not match its description/,
    );
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'small_back%'`);
    expect(tables).toEqual([]);
    await expect(
      restoreTableFromParquet(db, nodeParquet, parquet.subarray(0, parquet.length - 9), {
        table: 'small_back',
        name: 's',
        rows: 4,
        columns,
      }),
    ).rejects.toThrow(/truncated or corrupt/);
  });
});

describe('castBackSql', () => {
  const restored = [
    { name: 'a', type: 'DOUBLE', kind: 'numeric' as const },
    { name: 'b', type: 'VARCHAR', kind: 'string' as const },
  ];
  it('casts only the columns whose type changed', () => {
    expect(castBackSql('s', 't', [{ ...restored[0]!, type: 'DECIMAL(10,2)' }, restored[1]!], restored)).toBe(
      'CREATE TABLE "t" AS SELECT CAST("a" AS DECIMAL(10,2)) AS "a", "b" FROM "s"',
    );
    expect(castBackSql('s', 't', restored, restored)).toBeNull();
  });
  it('never pastes a type name that is not a plain type (a tampered file)', () => {
    expect(castBackSql('s', 't', [{ ...restored[0]!, type: 'INTEGER) AS a FROM s; DROP TABLE s; --' }, restored[1]!], restored)).toBeNull();
  });
});
