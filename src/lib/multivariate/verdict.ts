/**
 * When a domain classifier's ROC AUC means drift (Evidently's rule for text and embeddings): with a small
 * reference (at most 1,000 rows) the AUC must beat the 95th percentile of the AUCs a classifier that guesses
 * would get on the same test rows; with more, it must exceed 0.55. A hold-out half of the rows is scored.
 */
import { randomClassifierAucQuantile } from './auc';
import { seededRandom } from './sampling';

export const SMALL_REFERENCE_ROWS = 1000;
export const AUC_THRESHOLD = 0.55;
export const RANDOM_CLASSIFIER_QUANTILE = 0.95;
export const RANDOM_CLASSIFIER_DRAWS = 1000;

export interface ClassifierVerdict {
  auc: number;
  threshold: number;
  /** How the threshold was set: a fixed AUC, or from a classifier that guesses (small references). */
  thresholdRule: 'fixed' | 'random-classifier';
  drifted: boolean;
  trainRows: number;
  testRows: number;
}

export function classifierVerdict(
  auc: number,
  testLabels: Uint8Array,
  referenceRows: number,
  trainRows: number,
  options: { seed?: number; threshold?: number } = {},
): ClassifierVerdict {
  const small = referenceRows <= SMALL_REFERENCE_ROWS && options.threshold === undefined;
  const threshold = small
    ? randomClassifierAucQuantile(testLabels, seededRandom(options.seed ?? 42), RANDOM_CLASSIFIER_QUANTILE, RANDOM_CLASSIFIER_DRAWS)
    : (options.threshold ?? AUC_THRESHOLD);
  return {
    auc,
    threshold,
    thresholdRule: small ? 'random-classifier' : 'fixed',
    drifted: Number.isFinite(auc) && auc > threshold,
    trainRows,
    testRows: testLabels.length,
  };
}
