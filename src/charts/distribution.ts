import * as Plot from '@observablehq/plot';
import type { Distribution } from '../lib/drift/columnDrift';
import { SIDE_COLORS } from './colors';
import { formatCount, formatPercent } from './format';
import { truncateLabel } from './labels';
import type { ChartTable } from './table';

export type Side = 'reference' | 'current';

export interface ShareRow {
  i: number;
  label: string;
  x0: number | null;
  x1: number | null;
  side: Side;
  /** This side's rows in the bin over this side's rows in all bins: each side sums to 1. */
  share: number;
  count: number;
}

/** Shares per bin for both sides, each side over its own total, the rows every distribution chart draws. */
export function shareRows(d: Distribution): ShareRow[] {
  const total = (xs: number[]) => xs.reduce((s, v) => s + v, 0) || 1;
  const nr = total(d.ref);
  const nc = total(d.cur);
  const rows: ShareRow[] = [];
  d.labels.forEach((label, i) => {
    const x0 = d.edges ? d.edges[i]! : null;
    const x1 = d.edges ? d.edges[i + 1]! : null;
    rows.push({ i, label, x0, x1, side: 'reference', share: d.ref[i]! / nr, count: d.ref[i]! });
    rows.push({ i, label, x0, x1, side: 'current', share: d.cur[i]! / nc, count: d.cur[i]! });
  });
  return rows;
}

/** At most this many categories get a bar of their own; the rest share one "other" bar per side. */
export const MAX_CATEGORIES = 20;

/**
 * Categories, the largest first (by the larger of the two shares), with the ones past `max` folded into
 * one "other (k values)" category per side, so each side still sums to 100%.
 */
export function foldCategories(d: Distribution, max = MAX_CATEGORIES): Distribution {
  if (d.edges !== null || d.labels.length <= max) return d;
  const nr = d.ref.reduce((s, v) => s + v, 0) || 1;
  const nc = d.cur.reduce((s, v) => s + v, 0) || 1;
  const order = d.labels
    .map((_, i) => i)
    .sort((a, b) => Math.max(d.ref[b]! / nr, d.cur[b]! / nc) - Math.max(d.ref[a]! / nr, d.cur[a]! / nc) || a - b);
  const kept = order.slice(0, max - 1);
  const rest = order.slice(max - 1);
  const sum = (xs: number[]) => rest.reduce((s, i) => s + xs[i]!, 0);
  return {
    edges: null,
    labels: [...kept.map((i) => d.labels[i]!), `other (${rest.length} values)`],
    ref: [...kept.map((i) => d.ref[i]!), sum(d.ref)],
    cur: [...kept.map((i) => d.cur[i]!), sum(d.cur)],
  };
}

export interface DistributionOptions {
  /** The column's name: axis label and accessible name. */
  label: string;
  width?: number;
  maxCategories?: number;
}

const title = (r: ShareRow) => `${r.label}\n${r.side}: ${formatPercent(r.share)} of its rows (${formatCount(r.count)})`;

/**
 * Reference and current distributions side by side, never stacked: numerical bins split in two halves
 * (reference left, current right) on the value axis; categories as pairs of horizontal bars, one row per
 * category, the longest labels truncated with the full text in the tooltip. Heights are shares of each
 * side's own rows, so each side sums to 100%.
 */
export function distributionChart(d: Distribution, o: DistributionOptions): Plot.PlotOptions {
  const width = o.width ?? 640;
  const ariaLabel = `Reference and current distributions of ${o.label}, side by side, as shares of each side's rows`;
  const color = { ...SIDE_COLORS, legend: true };
  if (d.edges !== null) {
    const rows = shareRows(d).map((r) => {
      const mid = (r.x0! + r.x1!) / 2;
      return r.side === 'reference' ? { ...r, left: r.x0!, right: mid } : { ...r, left: mid, right: r.x1! };
    });
    return {
      width,
      height: 240,
      marginLeft: 50,
      ariaLabel,
      color,
      x: { label: o.label },
      y: {
        label: 'share of rows (each side sums to 100%)',
        grid: true,
        tickFormat: '.0%',
        domain: [0, Math.max(0, ...rows.map((r) => r.share))],
        nice: true,
      },
      marks: [
        // A gap between bins, none inside a pair: the two halves of a bin read as one group.
        Plot.rectY(
          rows.filter((r) => r.side === 'reference'),
          { x1: 'left', x2: 'right', y1: 0, y2: 'share', fill: 'side', insetLeft: 1.5, title },
        ),
        Plot.rectY(
          rows.filter((r) => r.side === 'current'),
          { x1: 'left', x2: 'right', y1: 0, y2: 'share', fill: 'side', insetRight: 1.5, title },
        ),
        Plot.ruleY([0]),
      ],
    };
  }
  const folded = foldCategories(d, o.maxCategories ?? MAX_CATEGORIES);
  const rows = shareRows(folded);
  const categories = folded.labels;
  return {
    width,
    height: 50 + categories.length * 30,
    marginLeft: 170,
    ariaLabel,
    color,
    x: {
      label: 'share of rows (each side sums to 100%)',
      grid: true,
      tickFormat: '.0%',
      domain: [0, Math.max(0, ...rows.map((r) => r.share))],
      nice: true,
    },
    y: { domain: ['reference', 'current'], axis: null },
    fy: { domain: categories, label: o.label },
    marks: [
      Plot.barX(rows, { fy: 'label', y: 'side', x1: 0, x2: 'share', fill: 'side', title }),
      Plot.axisFy({ tickFormat: (l: string) => truncateLabel(l), title: (l: string) => l, anchor: 'left', label: o.label }),
      Plot.ruleX([0]),
    ],
  };
}

/** The distributions' numbers as text: each bin's share and rows on both sides. */
export function distributionTable(d: Distribution, label: string): ChartTable {
  const rows = shareRows(d);
  return {
    caption: `Share of rows per ${d.edges ? 'bin' : 'value'} of ${label}`,
    columns: [d.edges ? 'bin' : 'value', 'reference', 'current'],
    numeric: [false, true, true],
    rows: d.labels.map((l, i) => {
      const r = rows[2 * i]!;
      const c = rows[2 * i + 1]!;
      return [l, `${formatPercent(r.share)} (${formatCount(r.count)})`, `${formatPercent(c.share)} (${formatCount(c.count)})`];
    }),
  };
}
