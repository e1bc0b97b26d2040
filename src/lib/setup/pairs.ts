/**
 * A label and the model's estimate of it kept side by side in the same files, under names that say
 * neither (audience_rating and expected_rating). What gives them away is how they relate: a fitted model's
 * output is calibrated on the data it was fitted to (the label moves one for one with it, with the same
 * mean) and is smoother than what it predicts (less spread). Two ordinary features seldom meet all three;
 * a copy of a column meets the first two but not the last.
 */
import type { Db } from '../db';
import { ident, num, oneOf, select, sql } from '../sql';
import type { ColumnFacts } from './facts';

export interface OutputPair {
  label: string;
  prediction: string;
  /** Least-squares slope of the label on the prediction, and their correlation, in the table fitted on. */
  slope: number;
  correlation: number;
  labelMean: number;
  predictionMean: number;
  rows: number;
}

/** At most this many columns on either side, so the one query stays small on a wide file. */
const MAX_COLUMNS = 24;
const MIN_ROWS = 30;

/**
 * The pair in `table` that looks most like a label and its prediction, or null. Predictions are the
 * non-whole numeric columns the log always fills (a model always answers); labels any numeric column.
 */
export async function findOutputPair(
  db: Db,
  table: string,
  labels: readonly ColumnFacts[],
  predictions: readonly ColumnFacts[],
  signal?: AbortSignal,
): Promise<OutputPair | null> {
  const ls = labels.filter((c) => c.kind === 'numeric' && (c.max ?? 0) > (c.min ?? 0)).slice(0, MAX_COLUMNS);
  const ps = predictions.filter((c) => c.kind === 'numeric' && c.integral === false).slice(0, MAX_COLUMNS);
  const pairs = ls.flatMap((l) => ps.filter((p) => p.name !== l.name).map((p) => ({ l: l.name, p: p.name })));
  if (pairs.length === 0) return null;
  const cols: Record<string, ReturnType<typeof num>> = {};
  pairs.forEach(({ l, p }, i) => {
    const y = sql`CAST(${ident(l)} AS DOUBLE)`;
    const x = sql`CAST(${ident(p)} AS DOUBLE)`;
    cols[`n${i}`] = num(sql`regr_count(${y}, ${x})::DOUBLE`, 0);
    cols[`sxx${i}`] = num(sql`regr_sxx(${y}, ${x})`);
    cols[`syy${i}`] = num(sql`regr_syy(${y}, ${x})`);
    cols[`sxy${i}`] = num(sql`regr_sxy(${y}, ${x})`);
    cols[`ax${i}`] = num(sql`regr_avgx(${y}, ${x})`);
    cols[`ay${i}`] = num(sql`regr_avgy(${y}, ${x})`);
  });
  const r = await oneOf(db, select(cols, sql`FROM ${ident(table)}`), { signal });
  let best: OutputPair | null = null;
  pairs.forEach(({ l, p }, i) => {
    const n = r[`n${i}`]!;
    const sxx = r[`sxx${i}`]!;
    const syy = r[`syy${i}`]!;
    const sxy = r[`sxy${i}`]!;
    if (!(n >= MIN_ROWS && sxx > 0 && syy > 0)) return;
    const slope = sxy / sxx;
    const correlation = sxy / Math.sqrt(sxx * syy);
    const labelMean = r[`ay${i}`]!;
    const predictionMean = r[`ax${i}`]!;
    const sdLabel = Math.sqrt(syy / n);
    const calibrated = slope >= 0.75 && slope <= 1.33 && Math.abs(labelMean - predictionMean) <= 0.25 * sdLabel;
    // A copy (or a rescaled copy) spreads as much as the original; an estimate spreads less.
    const smoother = sxx < 0.98 * syy;
    if (!(calibrated && smoother && correlation >= 0.3)) return;
    if (!best || correlation > best.correlation) best = { label: l, prediction: p, slope, correlation, labelMean, predictionMean, rows: n };
  });
  return best;
}
