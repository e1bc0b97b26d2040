import { describe, expect, it } from 'vitest';
import { dataQuality, MAX_EXAMPLED_COLUMNS, missingCounts, duplicateRowsSql, type QualityReport } from '../../src/lib/drift/quality';
import { presetFromReference, PRESET_MAX_COLUMNS } from '../../src/lib/checks/preset';
import { describeTable } from '../../src/lib/schema';
import { tableFacts } from '../../src/lib/setup/facts';
import { oneOf } from '../../src/lib/sql';
import { WIDE_COLUMNS } from '../../src/lib/unpivot';
import { testDb } from '../helpers/db';

/**
 * A table wider than WIDE_COLUMNS is summarised by unpivoting; a narrow one by one aggregate per column.
 * The same columns must get the same facts either way: the wide table is compared with narrow tables
 * holding its columns in slices. Every kind is there: whole numbers, fractions with NaN and infinities,
 * text with times and spaces, few-valued text, booleans, dates, timestamps and all-NULL columns.
 */
const ROWS = 60;
const KINDS = 10;
const COLUMNS = 30 * KINDS; // 300 > WIDE_COLUMNS

function columnSql(i: number): string {
  const r = 'r';
  switch (i % KINDS) {
    case 0:
      return `(${r} * ${i + 3}) % 17`;
    case 1:
      return `CASE WHEN ${r} % 13 = 0 THEN 'nan'::DOUBLE WHEN ${r} % 29 = 0 THEN 'inf'::DOUBLE WHEN ${r} % 7 = 0 THEN NULL ELSE ${r} / ${i + 1.5} END`;
    case 2:
      return `'2024-01-' || lpad(CAST(1 + (${r} + ${i}) % 28 AS VARCHAR), 2, '0') || ' 10:00:00'`;
    case 3:
      return `CASE WHEN ${r} % 5 = 0 THEN NULL ELSE 'word ' || (${r} % 4) || ' more words' END`;
    case 4:
      return `CASE ${r} % 3 WHEN 0 THEN 'north' WHEN 1 THEN 'south' ELSE 'east' END`;
    case 5:
      return `${r} % 2 = 0`;
    case 6:
      return `DATE '2024-01-01' + CAST(${r} % 40 AS INTEGER)`;
    case 7:
      return `TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (${r} * ${i}) MINUTE`;
    case 8:
      return `CAST(NULL AS DOUBLE)`;
    default:
      return `'id-' || ${r}`;
  }
}

/** `rows` by default the ROWS rows 0, 1, ...; a current table takes other rows (shifted, some negative). */
async function makeTable(name: string, columns: number[], rows = `range(${ROWS}) t(r)`): Promise<void> {
  const db = await testDb();
  await db.query(`DROP TABLE IF EXISTS ${name}`);
  await db.query(`CREATE TABLE ${name} AS SELECT ${columns.map((i) => `${columnSql(i)} AS c${i}`).join(', ')} FROM ${rows}`);
}

const SHIFTED_ROWS = `(SELECT r * 2 - 9 AS r FROM range(${ROWS + 11}) t(r))`;

