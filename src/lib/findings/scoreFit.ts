/**
 * A linear least-squares fit of the model's score on its numeric inputs over the reference, from the
 * means and pairwise covariances one query returns (pairwise-complete, so missing values cost nothing).
 * Not a model of the model: a baseline of how the score moves with its inputs, so that a score moving
 * without its inputs stands out.
 */
import type { Db } from '../db';
import { ident, num, oneOf, select, sql, type Sql } from '../sql';
import type { ScoreFit } from './measures';

/** Inputs used at most (their pairwise covariances grow with the square). */
const MAX_INPUTS = 40;

/** Solves A x = b (A symmetric positive semi-definite, ridge-stabilised) by Gaussian elimination with partial pivoting. */
export function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[pivot]![c]!)) pivot = r;
    if (Math.abs(M[pivot]![c]!) < 1e-300) return null;
    [M[c], M[pivot]] = [M[pivot]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      if (f !== 0) for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/**
 * The fit of the score expression (a column, or the logit of a probability) on `inputs` (names with
 * their grid indexes) in `table`; null when the reference cannot support one (too few rows, no spread).
 */
export async function fitScore(
  db: Db,
  table: string,
  score: Sql,
  inputs: { name: string; index: number }[],
  signal?: AbortSignal,
): Promise<ScoreFit | null> {
  const xs = inputs.slice(0, MAX_INPUTS);
  if (xs.length === 0) return null;
  const col = (name: string) => sql`CAST(${ident(name)} AS DOUBLE)`;
  const y = sql`(CASE WHEN isfinite(${score}) THEN ${score} END)`;
  const spec: Record<string, ReturnType<typeof num>> = {
    n: num(sql`count(${y})::DOUBLE`, 0),
    my: num(sql`avg(${y})`),
    vy: num(sql`var_pop(${y})`),
  };
  xs.forEach((x, i) => {
    spec[`m${i}`] = num(sql`avg(${col(x.name)})`);
    spec[`y${i}`] = num(sql`covar_pop(${col(x.name)}, ${y})`);
    for (let j = 0; j <= i; j++) spec[`c${i}_${j}`] = num(sql`covar_pop(${col(x.name)}, ${col(xs[j]!.name)})`);
  });
  const r = await oneOf(db, select(spec, sql`FROM ${ident(table)}`), { signal });
  if (!(r['n']! > xs.length + 10) || !(r['vy']! > 0)) return null;
  // Inputs without spread (or without values) carry no information: left out.
  const usable = xs.map((_, i) => i).filter((i) => r[`c${i}_${i}`]! > 0 && Number.isFinite(r[`m${i}`]!));
  if (usable.length === 0) return null;
  const trace = usable.reduce((s, i) => s + r[`c${i}_${i}`]!, 0);
  const ridge = 1e-9 * trace;
  const cov = (i: number, j: number) => (i >= j ? r[`c${i}_${j}`]! : r[`c${j}_${i}`]!);
  const A = usable.map((i) => usable.map((j) => (Number.isFinite(cov(i, j)) ? cov(i, j) : 0) + (i === j ? ridge : 0)));
  const b = usable.map((i) => (Number.isFinite(r[`y${i}`]!) ? r[`y${i}`]! : 0));
  const beta = solve(A, b);
  if (!beta) return null;
  let intercept = r['my']!;
  const coefficients = new Map<number, number>();
  usable.forEach((i, k) => {
    intercept -= beta[k]! * r[`m${i}`]!;
    coefficients.set(xs[i]!.index, beta[k]!);
  });
  const explained = usable.reduce((s, _i, k) => s + beta[k]! * b[k]!, 0);
  const residualVar = Math.max(0, r['vy']! - explained);
  return { intercept, coefficients, residualSd: Math.sqrt(residualVar) };
}
