import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { textTimestampSql, timestampSql } from '../../src/lib/metrics/time';
import { literal, raw, sql } from '../../src/lib/sql';
import { testDb } from '../helpers/db';

/**
 * Text timestamps with a UTC offset are the instant they name (read in UTC), on both engines; text
 * without one is read as written, whatever time zone the engine runs in. Expected values are worked by
 * hand from the offsets (an independent reading of ISO 8601).
 */
let db: Db;
beforeAll(async () => {
  db = await testDb();
});

const CASES: [string, string | null][] = [
  ['2024-01-01 10:00:00', '2024-01-01T10:00:00.000Z'],
  ['2024-01-01T10:00:00+05:30', '2024-01-01T04:30:00.000Z'],
  ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z'],
  ['2024-01-01 10:00:00-0800', '2024-01-01T18:00:00.000Z'],
  ['2024-01-01T10:00:00.123+01', '2024-01-01T09:00:00.123Z'],
  ['2024-03-31T01:30:00-01:00', '2024-03-31T02:30:00.000Z'],
  ['2024-01-01', '2024-01-01T00:00:00.000Z'],
  ['garbage', null],
  ['01/02/2024 10:00', null],
  ['2024-13-01T10:00:00Z', null],
];

describe('text timestamps', () => {
  it.each(CASES)('%s reads as %s', async (text, expected) => {
    const [row] = await db.query(sql`SELECT epoch_ms(${textTimestampSql(literal(text))})::DOUBLE AS ms`.text);
    const ms = row?.['ms'];
    expect(ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString()).toBe(expected);
  });

  it('a text column goes through the same reading', async () => {
    await db.query(`CREATE OR REPLACE TABLE tt_log AS SELECT * FROM (VALUES ('2024-06-01T23:30:00-02:00'), ('2024-06-02 01:00')) v(t)`);
    const rows = await db.query(`SELECT epoch_ms(${raw(timestampSql('t', 'string'))})::DOUBLE AS ms FROM tt_log`);
    expect(rows.map((r) => new Date(Number(r['ms'])).toISOString())).toEqual(['2024-06-02T01:30:00.000Z', '2024-06-02T01:00:00.000Z']);
  });
});
