import { binaryRates } from './confusion';
import { confusionAt, type ScoreTable } from './scoreTable';
import { valueOrNull } from './value';

export interface CurvePoint {
  x: number;
  y: number;
  threshold: number;
}

/** Keeps at most `max` points, always the first and last, evenly by index: charts stay under Plot's comfortable mark count. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

/**
 * ROC curve as sklearn's roc_curve(drop_intermediate=False): one point per distinct threshold, from the
 * highest score down, starting at (0, 0) with threshold +Infinity. x = FPR, y = TPR.
 */
export function rocCurve(t: ScoreTable, maxPoints = Infinity): CurvePoint[] {
  if (t.positives === 0 || t.negatives === 0) return [];
  const points: CurvePoint[] = [{ x: 0, y: 0, threshold: Infinity }];
  for (let i = t.scores.length - 1; i >= 0; i--) {
    points.push({ x: (t.negatives - t.cumNeg[i]!) / t.negatives, y: (t.positives - t.cumPos[i]!) / t.positives, threshold: t.scores[i]! });
  }
  return thin(points, maxPoints);
}

/**
 * Precision-recall curve as sklearn's precision_recall_curve (1.2): one point per distinct threshold in
 * increasing threshold order, then the (recall 0, precision 1) end point. x = recall, y = precision.
 */
export function precisionRecallCurve(t: ScoreTable, maxPoints = Infinity): CurvePoint[] {
  if (t.positives === 0) return [];
  const points: CurvePoint[] = [];
  for (let i = 0; i < t.scores.length; i++) {
    const tp = t.positives - t.cumPos[i]!;
    const fp = t.negatives - t.cumNeg[i]!;
    points.push({ x: tp / t.positives, y: tp + fp > 0 ? tp / (tp + fp) : 0, threshold: t.scores[i]! });
  }
  points.push({ x: 0, y: 1, threshold: Infinity });
  return thin(points, maxPoints);
}

export interface ReliabilityBin {
  /** Bin bounds: (lo, hi], the first bin [0, hi]. */
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability in the bin (sklearn's prob_pred). */
  meanScore: number;
  /** Fraction of positives in the bin (sklearn's prob_true). */
  fractionPositive: number;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error: sum over bins of (count / n) * |fraction positive - mean score|. */
  ece: number | null;
}

/**
 * Reliability curve as sklearn's calibration_curve(strategy="uniform"): edges np.linspace(0, 1, n + 1),
 * a score goes to bin searchsorted(inner edges, score) (so a score equal to an edge falls in the lower
 * bin); empty bins are left out. Scores must lie in [0, 1].
 */
export function reliabilityCurve(t: ScoreTable, nBins = 10): Reliability {
  const step = 1 / nBins;
  const edges = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step));
  const count = new Float64Array(nBins);
  const sumScore = new Float64Array(nBins);
  const sumPos = new Float64Array(nBins);
  let bin = 0;
  for (let i = 0; i < t.scores.length; i++) {
    const s = t.scores[i]!;
    if (s < 0 || s > 1) return { bins: [], ece: null };
    while (bin < nBins - 1 && s > edges[bin + 1]!) bin++;
    const c = t.pos[i]! + t.neg[i]!;
    count[bin] = count[bin]! + c;
    sumScore[bin] = sumScore[bin]! + c * s;
    sumPos[bin] = sumPos[bin]! + t.pos[i]!;
  }
  const n = t.positives + t.negatives;
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0) continue;
    const meanScore = sumScore[b]! / count[b]!;
    const fractionPositive = sumPos[b]! / count[b]!;
    bins.push({ lo: edges[b]!, hi: edges[b + 1]!, count: count[b]!, meanScore, fractionPositive });
    ece += (count[b]! / n) * Math.abs(fractionPositive - meanScore);
  }
  return { bins, ece: n > 0 ? ece : null };
}

export interface SweepPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  accuracy: number | null;
  fpr: number | null;
}

/** Thresholds for a sweep: a grid over [0, 1] for probabilities, else over the observed score range. */
export function sweepThresholds(t: ScoreTable, steps = 100): number[] {
  const g = t.scores.length;
  if (g === 0) return [];
  const lo = t.scores[0]! >= 0 && t.scores[g - 1]! <= 1 ? 0 : t.scores[0]!;
  const hi = t.scores[0]! >= 0 && t.scores[g - 1]! <= 1 ? 1 : t.scores[g - 1]!;
  return Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps);
}

/** Metrics at each threshold; each point costs a binary search, so a 101-point sweep over a million rows is instant. */
export function thresholdSweep(t: ScoreTable, thresholds: number[] = sweepThresholds(t)): SweepPoint[] {
  return thresholds.map((threshold) => {
    const c = confusionAt(t, threshold);
    const r = binaryRates(c);
    return {
      threshold,
      ...c,
      precision: valueOrNull(r.precision),
      recall: valueOrNull(r.recall),
      f1: valueOrNull(r.f1),
      accuracy: valueOrNull(r.accuracy),
      fpr: valueOrNull(r.fpr),
    };
  });
}
