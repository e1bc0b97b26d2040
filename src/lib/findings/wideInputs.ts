/**
 * Which inputs of a wide log the investigation screens. The screen reads every input in one scan per side
 * and the segment search cuts by each; past a few hundred columns such queries plan for minutes and take
 * tens of GB (10,000 columns: killed at 24 GB), and a search over thousands of columns ranks noise. So a
 * log with more inputs than MAX_SCREENED_INPUTS is first ranked, every column at once by unpivoting, by
 * how far it moved from the reference, and the columns that moved most are screened; the user is told.
 */
import type { Db } from '../db';
import { ident, join, num, raw, rowsOf, select, sql, str, type Sql } from '../sql';
import { countRows } from '../schema';
import { keepFirst } from '../keepFirst';
import { UNPIVOT_COLUMNS } from '../unpivot';

/** Inputs screened at most; a log with more is narrowed to those that moved most. */
export const MAX_SCREENED_INPUTS = 200;

export interface ScreenedInputs {
  numeric: string[];
  categorical: string[];
  /** Set when the inputs were narrowed: what was screened and why, for the user. */
  note?: string;
}

/**
 * How far each numeric input moved: the largest of the standardised mean difference (pooled standard
 * deviation), the log ratio of the standard deviations and the change in the share of missing values
 * (NULL, NaN, infinities), from one unpivot per side. Each is about 0.2 for a small change, so they rank
 * together; a column constant on both sides with the same value scores 0.
 */
export function numericShiftSql(t: Sides, columns: readonly string[], at = 0): Sql {
  const side = (table: string) => {
    const list = join(
      columns.map(
        (c, i) =>
          sql`CASE WHEN isfinite(TRY_CAST(${ident(c)} AS DOUBLE)) THEN TRY_CAST(${ident(c)} AS DOUBLE) END AS ${ident(String(at + i))}`,
      ),
      ', ',
    );
    return sql`SELECT k, count(v)::DOUBLE AS n, avg(v) AS m, coalesce(stddev_pop(v), 0) AS s
      FROM (UNPIVOT (SELECT ${list} FROM ${ident(table)}) ON COLUMNS(*) INTO NAME k VALUE v) GROUP BY k`;
  };
  return sql`SELECT coalesce(r.k, c.k) AS k, greatest(
      CASE WHEN r.n > 0 AND c.n > 0 THEN abs(c.m - r.m) / greatest(sqrt((r.s * r.s + c.s * c.s) / 2), 1e-12 * greatest(abs(r.m), abs(c.m), 1e-300)) ELSE 0 END,
      CASE WHEN r.s > 0 AND c.s > 0 THEN abs(ln(c.s / r.s)) WHEN r.s > 0 OR c.s > 0 THEN 1 ELSE 0 END,
      abs(coalesce(c.n, 0) / ${denominator(t.currentRows)} - coalesce(r.n, 0) / ${denominator(t.referenceRows)})
    ) AS shift
    FROM (${side(t.reference)}) r FULL JOIN (${side(t.current)}) c USING (k)`;
}

/**
 * How far each text input moved: the total variation distance between its value shares on the two sides
 * (NULL a value of its own), from one unpivot per side. 0 for the same shares, 1 for disjoint values.
 */
/** NULL as a value of its own (a join on values never matches NULL with NULL); only ranks, so a text spelled so is harmless. */
const MISSING = '\u0001missing';

export function categoricalShiftSql(t: Sides, columns: readonly string[], at = 0): Sql {
  const side = (table: string) => {
    const list = join(
      columns.map((c, i) => sql`coalesce(CAST(${ident(c)} AS VARCHAR), ${MISSING}) AS ${ident(String(at + i))}`),
      ', ',
    );
    return sql`SELECT k, v, count(*)::DOUBLE AS n FROM (UNPIVOT (SELECT ${list} FROM ${ident(table)}) ON COLUMNS(*) INTO NAME k VALUE v) GROUP BY k, v`;
  };
  return sql`SELECT k, 0.5 * sum(abs(coalesce(c.n, 0) / ${denominator(t.currentRows)} - coalesce(r.n, 0) / ${denominator(t.referenceRows)})) AS shift
    FROM (${side(t.reference)}) r FULL JOIN (${side(t.current)}) c USING (k, v) GROUP BY k`;
}

