/**
 * Which inputs the rounded-values measure reads, and at which step: values that arrive rounded to a
 * coarser step than the reference's (a precision lost in a feed) show as a share of values on that grid.
 */
import type { Db } from '../db';
import { ident, num, oneOf, select, sql } from '../sql';

/** Most inputs the rounding measure reads: each adds a column to the grid. */
const MAX_ROUNDED = 24;

/**
 * The step to test each input's rounding at, from the reference (or the log): whole numbers for a column
 * whose values mostly have decimals; tens for a whole-number column over a range wide enough that tens
 * are a grid (a percentage, a count in the hundreds), when most values are not multiples of ten.
 */
export async function roundingSteps(db: Db, table: string, columns: string[], signal?: AbortSignal): Promise<Map<string, number>> {
  const steps = new Map<string, number>();
  const chosen = columns.slice(0, MAX_ROUNDED);
  if (!chosen.length) return steps;
  const shape = Object.fromEntries(
    chosen.flatMap((c, i) => {
      const x = sql`TRY_CAST(${ident(c)} AS DOUBLE)`;
      return [
        [`w${i}`, num(sql`avg(CAST(${x} = round(${x}) AS DOUBLE))`)],
        [`t${i}`, num(sql`avg(CAST(${x} = round(${x} / 10) * 10 AS DOUBLE))`)],
        [`r${i}`, num(sql`max(${x}) - min(${x})`)],
      ];
    }),
  );
  const row = (await oneOf(db, select(shape, sql`FROM ${ident(table)}`), { signal })) as Record<string, number>;
  chosen.forEach((c, i) => {
    const whole = row[`w${i}`]!;
    const tens = row[`t${i}`]!;
    const range = row[`r${i}`]!;
    if (whole < 0.5) steps.set(c, 1);
    else if (whole >= 0.99 && tens < 0.5 && range >= 50) steps.set(c, 10);
  });
  return steps;
}
