import * as Plot from '@observablehq/plot';
import type { OpsStats } from '../lib/ops/health';
import type { WindowUnit } from '../lib/metrics/time';
import { CURRENT_COLOR, DRIFT_COLOR, GUIDE_COLOR } from './colors';
import { formatCount, formatPercent, formatUtc, formatValue } from './format';

type Window = { start: number } & OpsStats;
const PERCENTILES = [
  ['latency_p50', 'p50'],
  ['latency_p95', 'p95'],
  ['latency_p99', 'p99'],
] as const;

/** One row per window and percentile, for a line per percentile; windows without latencies are left out. */
export function latencyRows(windows: readonly Window[]): { at: Date; percentile: string; value: number; count: number }[] {
  return windows.flatMap((w) =>
    PERCENTILES.filter(([k]) => w[k] !== null).map(([k, p]) => ({
      at: new Date(w.start),
      percentile: p,
      value: w[k]!,
      count: w.latencyCount,
    })),
  );
}

export interface OpsChartOptions {
  unit: WindowUnit;
  /** The reference period's value: a dashed baseline. */
  baseline?: number | null;
  width?: number;
  height?: number;
}

/**
 * Latency percentiles per window (log scale: one outlier of a million seconds must not flatten the rest),
 * with the reference's p95 as a dashed baseline.
 */
export function latencyOverTimeChart(windows: readonly Window[], o: OpsChartOptions): Plot.PlotOptions {
  const rows = latencyRows(windows);
  const positive = rows.every((r) => r.value > 0) && (o.baseline ?? 1) > 0;
  return {
    width: o.width ?? 720,
    height: o.height ?? 240,
    marginLeft: 60,
    ariaLabel: `Latency percentiles per ${o.unit}`,
    caption: o.baseline != null ? `Dashed grey: the reference's p95, ${formatValue(o.baseline)}.` : undefined,
    x: { type: 'utc', label: `${o.unit} (UTC)` },
    y: { label: 'latency', grid: true, type: positive ? 'log' : 'linear' },
    color: { legend: true, domain: ['p50', 'p95', 'p99'], range: ['#98a2b3', CURRENT_COLOR, DRIFT_COLOR] },
    marks: [
      ...(o.baseline != null ? [Plot.ruleY([o.baseline], { stroke: GUIDE_COLOR, strokeDasharray: '4,3' })] : []),
      Plot.line(rows, { x: 'at', y: 'value', stroke: 'percentile' }),
      Plot.dot(rows, {
        x: 'at',
        y: 'value',
        fill: 'percentile',
        r: 2,
        title: (r: (typeof rows)[number]) =>
          `${o.unit} from ${formatUtc(r.at.getTime(), o.unit === 'hour')}: ${r.percentile} ${formatValue(r.value)} over ${formatCount(r.count)} requests`,
      }),
    ],
  };
}

/** The error rate per window (windows without a status are left out), with the reference's rate dashed. */
export function errorRateOverTimeChart(windows: readonly Window[], o: OpsChartOptions): Plot.PlotOptions {
  const rows = windows.filter((w) => w.error_rate !== null);
  return {
    width: o.width ?? 720,
    height: o.height ?? 180,
    marginLeft: 60,
    ariaLabel: `Error rate per ${o.unit}`,
    caption: o.baseline != null ? `Dashed grey: the reference's error rate, ${formatPercent(o.baseline)}.` : undefined,
    x: { type: 'utc', label: `${o.unit} (UTC)` },
    y: { label: 'error rate', grid: true, tickFormat: '%' },
    marks: [
      ...(o.baseline != null ? [Plot.ruleY([o.baseline], { stroke: GUIDE_COLOR, strokeDasharray: '4,3' })] : []),
      Plot.line(rows, { x: (w: Window) => new Date(w.start), y: 'error_rate', stroke: DRIFT_COLOR }),
      Plot.dot(rows, {
        x: (w: Window) => new Date(w.start),
        y: 'error_rate',
        r: 2,
        fill: DRIFT_COLOR,
        title: (w: Window) =>
          `${o.unit} from ${formatUtc(w.start, o.unit === 'hour')}: ${formatPercent(w.error_rate!)} of ${formatCount(w.statusCount)} requests failed`,
      }),
    ],
  };
}
