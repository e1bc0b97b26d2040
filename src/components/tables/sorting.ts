/**
 * Sorting of the app's tables by any column, by mouse and keyboard: the header's button toggles the
 * direction, `aria-sort` tells assistive technology. Values that are undefined (null, NaN) sort last in
 * either direction, so a metric without a value never reads as the best or the worst.
 */
export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  key: string;
  direction: SortDirection;
}

export type SortValue = number | string | null | undefined;

/** The next state when the header of `key` is pressed: a new column sorts `first` (descending by default), the same column flips. */
export function nextSort(state: SortState | null, key: string, first: SortDirection = 'descending'): SortState {
  if (state?.key !== key) return { key, direction: first };
  return { key, direction: state.direction === 'ascending' ? 'descending' : 'ascending' };
}

export function ariaSort(state: SortState | null, key: string): 'ascending' | 'descending' | 'none' {
  return state?.key === key ? state.direction : 'none';
}

const missing = (v: SortValue) => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

/** The rows in the state's order (a stable sort; the original order when no state). */
export function sortRows<T>(rows: readonly T[], state: SortState | null, value: (row: T, key: string) => SortValue): T[] {
  if (!state) return [...rows];
  const sign = state.direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: value(row, state.key) }))
    .sort((a, b) => {
      const ma = missing(a.v);
      const mb = missing(b.v);
      if (ma || mb) return ma === mb ? a.i - b.i : ma ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'en');
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.row);
}
