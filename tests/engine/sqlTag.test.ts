import { describe, expect, it } from 'vitest';
import { asIs, ident, literal, num, numOrNull, oneOf, raw, rowsOf, select, selectKeyed, sql, str, text, withCtes } from '../../src/lib/sql';
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

  it('reads lists of columns and grouping keys back by position, each alias written once', async () => {
    const db = await testDb();
    const names = HOSTILE.map((n, i) => (n === '' ? `empty_${i}` : n));
    const t = ident('hostile keyed');
    await db.query(
      sql`CREATE OR REPLACE TABLE ${t} AS SELECT * FROM (VALUES (1, 'a'), (2, 'a'), (5, ${"it's"}), (NULL, ${"it's"})) v(${ident('x"')}, ${ident('select')})`
        .text,
    );
    const q = withCtes(
      sql`base AS (SELECT * FROM ${t})`,
      selectKeyed(
        [{ expr: ident('select'), as: 'k "1"' }],
        {
          n: num(raw('count(*)::DOUBLE')),
          sums: names.map((_, i) => num(sql`sum(${ident('x"')}) + ${i}`)),
          first: str(sql`min(${ident('select')})`),
        },
        sql`FROM base GROUP BY 1 ORDER BY 1`,
      ),
    );
    expect(await rowsOf(db, q)).toEqual([
      { key: ['a'], row: { n: 2, sums: names.map((_, i) => 3 + i), first: 'a' } },
      { key: ["it's"], row: { n: 2, sums: names.map((_, i) => 5 + i), first: "it's" } },
    ]);
    expect(await oneOf(db, select({ v: asIs(raw('NULL')), w: asIs(raw('1')) }, raw('')))).toEqual({ v: null, w: 1 });
    // An Sql lifted by raw is itself; a builder's text kept as data becomes Sql again.
    const kept = sql`${ident('x"')} > ${1}`;
    expect(raw(kept)).toBe(kept);
    expect(raw(kept.text).text).toBe(kept.text);
  });
});
