import type { WindowUnit } from '../metrics/time';

/**
 * The slice search's defaults, one set for the app and the CLI: conditions on up to two columns (depth 3
 * stays available), the ten best slices by SliceLine's score.
 */
export const SLICE_DEFAULTS = { maxDepth: 2, k: 10 } as const;

/**
 * Windows for "slices that got worse": one step coarser than the charts' windows, so that a slice has
 * enough rows in each window for a test (a six-week log compares weeks, not days).
 */
export function worsenedWindowUnit(unit: WindowUnit): WindowUnit {
  if (unit === 'hour') return 'day';
  if (unit === 'day') return 'week';
  return unit;
}
