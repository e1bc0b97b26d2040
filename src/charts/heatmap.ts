import * as Plot from '@observablehq/plot';
import { TOO_SMALL_FILL } from './colors';
import { formatCount, formatValue } from './format';
import { truncateLabel } from './labels';
import { badness, type Better } from './metricDirection';
import { captionOf, extent, minSupportOf, supportCaption } from './support';
import type { ChartTable } from './table';

/** One cell of a two-dimension grid (a metric by segment and window, by two segments, ...). */
export interface HeatCell {
  x: string;
  y: string;
  /** Natural order of the value in its dimension (time, bins in order, categories by frequency). */
  xi: number;
  yi: number;
  /** Rows behind the cell's value. */
  n: number;
  value: number | null;
  /** Why the value is undefined. */
  reason?: string;
}

export interface HeatmapOptions {
  /** Names of the x and y dimensions of the cells as given (either may end up on the rows). */
  xLabel: string;
  yLabel: string;
  metricLabel: string;
  better: Better;
  minSupport?: number;
  /** At most this many rows, the last one folding the rest ("other (k values)"); Infinity shows all. */
  maxRows?: number;
  width?: number;
}

export const MAX_HEATMAP_ROWS = 20;

export type PlacedKind = 'value' | 'small' | 'undefined' | 'other';

export interface PlacedCell {
  row: string;
  column: string;
  n: number;
  value: number | null;
  kind: PlacedKind;
  reason?: string;
  /** For the folded row: how many values it holds. */
  values?: number;
}

export interface HeatmapLayout {
  /** Which dimension of the input is drawn on the rows (the one with more values). */
  rowsFrom: 'x' | 'y';
  rowLabel: string;
  columnLabel: string;
  /** Rows top to bottom: worst first, rows without a trusted value after them, then the folded row. */
  rows: string[];
  columns: string[];
  cells: PlacedCell[];
  /** Values folded into the last row (0: none). */
  folded: number;
  /** Cells greyed for too few rows. */
  small: number;
  minSupport: number;
}

const distinct = (cells: readonly HeatCell[], key: 'x' | 'y', order: 'xi' | 'yi') =>
  [...new Map(cells.map((c) => [c[key], c[order]])).entries()].sort((a, b) => a[1] - b[1]).map((e) => e[0]);

/**
 * Where each cell goes: the dimension with more values on the vertical axis (long lists read down, not
 * across), rows ordered by their worst trusted cell, at most `maxRows` rows. Cells with fewer rows than
 * the minimum support are "small": never coloured, never ranked.
 */
export function heatmapLayout(cells: readonly HeatCell[], o: HeatmapOptions): HeatmapLayout {
  const min = minSupportOf(o.minSupport);
  const xs = distinct(cells, 'x', 'xi');
  const ys = distinct(cells, 'y', 'yi');
  const rowsFrom = xs.length > ys.length ? 'x' : 'y';
  const rowOf = (c: HeatCell) => (rowsFrom === 'x' ? c.x : c.y);
  const columnOf = (c: HeatCell) => (rowsFrom === 'x' ? c.y : c.x);
  const natural = rowsFrom === 'x' ? xs : ys;
  const columns = rowsFrom === 'x' ? ys : xs;
  const worst = new Map<string, number>();
  for (const c of cells) {
    if (c.value === null || c.n < min) continue;
    const b = badness(c.value, o.better);
    const row = rowOf(c);
    if (!worst.has(row) || b > worst.get(row)!) worst.set(row, b);
  }
  const position = new Map(natural.map((r, i) => [r, i]));
  const ranked = natural.filter((r) => worst.has(r)).sort((a, b) => worst.get(b)! - worst.get(a)! || position.get(a)! - position.get(b)!);
  const unranked = natural.filter((r) => !worst.has(r));
  const ordered = [...ranked, ...unranked];
  const maxRows = Math.max(2, o.maxRows ?? MAX_HEATMAP_ROWS);
  const kept = ordered.length > maxRows ? ordered.slice(0, maxRows - 1) : ordered;
  const keptSet = new Set(kept);
  const folded = ordered.length - kept.length;
  const otherRow = `other (${folded} values)`;
  const placed: PlacedCell[] = [];
  const otherRows = new Map<string, number>();
  let small = 0;
  for (const c of cells) {
    const row = rowOf(c);
    const column = columnOf(c);
    if (!keptSet.has(row)) {
      otherRows.set(column, (otherRows.get(column) ?? 0) + c.n);
      continue;
    }
    const kind: PlacedKind = c.n < min ? 'small' : c.value === null ? 'undefined' : 'value';
    if (kind === 'small') small++;
    placed.push({ row, column, n: c.n, value: c.value, kind, ...(c.reason !== undefined ? { reason: c.reason } : {}) });
  }
  for (const column of columns)
    if (otherRows.has(column))
      placed.push({ row: otherRow, column, n: otherRows.get(column)!, value: null, kind: 'other', values: folded });
  return {
    rowsFrom,
    rowLabel: rowsFrom === 'x' ? o.xLabel : o.yLabel,
    columnLabel: rowsFrom === 'x' ? o.yLabel : o.xLabel,
    rows: folded ? [...kept, otherRow] : kept,
    columns,
    cells: placed,
    folded,
    small,
    minSupport: min,
  };
}

const cellText = (c: PlacedCell) => {
  if (c.kind === 'small') return `n=${formatCount(c.n)}`;
  if (c.kind === 'other') return formatCount(c.n);
  if (c.value === null) return '–';
  // Metrics between 0 and 1 differ in the third decimal (0.987 against 0.974): show it.
  return Math.abs(c.value) < 1 ? c.value.toFixed(3) : Math.abs(c.value) < 10 ? c.value.toFixed(2) : formatValue(c.value);
};

