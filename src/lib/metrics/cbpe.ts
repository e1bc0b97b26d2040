import type { Db } from '../db';
import { ident } from '../sql';
import { isotonicFit, isotonicPredict, type IsotonicFit } from './isotonic';
import { loadScoreTable } from './scoreTable';
import { predictedPositiveSql, scoreSql, type PerfSpec } from './spec';
import { CompensatedSum } from './sum';
import { ratio, undefinedMetric, type MetricValue } from './value';

export interface CbpeEstimate {
  /** Expected confusion matrix: sums of calibrated probabilities. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  accuracy: MetricValue;
  precision: MetricValue;
  recall: MetricValue;
  f1: MetricValue;
  specificity: MetricValue;
  roc_auc: MetricValue;
}

export interface CbpeWindow {
  start: number;
  /** Predictions with a score in the window (labels not needed). */
  n: number;
  estimated: CbpeEstimate;
}

/** Fits the calibrator on the reference's labelled scores. */
export async function fitCbpeCalibrator(db: Db, reference: PerfSpec, signal?: AbortSignal): Promise<IsotonicFit> {
  const t = await loadScoreTable(db, reference, { signal });
  const y = Array.from(t.scores, (_, i) => t.pos[i]! / (t.pos[i]! + t.neg[i]!));
  const w = Array.from(t.scores, (_, i) => t.pos[i]! + t.neg[i]!);
  return isotonicFit(t.scores, y, w);
}

export interface CbpeGroup {
  score: number;
  predictedPositive: boolean;
  count: number;
}

/**
 * Confidence-based performance estimation (NannyML's CBPE): with probabilities calibrated on the
 * reference, a row predicted positive with calibrated probability p is a true positive with probability p
 * and a false positive with probability 1 - p; summing gives the expected confusion matrix and from it the
 * expected metrics, without labels. The expected ROC AUC uses the calibrated probabilities as soft labels
 * in the tie-aware trapezoid (the Mann-Whitney form with soft counts). Groups must be sorted by score.
 */
export function cbpeEstimate(groups: CbpeGroup[], fit: IsotonicFit): CbpeEstimate {
  const tp = new CompensatedSum();
  const fp = new CompensatedSum();
  const fn = new CompensatedSum();
  const tn = new CompensatedSum();
  const auc = new CompensatedSum();
  let negBelow = 0;
  let softPos = 0;
  let softNeg = 0;
  // Rows of one score may split between predicted classes (a prediction column): pool them for the AUC.
  for (let i = 0; i < groups.length;) {
    let j = i;
    let gp = 0;
    let gn = 0;
    while (j < groups.length && groups[j]!.score === groups[i]!.score) {
      const g = groups[j]!;
      const p = isotonicPredict(fit, g.score);
      const pos = g.count * p;
      const neg = g.count * (1 - p);
      if (g.predictedPositive) {
        tp.add(pos);
        fp.add(neg);
      } else {
        fn.add(pos);
        tn.add(neg);
      }
      gp += pos;
      gn += neg;
      j++;
    }
    auc.add(gp * (negBelow + 0.5 * gn));
    negBelow += gn;
    softPos += gp;
    softNeg += gn;
    i = j;
  }
  const c = { tp: tp.value, fp: fp.value, fn: fn.value, tn: tn.value };
  const n = c.tp + c.fp + c.fn + c.tn;
  return {
    ...c,
    accuracy: ratio(c.tp + c.tn, n, 'no scored predictions'),
    precision: ratio(c.tp, c.tp + c.fp, 'the model predicts no positives'),
    recall: ratio(c.tp, c.tp + c.fn, 'the calibrated probabilities expect no positives'),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, 'no expected positives and no positive predictions'),
    specificity: ratio(c.tn, c.tn + c.fp, 'the calibrated probabilities expect no negatives'),
    roc_auc:
      softPos > 0 && softNeg > 0
        ? ratio(auc.value, softPos * softNeg, '')
        : undefinedMetric('the calibrated probabilities expect one class only'),
  };
}

/** Expected performance per time window of the analysis data; realised metrics come from metricsOverTime. */
export async function cbpeOverTime(
  db: Db,
  analysis: PerfSpec,
  windowSql: string,
  fit: IsotonicFit,
  signal?: AbortSignal,
): Promise<CbpeWindow[]> {
  const s = scoreSql(analysis);
  const rows = await db.query(
    `SELECT epoch_ms(${windowSql})::DOUBLE AS w, ${s} AS s, ${predictedPositiveSql(analysis)} AS pp, count(*)::DOUBLE AS n FROM ${ident(analysis.table)} WHERE isfinite(${s}) AND ${windowSql} IS NOT NULL GROUP BY ALL ORDER BY 1, 2, 3`,
    { signal },
  );
  const byWindow = new Map<number, CbpeGroup[]>();
  for (const r of rows) {
    const w = Number(r['w']);
    let list = byWindow.get(w);
    if (!list) byWindow.set(w, (list = []));
    list.push({ score: Number(r['s']), predictedPositive: Number(r['pp']) === 1, count: Number(r['n']) });
  }
  return [...byWindow.entries()].map(([start, groups]) => ({
    start,
    n: groups.reduce((a, g) => a + g.count, 0),
    estimated: cbpeEstimate(groups, fit),
  }));
}
