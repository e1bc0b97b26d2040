/**
 * The one set of defaults for validation before deployment, in the app and the CLI (the reasons are in
 * docs/decisions/0920-validation-before-deployment.md).
 */
export const VALIDATION_DEFAULTS = {
  /** Fairness groups with fewer labelled rows are reported but take no part in the differences. */
  minGroupSize: 30,
  /** Most values of one sensitive column taken as groups; more distinct numbers are cut at quantiles. */
  maxGroups: 50,
  /** Quantile groups of a numeric sensitive column with many values. */
  groupBins: 5,
  /** A column separating the label on its own with ROC AUC (or 1 - AUC) at least this high is a leak. */
  leakAuc: 0.99,
  /** ... or whose values map to the label with at least this leave-one-out accuracy ... */
  leakAccuracy: 0.99,
  /** ... removing at least this share of the errors of always guessing the most frequent class. */
  leakErrorReduction: 0.9,
  /** Regression: a numeric column with |Pearson r| at least this high against the label is a leak. */
  leakCorrelation: 0.99,
  /** A column equal to the label (or one-to-one with the id) on at least this share of rows is a copy. */
  copyShare: 0.99,
  /**
   * Evaluation rows that repeat a training row (every shared column but the id): flagged above this share.
   * Identical rows occur naturally in data of a few discrete columns; Deepchecks' train-test samples mix
   * uses the same 5%.
   */
  duplicateShare: 0.05,
  /** Fewest labelled rows a slice needs on each side before its train-test gap is ranked. */
  sliceMinRows: 50,
  /** Slices listed with the largest gaps. */
  topSlices: 10,
  /** Gaussian noise of this share of a number's standard deviation. */
  noiseShare: 0.1,
  /** A model input with whole numbers and at most this many distinct values is a category: swapped. */
  maxCategories: 10,
  /** Rows scored for robustness (spread evenly over the data). */
  robustnessRows: 5000,
  seed: 20240601,
  /** Consecutive time folds of the labelled rows. */
  folds: 5,
  level: 0.95,
} as const;