/** A metric over two dimensions, coloured by how bad each trusted cell is (darker: worse). */
export function heatmapChart(cells: readonly HeatCell[], o: HeatmapOptions): Plot.PlotOptions {
  const l = heatmapLayout(cells, o);
  const trusted = l.cells.filter((c) => c.kind === 'value');
  const range = extent(trusted.map((c) => c.value!)) ?? [0, 1];
  const bound = Math.max(Math.abs(range[0]), Math.abs(range[1])) || 1;
  const color: Plot.ScaleOptions =
    o.better === 'zero'
      ? {
          type: 'diverging',
          scheme: 'rdbu',
          domain: [-bound, bound],
          pivot: 0,
          legend: true,
          label: `${o.metricLabel} (darker: further from 0)`,
        }
      : { scheme: 'reds', reverse: o.better === 'higher', domain: range, legend: true, label: `${o.metricLabel} (darker: worse)` };
  const title = (c: PlacedCell) => {
    const where = `${l.rowLabel} ${c.row}, ${l.columnLabel} ${c.column}`;
    if (c.kind === 'other') return `${c.values} values of ${l.rowLabel} not shown: ${formatCount(c.n)} rows in ${c.column}`;
    if (c.kind === 'small')
      return `${where}\n${formatCount(c.n)} rows, fewer than ${formatCount(l.minSupport)}: too few to rank (${o.metricLabel} ${formatValue(c.value)})`;
    return `${where}\n${formatCount(c.n)} rows\n${o.metricLabel} ${c.value === null ? `undefined: ${c.reason ?? 'no value'}` : formatValue(c.value)}`;
  };
  const longest = Math.max(0, ...l.rows.map((r) => Math.min(truncateLabel(r).length, 24)));
  const rotate = l.columns.length > 8;
  const marginTop = rotate ? 70 : 40;
  return {
    width: o.width ?? 720,
    height: marginTop + 10 + 24 * l.rows.length,
    marginTop,
    marginBottom: 10,
    marginLeft: Math.min(180, 16 + 6.5 * longest),
    padding: 0.05,
    ariaLabel: `${o.metricLabel} by ${l.rowLabel} (rows, worst first) and ${l.columnLabel}`,
    caption: captionOf([
      `Rows: ${l.rowLabel}, worst first.`,
      l.folded ? `${l.folded} more values folded into the last row.` : null,
      supportCaption(l.minSupport, l.small, ['cell', 'cells'], { consequence: 'never coloured or ranked' }),
      l.cells.some((c) => c.kind === 'undefined') ? '–: undefined (why in the tooltip).' : null,
    ]),
    x: { type: 'band', domain: l.columns, axis: null },
    y: { type: 'band', domain: l.rows, axis: null },
    color,
    marks: [
      Plot.cell(trusted, { x: 'column', y: 'row', fill: 'value', title }),
      Plot.cell(
        l.cells.filter((c) => c.kind === 'small'),
        { x: 'column', y: 'row', fill: TOO_SMALL_FILL, title },
      ),
      Plot.cell(
        l.cells.filter((c) => c.kind === 'undefined'),
        { x: 'column', y: 'row', fill: '#f9fafb', stroke: '#e4e7ec', title },
      ),
      Plot.cell(
        l.cells.filter((c) => c.kind === 'other'),
        { x: 'column', y: 'row', fill: 'white', stroke: TOO_SMALL_FILL, strokeDasharray: '3,2', title },
      ),
      Plot.text(l.cells, {
        x: 'column',
        y: 'row',
        text: cellText,
        fill: (c: PlacedCell) => (c.kind === 'value' ? 'black' : '#475467'),
        stroke: 'white',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fontSize: 9,
      }),
      Plot.axisY({ tickFormat: (r: string) => truncateLabel(r), title: (r: string) => r, label: l.rowLabel, tickSize: 0 }),
      Plot.axisX({
        anchor: 'top',
        tickFormat: (c: string) => truncateLabel(c, rotate ? 16 : 12),
        title: (c: string) => c,
        label: l.columnLabel,
        tickSize: 0,
        ...(rotate ? { tickRotate: -40, textAnchor: 'start' } : {}),
      }),
    ],
  };
}

/** Every cell as text (folded rows included), in the chart's row order. */
export function heatmapTable(cells: readonly HeatCell[], o: HeatmapOptions): ChartTable {
  const l = heatmapLayout(cells, { ...o, maxRows: Infinity });
  const text = (c: PlacedCell) =>
    c.kind === 'small'
      ? `${formatValue(c.value)} (too few rows)`
      : c.value === null
        ? `undefined${c.reason ? `: ${c.reason}` : ''}`
        : formatValue(c.value);
  const rank = new Map(l.rows.map((r, i) => [r, i]));
  const col = new Map(l.columns.map((c, i) => [c, i]));
  const sorted = [...l.cells].sort((a, b) => rank.get(a.row)! - rank.get(b.row)! || col.get(a.column)! - col.get(b.column)!);
  return {
    caption: `${o.metricLabel} by ${l.rowLabel} and ${l.columnLabel}`,
    columns: [l.rowLabel, l.columnLabel, 'rows', o.metricLabel],
    numeric: [false, false, true, true],
    rows: sorted.map((c) => [c.row, c.column, formatCount(c.n), text(c)]),
  };
}
