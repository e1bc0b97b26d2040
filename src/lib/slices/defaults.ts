import type { WindowUnit } from '../metrics/time';

/**
 * The slice search's defaults, one set for the app and the CLI: conditions on up to two columns (depth 3
 * stays available), the ten best slices by SliceLine's score and the ten first of the ranking; a false
 * discovery rate of 5% for every list; effects below Cohen's "small" (0.2 standard deviations) are not
 * ranked; a slice is compared in a window only with at least 30 rows there and in its baseline.
 */
export const SLICE_DEFAULTS = { maxDepth: 2, k: 10, fdr: 0.05, minEffect: 0.2, windowMinSupport: 30 } as const;

/** Rows a slice needs to be searched, ranked or tested over the whole log: 0.5% of the rows, at least 20. */
export function defaultMinSupport(rows: number): number {
  return Math.max(20, Math.ceil(rows * 0.005));
}

/**
 * Windows for "slices that got worse": one step coarser than the charts' windows, so that a slice has
 * enough rows in each window for a test (a six-week log compares weeks, not days).
 */
export function worsenedWindowUnit(unit: WindowUnit): WindowUnit {
  if (unit === 'hour') return 'day';
  if (unit === 'day') return 'week';
  return unit;
}
