import * as Plot from '@observablehq/plot';
import type { ScoreDistributions, WindowComparison } from '../lib/versions/types';
import { DRIFT_COLOR, REFERENCE_COLOR, CURRENT_COLOR, TOO_SMALL_FILL } from './colors';
import { formatPercent } from './format';
import type { ChartTable } from './table';

/** The champion in the reference grey, the challenger in the current amber: the same pair as every side-by-side chart. */
const versionColors = (names: [string, string]) => ({ domain: names, range: [REFERENCE_COLOR, CURRENT_COLOR], legend: true });

interface BinRow {
  version: string;
  x1: number;
  x2: number;
  share: number;
}

/**
 * Both versions' outputs side by side, never stacked: each bin split in two halves (champion left,
 * challenger right), heights the share of each version's own rows (each version sums to 100%).
 */
export function versionScoresChart(d: ScoreDistributions, o: { names: [string, string]; label: string; width?: number }): Plot.PlotOptions {
  const rows: BinRow[] = d.bins.flatMap((b) => {
    const mid = (b.lo + b.hi) / 2;
    return [
      { version: o.names[0], x1: b.lo, x2: mid, share: b.shares[o.names[0]] ?? 0 },
      { version: o.names[1], x1: mid, x2: b.hi, share: b.shares[o.names[1]] ?? 0 },
    ];
  });
  return {
    width: o.width ?? 560,
    height: 220,
    ariaLabel: `${o.label} of ${o.names[0]} and ${o.names[1]}, side by side, as shares of each version's rows`,
    x: { label: o.label },
    y: { label: 'share of rows', tickFormat: (v: number) => formatPercent(v), grid: true },
    color: versionColors(o.names),
    marks: [
      Plot.rectY(rows, {
        x1: 'x1',
        x2: 'x2',
        y1: 0,
        y2: 'share',
        fill: 'version',
        title: (r: BinRow) => `${r.version}: ${formatPercent(r.share)}`,
      }),
      Plot.ruleY([0]),
    ],
  };
}

interface WindowPoint {
  version: string;
  date: Date;
  value: number | null;
  n: number;
  small: boolean;
}

/**
 * Each version's metric per window (lines), with the windows where the challenger is significantly worse
 * marked in red; windows where a version has fewer than `minSupport` rows are grey dots and set no scale.
 */
export function versionWindowsChart(
  windows: WindowComparison[],
  o: { names: [string, string]; metric: 'roc_auc' | 'accuracy' | 'mae'; minSupport: number; width?: number },
): Plot.PlotOptions {
  const points: WindowPoint[] = windows.flatMap((w) =>
    o.names.map((version) => {
      const v = w.versions[version];
      const value = (v?.[o.metric] ?? null) as number | null;
      return { version, date: new Date(w.start), value, n: v?.n ?? 0, small: (v?.n ?? 0) < o.minSupport };
    }),
  );
  const ok = points.filter((p) => p.value !== null && !p.small);
  const worse = windows.filter((w) => w.worse).map((w) => new Date(w.start));
  return {
    width: o.width ?? 640,
    height: 240,
    ariaLabel: `${o.metric} of ${o.names.join(' and ')} per window; red marks windows where ${o.names[1]} is significantly worse`,
    x: { type: 'utc', label: 'window start' },
    y: { label: o.metric, grid: true, domain: ok.length ? undefined : [0, 1] },
    color: versionColors(o.names),
    marks: [
      Plot.ruleX(worse, { stroke: DRIFT_COLOR, strokeWidth: 6, strokeOpacity: 0.25 }),
      Plot.lineY(ok, { x: 'date', y: 'value', stroke: 'version', marker: 'dot' }),
      Plot.dot(
        points.filter((p) => p.value !== null && p.small),
        { x: 'date', y: 'value', fill: TOO_SMALL_FILL, title: (p: WindowPoint) => `${p.version}: ${p.n} rows (too few)` },
      ),
    ],
  };
}

/** The challenger's share of traffic per window (split logs: a canary's ramp). */
export function trafficShareChart(windows: WindowComparison[], o: { challenger: string; width?: number }): Plot.PlotOptions {
  const rows = windows.map((w) => ({ date: new Date(w.start), share: w.share?.[o.challenger] ?? 0 }));
  return {
    width: o.width ?? 640,
    height: 160,
    ariaLabel: `Share of rows ${o.challenger} served per window`,
    x: { type: 'utc', label: 'window start' },
    y: { label: `${o.challenger}'s share`, domain: [0, 1], tickFormat: (v: number) => formatPercent(v), grid: true },
    marks: [
      Plot.areaY(rows, { x: 'date', y1: 0, y2: 'share', fill: CURRENT_COLOR, fillOpacity: 0.3 }),
      Plot.lineY(rows, { x: 'date', y: 'share', stroke: CURRENT_COLOR }),
    ],
  };
}

/** The windows' numbers as text (the chart's alternative). */
export function versionWindowsTable(windows: WindowComparison[], names: [string, string], metric: string): ChartTable {
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(4));
  return {
    caption: `${metric} per window`,
    columns: ['window', ...names.map((n) => `${n} n`), ...names, 'p', 'q', 'worse'],
    numeric: [false, true, true, true, true, true, true, false],
    rows: windows.map((w) => [
      w.start.slice(0, 10),
      ...names.map((n) => String(w.versions[n]?.n ?? 0)),
      ...names.map((n) => f(w.versions[n]?.[metric as 'accuracy'] as number | null)),
      f(w.primary.p_value),
      f(w.primary.q_value),
      w.worse ? 'yes' : '',
    ]),
  };
}
