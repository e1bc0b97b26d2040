import type { TreeEnsemble } from './ensemble';
import { marginToPrediction, predictMargin } from './predict';

export interface ReplayOptions {
  /** |model - logged| <= absolute + relative * |logged| counts as agreement. Defaults 1e-4 and 1e-4. */
  absolute?: number;
  relative?: number;
  /** How many disagreeing rows to list (the largest differences first). Default 100. */
  maxListed?: number;
}

export interface ReplayDisagreement {
  row: number;
  model: number;
  logged: number;
  difference: number;
}

export interface ReplayResult {
  /** Rows with a logged score (NaN/NULL scores are skipped). */
  compared: number;
  agreeing: number;
  /** agreeing / compared; NaN when nothing was compared. */
  share: number;
  /**
   * What the logged score was compared with: the model's prediction (probability / value), its raw
   * margin, or its predicted class (multi-class models logging labels). Chosen as the one that agrees best.
   */
  scale: 'prediction' | 'margin' | 'class';
  absolute: number;
  relative: number;
  /** Largest differences first, at most maxListed. */
  disagreements: ReplayDisagreement[];
  /** The model's value per row on the chosen scale (NaN for rows without a score). */
  modelValues: Float64Array;
}

/**
 * Replays the model on logged rows and compares with the scores production logged. A low share of
 * agreement means the serving pipeline feeds the model different features than training did (or a
 * different model is deployed). Binary and regression models compare output 0; multi-class models
 * compare the predicted class when the logged scores are class labels, else the top-class probability.
 */
export function replayPredictions(
  model: TreeEnsemble,
  X: Float64Array,
  rows: number,
  logged: Float64Array,
  options: ReplayOptions = {},
): ReplayResult {
  const absolute = options.absolute ?? 1e-4;
  const relative = options.relative ?? 1e-4;
  const K = model.numOutputs;
  const margin = predictMargin(model, X, rows);
  const prediction = marginToPrediction(model, margin);
  const candidates: { scale: ReplayResult['scale']; values: Float64Array }[] = [];
  if (K === 1) {
    candidates.push({ scale: 'prediction', values: prediction });
    if (model.link !== 'identity') candidates.push({ scale: 'margin', values: margin });
  } else {
    const top = new Float64Array(rows);
    const cls = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (prediction[r * K + k]! > prediction[r * K + best]!) best = k;
      top[r] = prediction[r * K + best]!;
      cls[r] = best;
    }
    const labels = Array.from(logged).every((v) => v !== v || (Number.isInteger(v) && v >= 0 && v < K));
    candidates.push(labels ? { scale: 'class', values: cls } : { scale: 'prediction', values: top });
  }
  const agrees = (a: number, b: number) => Math.abs(a - b) <= absolute + relative * Math.abs(b);
  let best: { scale: ReplayResult['scale']; values: Float64Array; agreeing: number } | undefined;
  for (const c of candidates) {
    let agreeing = 0;
    for (let r = 0; r < rows; r++) if (logged[r] === logged[r] && agrees(c.values[r]!, logged[r]!)) agreeing++;
    if (!best || agreeing > best.agreeing) best = { ...c, agreeing };
  }
  const chosen = best!;
  let compared = 0;
  const disagreements: ReplayDisagreement[] = [];
  const modelValues = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const l = logged[r]!;
    modelValues[r] = l === l ? chosen.values[r]! : NaN;
    if (l !== l) continue;
    compared++;
    if (!agrees(chosen.values[r]!, l))
      disagreements.push({ row: r, model: chosen.values[r]!, logged: l, difference: chosen.values[r]! - l });
  }
  disagreements.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference));
  return {
    compared,
    agreeing: chosen.agreeing,
    share: compared === 0 ? NaN : chosen.agreeing / compared,
    scale: chosen.scale,
    absolute,
    relative,
    disagreements: disagreements.slice(0, options.maxListed ?? 100),
    modelValues,
  };
}
