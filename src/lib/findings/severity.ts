/**
 * One severity scale for every kind of finding, 0 to 100: how far past its threshold the effect is
 * (magnitude), how many rows it touches (reach, with a floor so that a small, severe slice still ranks),
 * how much it stands out from the measure's normal variation between windows and segments (contrast, so
 * that the weather at one airport ranks below a broken feed), and how directly it hurts the model (weight by kind).
 */
import type { FindingKind } from './types';

/** How directly each kind of problem hurts the model's answers. */
export const KIND_WEIGHT: Record<FindingKind, number> = {
  performance: 1,
  'failing-slice': 0.9,
  'missing-values': 0.9,
  'stuck-value': 0.9,
  'scale-change': 0.9,
  'new-category': 0.8,
  // The score follows its inputs: its move is worth an input's, unless the model itself disagrees (replay).
  'output-drift': 0.55,
  drift: 0.6,
  'joint-drift': 0.6,
  'label-drift': 0.6,
  'attribution-drift': 0.7,
  'data-quality': 0.8,
  volume: 0.8,
  // Slow or failing requests hurt the users of the model directly, but not its answers.
  operations: 0.7,
};

export interface SeverityInput {
  kind: FindingKind;
  /** Effect divided by the measure's threshold: 1 at the threshold. */
  magnitude: number;
  /** Share of the log's rows (or labelled rows) the finding is about. */
  reach: number;
  /** The effect here divided by the same effect in the rest of the log (Infinity when none there). */
  contrast: number;
  /** A finding about a column that follows the calendar (its drift between periods is expected). */
  expected?: boolean;
  /** Replaces the kind's weight (a logged score the model file does not give is certain, not a hint). */
  weight?: number;
}

/** A reach of 5% of the rows counts fully, 1% about two thirds, a few hundredths of a percent a third. */
export function reachFactor(reach: number): number {
  return 0.35 + 0.65 * Math.min(1, Math.sqrt(Math.max(0, reach) / 0.05));
}

/**
 * How far the effect stands out from the normal variation of the same measure (the effect divided by the
 * typical one): three times counts half, ten times three quarters; no contrast counts a quarter.
 */
export function contrastFactor(contrast: number): number {
  if (!Number.isFinite(contrast)) return 1;
  return Math.max(0.25, contrast / (contrast + 3));
}

/**
 * Past a few units, more magnitude says less than reach and contrast: 3 ln(1 + m/3) grows like m near the
 * threshold and like its logarithm far past it (50 units count about 9), so a huge effect in a handful of
 * rows or one that is the normal variation of its column cannot outrank a clear problem.
 */
export function magnitudeFactor(magnitude: number): number {
  return 3 * Math.log1p(Math.max(0, magnitude) / 3);
}

export function severity(input: SeverityInput): number {
  const strength =
    magnitudeFactor(input.magnitude) *
    reachFactor(input.reach) *
    contrastFactor(input.contrast) *
    KIND_WEIGHT[input.kind] *
    (input.expected ? 0.3 : 1);
  return Math.round(1000 * (1 - Math.exp(-0.4 * strength))) / 10;
}
