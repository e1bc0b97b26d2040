/**
 * Attribution drift: how much the model's reliance on each feature moved between reference and current,
 * from exact TreeSHAP (the shap core) on an evenly spread sample of each side. The measure is the change
 * in mean |SHAP| of a feature divided by the reference's total mean |SHAP| (so a value of 0.1 means a tenth
 * of the model's total attribution moved); without a feature, the sum of those changes over all features.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import type { TreeEnsemble } from '../model/ensemble';
import { describeMismatch, matchFeatures } from '../model/features';
import { readFeatureMatrix } from '../model/matrix';
import { countRows, describeTable } from '../schema';
import { PathDependentExplainer } from '../shap/pathDependent';
import { meanAbsShap } from '../shap/summaries';

/** Rows explained per side: mean |SHAP| of 5,000 rows is within a few percent of the full mean. */
export const ATTRIBUTION_SAMPLE = 5_000;

export interface AttributionInputs {
  features: string[];
  reference: number[];
  current: number[];
  /** Sum of the reference's mean |SHAP| over features. */
  referenceTotal: number;
  sampled: { reference: number; current: number };
}

async function importance(
  db: Db,
  model: TreeEnsemble,
  table: string,
  signal?: AbortSignal,
): Promise<{ values: Float64Array; rows: number }> {
  const match = matchFeatures(model, await describeTable(db, table));
  if (!match.ok) throw new LanternError('feature-mismatch', `The ${table} data does not fit the model: ${describeMismatch(match)}`);
  const n = await countRows(db, table);
  const every = Math.max(1, Math.floor(n / ATTRIBUTION_SAMPLE));
  const m = await readFeatureMatrix(db, table, match.columns as string[], { limit: ATTRIBUTION_SAMPLE, every, signal });
  const result = new PathDependentExplainer(model).explain(m.X, m.rows);
  return { values: meanAbsShap(result, 0), rows: m.rows };
}

export async function attributionInputs(
  db: Db,
  model: TreeEnsemble,
  t: { reference: string; current: string },
  signal?: AbortSignal,
): Promise<AttributionInputs> {
  const ref = await importance(db, model, t.reference, signal);
  const cur = await importance(db, model, t.current, signal);
  const reference = [...ref.values];
  return {
    features: [...model.featureNames],
    reference,
    current: [...cur.values],
    referenceTotal: reference.reduce((a, b) => a + b, 0),
    sampled: { reference: ref.rows, current: cur.rows },
  };
}

/** The check's value: one feature's moved share of attribution, or the total over features. */
export function attributionDrift(a: AttributionInputs, feature?: string): number | null {
  if (!(a.referenceTotal > 0)) return null;
  const idx = feature === undefined ? a.features.map((_, i) => i) : [a.features.indexOf(feature)];
  if (idx[0] === -1) return null;
  return idx.reduce((s, i) => s + Math.abs(a.current[i]! - a.reference[i]!), 0) / a.referenceTotal;
}