/** The two tables and their row counts (the denominators of the missing and category shares). */
export interface Sides {
  reference: string;
  current: string;
  referenceRows: number;
  currentRows: number;
}

const denominator = (n: number) => raw(`${Math.max(Math.round(n), 1)}::DOUBLE`);

async function shifts(
  db: Db,
  t: Sides,
  columns: readonly string[],
  build: typeof numericShiftSql,
  signal?: AbortSignal,
): Promise<number[]> {
  const out = columns.map(() => 0);
  for (let at = 0; at < columns.length; at += UNPIVOT_COLUMNS) {
    const q = select(
      { k: str(raw('k')), shift: num(raw('shift'), 0) },
      sql`FROM (${build(t, columns.slice(at, at + UNPIVOT_COLUMNS), at)})`,
    );
    for (const row of await rowsOf(db, q, { signal })) out[Number(row.k)] = Number.isFinite(row.shift) ? row.shift : 0;
  }
  return out;
}

/** How far each input moved from the reference (`numericShiftSql`, `categoricalShiftSql`), in the order given. */
export async function inputShifts(
  db: Db,
  t: { reference: string; current: string },
  inputs: { numeric: readonly string[]; categorical: readonly string[] },
  signal?: AbortSignal,
): Promise<{ numeric: number[]; categorical: number[] }> {
  const sides = { ...t, referenceRows: await countRows(db, t.reference, signal), currentRows: await countRows(db, t.current, signal) };
  return {
    numeric: await shifts(db, sides, inputs.numeric, numericShiftSql, signal),
    categorical: await shifts(db, sides, inputs.categorical, categoricalShiftSql, signal),
  };
}

/** The columns of `columns` with the `keep` largest shifts, in their file order. */
function topByShift(columns: readonly string[], shift: readonly number[], keep: number): string[] {
  const at = new Map(columns.map((c, i) => [c, i]));
  return keepFirst(columns, keep, (a, b) => shift[at.get(b)!]! - shift[at.get(a)!]!);
}

/**
 * The inputs to screen: all of them up to MAX_SCREENED_INPUTS; past that, the numeric and the text inputs
 * share the budget in proportion to their numbers, each kind ranked by its shift from the reference (in
 * file order without one).
 */
export async function inputsToScreen(
  db: Db,
  t: { reference: string | null; current: string },
  inputs: { numeric: string[]; categorical: string[] },
  signal?: AbortSignal,
): Promise<ScreenedInputs> {
  const total = inputs.numeric.length + inputs.categorical.length;
  if (total <= MAX_SCREENED_INPUTS) return { ...inputs };
  const numericBudget = Math.round((MAX_SCREENED_INPUTS * inputs.numeric.length) / total);
  const budget = { numeric: numericBudget, categorical: MAX_SCREENED_INPUTS - numericBudget };
  const count = (n: number) => n.toLocaleString('en-US');
  if (!t.reference)
    return {
      numeric: inputs.numeric.slice(0, budget.numeric),
      categorical: inputs.categorical.slice(0, budget.categorical),
      note: `The log has ${count(total)} inputs; the first ${MAX_SCREENED_INPUTS} were screened. Drop the training data too to screen the ones that moved most.`,
    };
  const shift = await inputShifts(db, { reference: t.reference, current: t.current }, inputs, signal);
  return {
    numeric: topByShift(inputs.numeric, shift.numeric, budget.numeric),
    categorical: topByShift(inputs.categorical, shift.categorical, budget.categorical),
    note: `The log has ${count(total)} inputs; the ${MAX_SCREENED_INPUTS} that moved most from the training data (mean, spread, missing values, category shares) were screened. The Drift view compares every column.`,
  };
}
