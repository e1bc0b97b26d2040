/**
 * What the model relies on moved: the share of its mean |SHAP| that shifted between features from the
 * reference to the log. A model whose inputs drifted but that still leans on the same features is less
 * worrying than one whose reasons changed.
 */
import type { AttributionInputs } from '../checks/attribution';
import { severity } from './severity';
import { fmt } from './text';
import type { Finding } from './types';

/** A shift below this share of the reference's total mean |SHAP| is the sampling's noise, not a finding. */
const MIN_MOVED_SHARE = 0.05;

export function attributionFinding(a: AttributionInputs): Finding | null {
  const moved = a.features.map((f, i) => ({ f, d: Math.abs(a.current[i]! - a.reference[i]!) / Math.max(a.referenceTotal, 1e-12) }));
  const share = moved.reduce((s, x) => s + x.d, 0);
  if (share < MIN_MOVED_SHARE) return null;
  moved.sort((x, y) => y.d - x.d);
  const top = moved.slice(0, 3).map((m) => m.f);
  return {
    id: 'attribution-drift',
    kind: 'attribution-drift',
    title: `What the model relies on moved: ${fmt(share * 100)}% of its mean |SHAP| shifted between features, most for ${top.join(', ')}`,
    severity: severity({ kind: 'attribution-drift', magnitude: share / 0.1, reach: 1, contrast: 3 }),
    columns: top,
    segment: [],
    window: null,
    evidence: {
      moved_share: share,
      top_feature: moved[0]?.f ?? null,
      rows_reference: a.sampled.reference,
      rows_current: a.sampled.current,
    },
    parts: [],
    link: { view: 'explain' },
  };
}