describe('wide tables', () => {
  it('get the same column facts by unpivot as narrow tables get by aggregates', async () => {
    const db = await testDb();
    const all = Array.from({ length: COLUMNS }, (_, i) => i);
    expect(COLUMNS).toBeGreaterThan(WIDE_COLUMNS);
    await makeTable('wide_all', all);
    const wide = await tableFacts(db, 'wide_all', 'wide.csv');
    const narrow = [];
    for (let at = 0; at < COLUMNS; at += 100) {
      await makeTable('wide_part', all.slice(at, at + 100));
      narrow.push(...(await tableFacts(db, 'wide_part', 'part.csv')).columns);
    }
    expect(wide.rows).toBe(ROWS);
    expect(wide.columns).toEqual(narrow);
    // The facts are right, not only equal: a few checked by hand.
    const f = (name: string) => wide.columns.find((c) => c.name === name)!;
    expect(f('c4').values).toEqual(['east', 'north', 'south']);
    expect(f('c5').values).toEqual(['0', '1']);
    expect(f('c8').nonNull).toBe(0);
    expect(f('c9').distinct).toBe(ROWS);
    expect(f('c2').timestampShare).toBe(1);
    expect(f('c1').integral).toBe(false);
  });

  it('count missing values (NULL, NaN, infinities) and duplicate rows as narrow tables do', async () => {
    const db = await testDb();
    const all = Array.from({ length: COLUMNS }, (_, i) => i);
    await makeTable('wide_all', all);
    const columns = await describeTable(db, 'wide_all');
    const wide = await missingCounts(db, 'wide_all', columns);
    const narrow: number[] = [];
    for (let at = 0; at < COLUMNS; at += 100) {
      await makeTable('wide_part', all.slice(at, at + 100));
      narrow.push(...(await missingCounts(db, 'wide_part', await describeTable(db, 'wide_part'))).missing);
    }
    expect(wide).toEqual({ rows: ROWS, missing: narrow });
    // c1: NULL where r % 7 = 0 unless NaN (r % 13) or inf (r % 29) came first; all three are missing.
    const expected = Array.from({ length: ROWS }, (_, r) => r).filter((r) => r % 13 === 0 || r % 29 === 0 || r % 7 === 0).length;
    expect(wide.missing[1]).toBe(expected);
    expect(wide.missing[8]).toBe(ROWS);
    // Two copies of every row: half the rows are duplicates.
    await db.query('INSERT INTO wide_all SELECT * FROM wide_all');
    expect((await oneOf(db, duplicateRowsSql('wide_all').count)).n).toBe(ROWS);
  });

  it('get the same data-quality report by unpivot as narrow tables get by aggregates', async () => {
    const db = await testDb();
    // Numbers, text of three values and all-NULL numbers: more than WIDE_COLUMNS ranged columns.
    const all = Array.from({ length: 700 }, (_, i) => i).filter((i) => [0, 1, 4, 8].includes(i % KINDS));
    const report = async (columns: number[]) => {
      await makeTable('q_ref', columns);
      await makeTable('q_cur', columns, SHIFTED_ROWS);
      const t = { reference: 'q_ref', current: 'q_cur' };
      return dataQuality(db, t, await describeTable(db, 'q_ref'), await describeTable(db, 'q_cur'));
    };
    // Examples are whole rows, so they differ with the columns a table holds; the counts may not.
    const perColumn = (r: QualityReport) => r.issues.filter((i) => i.column !== null).map(({ examples: _, ...issue }) => issue);
    const wide = await report(all);
    const narrow: QualityReport[] = [];
    for (let at = 0; at < all.length; at += 100) narrow.push(await report(all.slice(at, at + 100)));
    expect(all.filter((i) => i % KINDS !== 4).length).toBeGreaterThan(WIDE_COLUMNS);
    expect(wide.missing).toEqual(narrow.flatMap((r) => r.missing));
    expect(perColumn(wide)).toEqual(narrow.flatMap(perColumn));
    const kinds = new Set(perColumn(wide).map((i) => i.check));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['constant', 'out-of-range']));
    // Hand-checked: c0 holds (r * 3) % 17, 0..16 in the reference; shifted rows give -16..-1 for the negative ones.
    const negatives = Array.from({ length: ROWS + 11 }, (_, r) => r * 2 - 9).filter((r) => (r * 3) % 17 < 0).length;
    expect(wide.issues.find((i) => i.column === 'c0' && i.check === 'out-of-range')?.count).toBe(negatives);
    expect(wide.issues.find((i) => i.column === 'c8')).toBeUndefined();
    // A wide table's examples hold the column at fault only, for at most MAX_EXAMPLED_COLUMNS columns.
    const exampled = wide.issues.filter((i) => i.column !== null && i.examples.length > 0);
    expect(exampled.length).toBeGreaterThan(0);
    expect(exampled.length).toBeLessThanOrEqual(MAX_EXAMPLED_COLUMNS);
    for (const i of exampled) expect(i.examples.every((row) => Object.keys(row).join() === i.column)).toBe(true);
  });

  it('get a preset that checks at most PRESET_MAX_COLUMNS columns one by one, and says so', async () => {
    const db = await testDb();
    const n = PRESET_MAX_COLUMNS + 20;
    await db.query('DROP TABLE IF EXISTS wide_preset');
    await db.query(
      `CREATE TABLE wide_preset AS SELECT ${Array.from({ length: n }, (_, i) => `(r * ${i + 1}) % 11 AS f${i}`).join(', ')} FROM range(30) t(r)`,
    );
    const suite = await presetFromReference(db, 'wide_preset');
    const drift = suite.checks.filter((c) => c.kind === 'drift-column');
    expect(drift).toHaveLength(PRESET_MAX_COLUMNS);
    expect(suite.checks.find((c) => c.kind === 'schema')).toMatchObject({ columns: expect.arrayContaining([`f${n - 1}`]) });
    expect(suite.notes).toEqual([
      `The reference has ${n} columns to check; this preset checks the first ${PRESET_MAX_COLUMNS} (f0 to f${PRESET_MAX_COLUMNS - 1}) one by one and every column in the schema check. Edit the suite to check other columns.`,
    ]);
  });
});
