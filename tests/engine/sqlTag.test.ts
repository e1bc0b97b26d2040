import { describe, expect, it } from 'vitest';
import { ident, literal, num, numOrNull, oneOf, raw, rowsOf, select, sql, text } from '../../src/lib/sql';
import { testDb } from '../helpers/db';

/** Names and values a user's file can hold, each of which has broken a hand-written query somewhere. */
const HOSTILE = ['a"b', "it's", 'select', '"; DROP TABLE x; --', 'ünï cødé', 'tab\there', 'nul\u0000byte', 'rowid', ' lead', ''];

describe('the sql tag and typed selects', () => {
  it('pastes Sql, quotes everything else (strings become literals, never SQL)', () => {
    const col = ident('x');
    expect(sql`SELECT ${col} FROM t WHERE ${col} = ${"O'Hare"} AND y > ${0.5} AND z IN (${[1, 2, 'a']})`.text).toBe(
      `SELECT "x" FROM t WHERE "x" = 'O''Hare' AND y > 0.5 AND z IN (1, 2, 'a')`,
    );
    expect(sql`SELECT ${'1; DROP TABLE t'}`.text).toBe(`SELECT '1; DROP TABLE t'`);
    expect(sql`${null} ${true} ${raw('count(*)')}`.text).toBe('NULL TRUE count(*)');
    expect(() => sql`${Number.NaN}`).toThrow(/literal/);
  });

  it('round-trips hostile names and values through DuckDB: each alias written once, read back typed', async () => {
    const db = await testDb();
    const names = HOSTILE.map((n, i) => (n === '' ? `empty_${i}` : n));
    await db.query(
      `CREATE OR REPLACE TABLE ${ident('hostile table')} AS SELECT ${names.map((n, i) => `${literal(HOSTILE[i]!)} AS ${ident(n)}`).join(', ')}`,
    );
    const columns = Object.fromEntries(names.map((n) => [n, text(sql`${ident(n)}`)]));
    const q = select(columns, sql`FROM ${ident('hostile table')}`);
    const [row] = await rowsOf(db, q);
    // A NUL cannot be part of a name DuckDB-WASM reads; the column named with it is read as the name without it.
    expect(Object.keys(row!)).toEqual(names);
    expect(Object.values(row!)).toEqual(HOSTILE);
    const agg = await oneOf(
      db,
      select({ n: num(raw('count(*)::DOUBLE')), missing: numOrNull(raw('max(NULL::DOUBLE)')) }, sql`FROM ${ident('hostile table')}`),
    );
    expect(agg).toEqual({ n: 1, missing: null });
  });
});
