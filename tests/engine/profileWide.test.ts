import { describe, expect, it } from 'vitest';
import { profileFromRows } from '../../src/lib/profiles/fromRows';
import { profileTable, specFor } from '../../src/lib/profiles/profileTable';
import { profileQuery } from '../../src/lib/profiles/profileSql';
import { describeTable } from '../../src/lib/schema';
import { ident } from '../../src/lib/sql';
import { testDb } from '../helpers/db';

/**
 * A table of many columns is profiled a batch of columns per query. The profile must be the one a single
 * query gives: numbers, text and flags past the first batch, the per-class scores, segments and windows.
 */
/** Deep equality with numbers equal to 1e-12 relative. */
function expectClose(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && !(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)))) expect(a, path).toBe(b);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    expect(a, path).toEqual(b);
    return;
  }
  expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
}

describe('a wide table profile', () => {
  it('equals the profile of one query over all columns', async () => {
    const db = await testDb();
    const columns = Array.from({ length: 130 }, (_, i) => {
      const u = `(hash(r * 31 + ${i}) % 1000) / 10.0`;
      if (i % 5 === 1) return `CASE WHEN r % 7 = 0 THEN NULL ELSE 'v' || (hash(r + ${i}) % 4) END AS "t ${i}"`;
      if (i % 5 === 2) return `(r + ${i}) % 3 = 0 AS "b ${i}"`;
      if (i % 5 === 3) return `CASE WHEN r % 11 = 0 THEN 'nan'::DOUBLE ELSE ${u} - 50 END AS "n ${i}"`;
      return `${u} AS "n ${i}"`;
    });
    await db.query(
      `CREATE OR REPLACE TABLE pw AS SELECT ${columns.join(', ')}, r % 2 AS y, (hash(r) % 100) / 100.0 AS p,
         CASE WHEN r % 3 = 0 THEN 'north' ELSE 'south' END AS region, DATE '2024-01-01' + CAST(r % 40 AS INTEGER) AS day
       FROM range(600) t(r)`,
    );
    const options = {
      time: { column: 'day', window: 'week' as const },
      segments: ['region'],
      performance: { label: 'y', score: 'p' },
      roles: { day: 'timestamp' as const },
    };
    const batched = await profileTable(db, 'pw', options);
    const spec = specFor(await describeTable(db, 'pw'), ident('pw').text, 'ansi', options);
    expect(spec.columns.length).toBeGreaterThan(100);
    const rows = await db.query(`SELECT * REPLACE (CAST(w AS VARCHAR) AS w) FROM (${profileQuery(spec)})`);
    const single = profileFromRows(rows, {
      sources: ['pw'],
      roles: options.roles,
      types: Object.fromEntries((await describeTable(db, 'pw')).map((c) => [c.name, c.type])),
    });
    // Equal up to the order of a parallel sum of doubles (native DuckDB adds in thread order: last-digit differences).
    expectClose(batched, single, 'profile');
    // Not equal by being empty: the last column, a text column past the first batch and the scores are there.
    const whole = batched.parts.find((x) => x.window === null && x.segment === null)!;
    expect(batched.columns.map((c) => c.name)).toContain('n 129');
    expect(JSON.stringify(whole)).toContain('"t 126"');
    expect(whole.performance?.count).toBe(600);
  });
});
