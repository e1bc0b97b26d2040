/**
 * Free-text columns are reported, not tested; names, codes and real categories are
 * still tested, and a method the user sets for a text column tests it as categories.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { FREE_TEXT_REASON, looksLikeFreeText } from '../../src/lib/drift/freeText';
import { driftReport } from '../../src/lib/drift/report';
import { testDb } from '../helpers/db';

let db: Db;
const t = { reference: 'text_ref', current: 'text_cur' };

beforeAll(async () => {
  db = await testDb();
  const side = (offset: number) => `
    SELECT 'the customer wrote about order ' || (i + ${offset}) || ' and asked for a refund' AS comment,
           ['Ann', 'Bo', 'Cy', 'Di'][1 + i % 4] || ' Smith' || (i + ${offset}) AS full_name,
           'SKU-' || (i + ${offset}) AS sku,
           ['card', 'wire', 'cash'][1 + (i + ${offset}) % 3] AS channel,
           CASE WHEN i % 10 = 0 THEN NULL ELSE 'note number ' || i || ' about the account' END AS sparse_note
    FROM range(400) t(i)`;
  await db.query(`CREATE OR REPLACE TABLE ${t.reference} AS ${side(0)}`);
  await db.query(`CREATE OR REPLACE TABLE ${t.current} AS ${side(1000)}`);
});

describe('free text in the drift report', () => {
  it('reports multi-word, mostly unique strings as not tested and tests the rest', async () => {
    const report = await driftReport(db, t);
    expect(report.columns.map((c) => c.name)).toEqual(['full_name', 'sku', 'channel']);
    expect(report.notTested).toEqual([
      { name: 'comment', reason: FREE_TEXT_REASON },
      { name: 'sparse_note', reason: FREE_TEXT_REASON },
    ]);
    expect(Object.keys(report.dropped)).toEqual(['full_name', 'sku', 'channel']);
    expect(report.dataset.testedColumns).toBe(3);
  });

  it('tests a text column as categories when the user sets its method', async () => {
    const report = await driftReport(db, t, { perColumn: { comment: { method: 'jensenshannon' } } });
    const comment = report.columns.find((c) => c.name === 'comment');
    expect(comment?.method).toBe('jensenshannon');
    expect(comment?.nUnique).toBe(800);
  });

  it('needs enough values, mostly unique, several words long', () => {
    const sentences = (n: number) => Array.from({ length: n }, (_, i) => `a short sentence number ${i}`);
    const ones = (n: number) => new Array<number>(n).fill(1);
    expect(looksLikeFreeText({ keys: sentences(60), ref: ones(60), cur: ones(60) })).toBe(true);
    expect(looksLikeFreeText({ keys: sentences(40), ref: ones(40), cur: ones(40) })).toBe(false);
    // The same few sentences over and over are categories.
    expect(looksLikeFreeText({ keys: sentences(5), ref: new Array<number>(5).fill(100), cur: ones(5) })).toBe(false);
    // Values only in the current data do not count.
    expect(looksLikeFreeText({ keys: sentences(60), ref: new Array<number>(60).fill(0), cur: ones(60) })).toBe(false);
    expect(looksLikeFreeText({ keys: ['', ' ', '  x  '], ref: [30, 30, 30], cur: [1, 1, 1] })).toBe(false);
  });
});
