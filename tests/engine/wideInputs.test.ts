import { describe, expect, it } from 'vitest';
import { categoricalShiftSql, inputShifts, inputsToScreen, MAX_SCREENED_INPUTS, numericShiftSql } from '../../src/lib/findings/wideInputs';
import { rowsOf, select, sql, str, num, raw } from '../../src/lib/sql';
import { testDb } from '../helpers/db';

/**
 * A wide log (more inputs than the screen reads) is narrowed to the inputs that moved most. 300 numeric
 * and 30 text inputs of noise, with four planted changes: a shifted mean, a doubled spread, missing values,
 * and a category that took over. Each must be among the inputs screened.
 */
const NUMERIC = 300;
const TEXT = 30;
const ROWS = 400;

async function makeSides(): Promise<void> {
  const db = await testDb();
  // A deterministic noise per row and column: hash() spread over [0, 1).
  const u = (i: number) => `(hash(r * 7919 + ${i}) % 100000) / 100000.0`;
  const numeric = (i: number, current: boolean) => {
    if (current && i === 17) return `${u(i)} + 0.6`;
    if (current && i === 123) return `(${u(i)} - 0.5) * 2 + 0.5`;
    if (current && i === 250) return `CASE WHEN r % 4 = 0 THEN NULL ELSE ${u(i)} END`;
    return u(i);
  };
  const text = (i: number, current: boolean) =>
    current && i === 9
      ? `CASE WHEN r % 10 < 7 THEN 'c' ELSE 'a' END`
      : `CASE WHEN ${u(1000 + i)} < 0.5 THEN 'a' WHEN ${u(1000 + i)} < 0.8 THEN 'b' ELSE 'c' END`;
  for (const [table, current] of [
    ['wi_ref', false],
    ['wi_cur', true],
  ] as const) {
    const columns = [
      ...Array.from({ length: NUMERIC }, (_, i) => `${numeric(i, current)} AS "n ${i}"`),
      ...Array.from({ length: TEXT }, (_, i) => `${text(i, current)} AS "s ${i}"`),
    ];
    await db.query(`CREATE OR REPLACE TABLE ${table} AS SELECT ${columns.join(', ')} FROM range(${ROWS}) t(r)`);
  }
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('the inputs of a wide log', () => {
  it('are narrowed to those that moved most, every planted change kept, and the user is told', async () => {
    const db = await testDb();
    await makeSides();
    const inputs = { numeric: names('n', NUMERIC), categorical: names('s', TEXT) };
    const chosen = await inputsToScreen(db, { reference: 'wi_ref', current: 'wi_cur' }, inputs);
    expect(chosen.numeric.length + chosen.categorical.length).toBe(MAX_SCREENED_INPUTS);
    // The budget is shared in proportion: 300 of 330 inputs are numbers.
    expect(chosen.numeric).toHaveLength(Math.round((MAX_SCREENED_INPUTS * NUMERIC) / (NUMERIC + TEXT)));
    expect(chosen.numeric).toEqual(expect.arrayContaining(['n 17', 'n 123', 'n 250']));
    expect(chosen.categorical).toContain('s 9');
    // File order kept.
    expect(chosen.numeric).toEqual([...chosen.numeric].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))));
    expect(chosen.note).toContain('330 inputs; the 200 that moved most');
    // Not kept by luck: the planted changes lead the ranking of their kind.
    const shift = await inputShifts(db, { reference: 'wi_ref', current: 'wi_cur' }, inputs);
    const top = (values: number[], n: number) =>
      values
        .map((v, i) => [v, i] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, n)
        .map(([, i]) => i);
    expect(top(shift.numeric, 3).sort((a, b) => a - b)).toEqual([17, 123, 250]);
    expect(top(shift.categorical, 1)).toEqual([9]);
  });

  it('are all screened when they are few, and taken in file order without training data', async () => {
    const db = await testDb();
    await makeSides();
    const few = { numeric: names('n', 20), categorical: names('s', 3) };
    expect(await inputsToScreen(db, { reference: 'wi_ref', current: 'wi_cur' }, few)).toEqual(few);
    const all = { numeric: names('n', NUMERIC), categorical: names('s', TEXT) };
    const noReference = await inputsToScreen(db, { reference: null, current: 'wi_cur' }, all);
    expect(noReference.numeric).toEqual(names('n', 182));
    expect(noReference.note).toContain('Drop the training data too');
  });

  it('rank by shifts computed as written: standardised mean difference, spread ratio, missing share, total variation', async () => {
    const db = await testDb();
    await db.query(`CREATE OR REPLACE TABLE ws_ref AS SELECT * FROM (VALUES (1.0, 'a'), (2.0, 'a'), (3.0, 'b'), (NULL, NULL)) t(x, s)`);
    await db.query(
      `CREATE OR REPLACE TABLE ws_cur AS SELECT * FROM (VALUES (3.0, 'b'), (4.0, 'b'), (5.0, NULL), ('nan'::DOUBLE, 'c')) t(x, s)`,
    );
    const t = { reference: 'ws_ref', current: 'ws_cur', referenceRows: 4, currentRows: 4 };
    const read = async (q: ReturnType<typeof numericShiftSql>) =>
      (await rowsOf(db, select({ k: str(raw('k')), shift: num(raw('shift')) }, sql`FROM (${q})`)))[0]!.shift;
    // Reference 1, 2, 3: mean 2, population sd sqrt(2/3); current 3, 4, 5 (NaN is missing): mean 4, same sd.
    // Standardised difference 2 / sqrt(2/3) = 2.449; spread ratio 1 (log 0); missing 1/4 both sides.
    expect(await read(numericShiftSql(t, ['x']))).toBeCloseTo(2 / Math.sqrt(2 / 3), 12);
    // Shares a 2/4, b 1/4, NULL 1/4 against b 2/4, NULL 1/4, c 1/4: half of |.5| + |.25| + 0 + |.25| = 0.5.
    expect(await read(categoricalShiftSql(t, ['s']))).toBeCloseTo(0.5, 12);
  });
});
