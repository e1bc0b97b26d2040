/**
 * A chart's numbers as a small table of text: the text alternative the mounting component shows (or
 * offers) next to a chart that is the only place those numbers appear.
 */
export interface ChartTable {
  caption: string;
  columns: string[];
  /** Cells already formatted; numbers are right-aligned by the column's `numeric` flag. */
  rows: string[][];
  /** Which columns hold numbers (same length as `columns`). */
  numeric?: boolean[];
}
