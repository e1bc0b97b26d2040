import type { ScoreTable } from './scoreTable';
import { CompensatedSum } from './sum';

export interface AucVariance {
  auc: number;
  /** DeLong's variance of the AUC: var(V10) / positives + var(V01) / negatives (sample variances). */
  variance: number;
}

/**
 * ROC AUC with DeLong's variance (DeLong, DeLong & Clarke-Pearson 1988) from the grouped score counts.
 * Each positive's structural component V10 is the share of negatives it outranks (ties count 1/2), each
 * negative's V01 the share of positives that outrank it; every row of one score has the same component, so
 * the sums run over distinct scores. Undefined (null) without both classes or with a single row of one.
 */
export function delongVariance(t: ScoreTable): AucVariance | null {
  const m = t.positives;
  const n = t.negatives;
  if (m < 2 || n < 2) return null;
  const g = t.scores.length;
  const v10 = new Float64Array(g);
  const v01 = new Float64Array(g);
  const auc = new CompensatedSum();
  for (let i = 0; i < g; i++) {
    v10[i] = (t.cumNeg[i]! + 0.5 * t.neg[i]!) / n;
    v01[i] = (m - t.cumPos[i + 1]! + 0.5 * t.pos[i]!) / m;
    auc.add(t.pos[i]! * v10[i]!);
  }
  const a = auc.value / m;
  const s10 = new CompensatedSum();
  const s01 = new CompensatedSum();
  for (let i = 0; i < g; i++) {
    if (t.pos[i]! > 0) s10.add(t.pos[i]! * (v10[i]! - a) ** 2);
    if (t.neg[i]! > 0) s01.add(t.neg[i]! * (v01[i]! - a) ** 2);
  }
  return { auc: a, variance: s10.value / (m - 1) / m + s01.value / (n - 1) / n };
}
