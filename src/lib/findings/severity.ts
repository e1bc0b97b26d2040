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
  'output-drift': 0.85,
  drift: 0.7,
  'label-drift': 0.6,
  'attribution-drift': 0.7,
  'data-quality': 0.6,
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
}

/** A reach of 5% of the rows counts fully; 1% still counts three quarters. */
export function reachFactor(reach: number): number {
  return 0.5 + 0.5 * Math.min(1, Math.sqrt(Math.max(0, reach) / 0.05));
}

/**
 * How far the effect stands out from the normal variation of the same measure (the effect divided by the
 * typical one): three times counts half, ten times three quarters; no contrast counts a quarter.
 */
export function contrastFactor(contrast: number): number {
  if (!Number.isFinite(contrast)) return 1;
  return Math.max(0.25, contrast / (contrast + 3));
}

export function severity(input: SeverityInput): number {
  const strength =
    Math.max(0, input.magnitude) *
    reachFactor(input.reach) *
    contrastFactor(input.contrast) *
    KIND_WEIGHT[input.kind] *
    (input.expected ? 0.3 : 1);
  return Math.round(1000 * (1 - Math.exp(-0.4 * strength))) / 10;
}
