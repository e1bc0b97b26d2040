import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { insertSampled } from '../../src/lib/ingestFit';
import { joinDelayedLabels } from '../../src/lib/labels/join';
import { featureMatrixSql, textColumnSql } from '../../src/lib/model/matrix';
import { testDb } from '../helpers/db';

/**
 * Row order read from DuckDB's `rowid` pseudo-column is silently the user's column when a file has one
 * named `rowid` (or `ROWID`): these tables have such a column holding the reverse order, and every query
 * that promises file order must still follow the file.
 */
let db: Db;
beforeAll(async () => {
  db = await testDb();
  // 6 predictions; labels: id 1 appears three times, first label 1 then 0, 0; id 2 twice, first 0 then 1.
  await db.query(`CREATE OR REPLACE TABLE ro_preds AS SELECT i AS id, i % 2 AS pred FROM range(1, 7) t(i)`);
  await db.query(`CREATE OR REPLACE TABLE ro_labels AS SELECT * FROM (VALUES
      (1, 1, 100), (2, 0, 99), (1, 0, 98), (3, 1, 97), (1, 0, 96), (2, 1, 95)) v(id, y, "ROWID")`);
  await db.query(`CREATE OR REPLACE TABLE ro_log AS SELECT i AS x, 1000 - i AS rowid FROM range(0, 50) t(i)`);
});

describe('file order with a user column named rowid', () => {
  it('the label join keeps the first label of a duplicate id in file order', async () => {
    const summary = await joinDelayedLabels(db, { predictions: 'ro_preds', labels: 'ro_labels', id: 'id', label: 'y', out: 'ro_joined' });
    const rows = await db.query(`SELECT id::INTEGER AS id, y::INTEGER AS y FROM ro_joined WHERE y IS NOT NULL ORDER BY id`);
    expect(rows.map((r) => [Number(r['id']), Number(r['y'])])).toEqual([
      [1, 1],
      [2, 0],
      [3, 1],
    ]);
    expect(summary.duplicateLabelIds).toBe(2);
    expect(summary.conflictingLabelIds).toBe(2);
  });

  it('every k-th row of a sample is every k-th row of the file', async () => {
    const m = tableFromIPC(await db.queryArrow(featureMatrixSql('ro_log', ['x'], 5, 4)));
    expect([...(m.getChild('f0')!.toArray() as Float64Array)]).toEqual([0, 4, 8, 12, 16]);
    const ids = await db.query(textColumnSql('ro_log', 'x', 3, 10));
    expect(ids.map((r) => r['v'])).toEqual(['0', '10', '20']);
  });

  it('a sampled load draws the same rows whatever a rowid column holds', async () => {
    await db.query(`CREATE OR REPLACE TABLE ro_batch_a AS SELECT i AS x FROM range(0, 2000) t(i)`);
    await db.query(`CREATE OR REPLACE TABLE ro_batch_b AS SELECT i AS x, 7 AS rowid FROM range(0, 2000) t(i)`);
    await insertSampled(db, 'ro_sample_a', 'ro_batch_a', 0.3, 0, true);
    await insertSampled(db, 'ro_sample_b', 'ro_batch_b', 0.3, 0, true);
    const a = (await db.query(`SELECT x::INTEGER AS x FROM ro_sample_a ORDER BY x`)).map((r) => r['x']);
    const b = (await db.query(`SELECT x::INTEGER AS x FROM ro_sample_b ORDER BY x`)).map((r) => r['x']);
    expect(a.length).toBeGreaterThan(450);
    expect(a.length).toBeLessThan(750);
    expect(b).toEqual(a);
    const cols = await db.query(
      `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'ro_sample_b' ORDER BY ordinal_position`,
    );
    expect(cols.map((r) => r['c'])).toEqual(['x', 'rowid']);
  });
});
