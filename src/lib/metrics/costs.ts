/**
 * What a classifier's mistakes cost: a cost (or, negative, a gain) per outcome - false positive, false
 * negative and, optionally, true positive and true negative - and the expected cost per labelled
 * prediction. Binary classifiers with scores get it at any threshold from the per-score counts (a binary
 * search), and the cost-optimal threshold from a sweep over every distinct score. Multiclass: every
 * class's one-vs-rest outcome is costed and the costs of a row are summed, so a row labelled a and
 * predicted b costs fn(a) + fp(b) (+ tn of every other class).
 */
import { z } from 'zod';
import type { Confusion } from './confusion';
import type { ConfusionCell } from './multiclass';
import { confusionAt, type ScoreTable } from './scoreTable';

export const outcomeCostsSchema = z.object({
  fp: z.number().finite().default(0),
  fn: z.number().finite().default(0),
  tp: z.number().finite().default(0),
  tn: z.number().finite().default(0),
});
export type OutcomeCosts = z.infer<typeof outcomeCostsSchema>;

/** Costs per outcome; for a multiclass model, `perClass` overrides them class by class. */
export const costSettingsSchema = outcomeCostsSchema.extend({
  // Without defaults: an outcome a class leaves out takes the costs above, not 0.
  perClass: z
    .record(
      z.string(),
      z.object({ fp: z.number().finite(), fn: z.number().finite(), tp: z.number().finite(), tn: z.number().finite() }).partial(),
    )
    .optional(),
});
export type CostSettings = z.infer<typeof costSettingsSchema>;

export const NO_COSTS: OutcomeCosts = { fp: 0, fn: 0, tp: 0, tn: 0 };

/** The total cost of a confusion matrix, summed in the reference's order (tp, fp, tn, fn) so sweeps match bit for bit. */
export function confusionCost(c: OutcomeCosts, m: Confusion): number {
  return c.tp * m.tp + c.fp * m.fp + c.tn * m.tn + c.fn * m.fn;
}

export interface CostAt {
  threshold: number | null;
  /** Labelled rows the cost is averaged over. */
  n: number;
  total: number;
  /** Expected cost per labelled prediction; null without labelled rows. */
  perPrediction: number | null;
}

export function costOfConfusion(c: OutcomeCosts, m: Confusion, threshold: number | null = null): CostAt {
  const n = m.tp + m.fp + m.tn + m.fn;
  const total = confusionCost(c, m);
  return { threshold, n, total, perPrediction: n > 0 ? total / n : null };
}

/** The expected cost at a threshold (score >= threshold is predicted positive). */
export function costAt(t: ScoreTable, c: OutcomeCosts, threshold: number): CostAt {
  return costOfConfusion(c, confusionAt(t, threshold), threshold);
}

export interface CostCurvePoint {
  threshold: number;
  perPrediction: number;
}

export interface CostSweep {
  /** Every distinct score as a threshold, ascending, with its expected cost per prediction. */
  curve: CostCurvePoint[];
  /** The threshold with the least cost (the lowest such score when several tie), or null without labelled rows. */
  best: CostCurvePoint | null;
}

/**
 * The cost at every distinct score taken as the threshold: at the i-th score, the rows below it are
 * predicted negative (their counts are the prefix sums), the rest positive. O(distinct scores).
 */
export function costSweep(t: ScoreTable, c: OutcomeCosts): CostSweep {
  const n = t.positives + t.negatives;
  const curve: CostCurvePoint[] = [];
  let best: CostCurvePoint | null = null;
  if (n === 0) return { curve, best };
  for (let i = 0; i < t.scores.length; i++) {
    const fn = t.cumPos[i]!;
    const tn = t.cumNeg[i]!;
    const point = { threshold: t.scores[i]!, perPrediction: confusionCost(c, { tp: t.positives - fn, fp: t.negatives - tn, tn, fn }) / n };
    curve.push(point);
    if (best === null || point.perPrediction < best.perPrediction) best = point;
  }
  return { curve, best };
}

/** At most `max` points of a curve for a chart, the ends, the best point and any point of `keep` included. */
export function thinCurve(curve: readonly CostCurvePoint[], max = 400, keep: readonly (CostCurvePoint | null)[] = []): CostCurvePoint[] {
  if (curve.length <= max) return [...curve];
  const step = (curve.length - 1) / (max - 1);
  const picked = new Set<number>();
  for (let k = 0; k < max; k++) picked.add(Math.round(k * step));
  for (const p of keep) if (p) picked.add(curve.findIndex((q) => q.threshold === p.threshold));
  picked.delete(-1);
  return [...picked].sort((a, b) => a - b).map((i) => curve[i]!);
}

/** A class's costs: its own where given, else the defaults. */
export function classCosts(settings: CostSettings, cls: string): OutcomeCosts {
  return { fp: settings.fp, fn: settings.fn, tp: settings.tp, tn: settings.tn, ...(settings.perClass?.[cls] ?? {}) };
}

/**
 * A multiclass model's cost from its label x prediction counts: each row costs the sum, over the classes
 * (the union of labels and predictions), of its one-vs-rest outcome's cost for that class.
 */
export function multiclassCost(cells: readonly ConfusionCell[], settings: CostSettings): CostAt {
  const classes = [...new Set(cells.flatMap((c) => [c.label, c.predicted]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const costs = classes.map((cls) => classCosts(settings, cls));
  let total = 0;
  let n = 0;
  for (const cell of cells) {
    let row = 0;
    classes.forEach((cls, i) => {
      const c = costs[i]!;
      const labelled = cell.label === cls;
      const predicted = cell.predicted === cls;
      row += labelled ? (predicted ? c.tp : c.fn) : predicted ? c.fp : c.tn;
    });
    total += row * cell.count;
    n += cell.count;
  }
  return { threshold: null, n, total, perPrediction: n > 0 ? total / n : null };
}

/** Parses `fp=5,fn=50,tp=-1` and, per class, `rain:fn=5` (the CLI's --cost); a usage message on a typo. */
export function parseCostText(text: string): CostSettings {
  const settings: CostSettings = { ...NO_COSTS };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:(.+):)?(fp|fn|tp|tn)\s*=\s*(.+)$/i.exec(part);
    const value = m ? Number(m[3]) : Number.NaN;
    if (!m || !Number.isFinite(value))
      throw new Error(
        `"${part}" is not a cost: write outcome=number with outcome fp, fn, tp or tn (e.g. fp=5,fn=50), or class:outcome=number.`,
      );
    const outcome = m[2]!.toLowerCase() as keyof OutcomeCosts;
    if (m[1] === undefined) settings[outcome] = value;
    else {
      settings.perClass ??= {};
      settings.perClass[m[1]] = { ...(settings.perClass[m[1]] ?? {}), [outcome]: value };
    }
  }
  return settings;
}
