import * as Plot from '@observablehq/plot';
import { windowEnd } from '../lib/findings/windows';
import type { CbpeWindow } from '../lib/metrics/cbpe';
import type { MetricValue } from '../lib/metrics/value';
import type { WindowMetrics } from '../lib/metrics/windows';
import type { WindowUnit } from '../lib/metrics/time';
import { CURRENT_COLOR, GUIDE_COLOR, TOO_SMALL_BAND, TOO_SMALL_FILL } from './colors';
import { formatCount, formatUtc, formatValue } from './format';
import { captionOf, extent, minSupportOf, supportCaption } from './support';

/** Metrics CBPE can estimate from scores alone. */
export const CBPE_METRICS = new Set(['accuracy', 'precision', 'recall', 'f1', 'specificity', 'roc_auc']);

export interface MetricWindow {
  start: number;
  end: number;
  predictions: number;
  labelled: number;
  /** The realised metric (labelled rows), null when undefined or unlabelled. */
  value: number | null;
  /** CBPE's estimate without labels, null when not available. */
  estimated: number | null;
}

const numberOf = (m: MetricValue | undefined) => (m && m.defined ? m.value : null);

/** One row per window: counts, the realised metric and the CBPE estimate (when the metric has one). */
export function metricWindows(
  over: { unit: WindowUnit; windows: readonly WindowMetrics[]; cbpe: readonly CbpeWindow[] | null },
  metric: string,
): MetricWindow[] {
  const cbpe = new Map((over.cbpe ?? []).map((w) => [w.start, w]));
  return over.windows.map((w) => {
    const est = cbpe.get(w.start)?.estimated as unknown as Record<string, MetricValue> | undefined;
    return {
      start: w.start,
      end: windowEnd(w.start, over.unit),
      predictions: w.predictions,
      labelled: w.labelled,
      value: numberOf((w.metrics as unknown as Record<string, MetricValue> | undefined)?.[metric]),
      estimated: CBPE_METRICS.has(metric) && est ? numberOf(est[metric]) : null,
    };
  });
}

export interface MetricOverTimeOptions {
  /** The metric's name as people read it (axis label). */
  metricLabel: string;
  unit: WindowUnit;
  /** The metric on the reference data: a dashed baseline. */
  baseline?: number | null;
  minSupport?: number;
  width?: number;
  height?: number;
}

const at = (w: MetricWindow) => new Date(w.start);

/**
 * A metric per window (realised where labels exist, CBPE's estimate dashed) against the reference
 * baseline. A window whose metric rests on fewer labelled rows than the minimum support is a grey band:
 * its value is not drawn to scale and never sets the y domain. An estimate needs as many predictions.
 */
export function metricOverTimeChart(windows: readonly MetricWindow[], o: MetricOverTimeOptions): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  const realised = windows.filter((w) => w.value !== null && w.labelled >= min);
  const estimated = windows.filter((w) => w.estimated !== null && w.predictions >= min);
  const small = windows.filter((w) => w.labelled < min);
  const baseline = o.baseline ?? null;
  const range = extent([...realised.map((w) => w.value!), ...estimated.map((w) => w.estimated!), ...(baseline !== null ? [baseline] : [])]);
  const inside = (v: number) => range !== null && v >= range[0] && v <= range[1];
  const when = (w: MetricWindow) => `${o.unit} from ${formatUtc(w.start, o.unit === 'hour')}`;
  return {
    width: o.width ?? 720,
    height: o.height ?? 220,
    marginLeft: 60,
    ariaLabel: `${o.metricLabel} per ${o.unit}`,
    caption: captionOf([
      baseline !== null ? `Dashed grey: the reference's ${formatValue(baseline)}.` : null,
      estimated.length ? 'Dashed blue: estimated without labels (CBPE).' : null,
      supportCaption(min, small.length, [o.unit, `${o.unit}s`], { rows: 'labelled rows' }),
    ]),
    x: { type: 'utc', label: `${o.unit} (UTC)`, labelOffset: 40 },
    marginBottom: 45,
    y: { label: o.metricLabel, grid: true, ...(range ? { domain: range, nice: true } : {}) },
    marks: [
      Plot.rect(small, {
        x1: at,
        x2: (w: MetricWindow) => new Date(w.end),
        fill: TOO_SMALL_BAND,
        title: (w: MetricWindow) =>
          `${when(w)}: ${formatCount(w.labelled)} labelled rows, fewer than ${formatCount(min)}; ${o.metricLabel} ${formatValue(w.value)} not drawn to scale`,
      }),
      ...(baseline !== null ? [Plot.ruleY([baseline], { stroke: '#888', strokeDasharray: '4,3' })] : []),
      Plot.line(realised, { x: at, y: 'value', stroke: CURRENT_COLOR, marker: 'dot' }),
      Plot.line(estimated, { x: at, y: 'estimated', stroke: '#1d4ed8', strokeDasharray: '5,3' }),
      Plot.dot(
        small.filter((w) => w.value !== null && inside(w.value)),
        { x: at, y: 'value', r: 3, stroke: TOO_SMALL_FILL, fill: 'white' },
      ),
      Plot.dot(realised, {
        x: at,
        y: 'value',
        r: 6,
        fill: 'transparent',
        title: (w: MetricWindow) => `${when(w)}: ${o.metricLabel} ${formatValue(w.value)} over ${formatCount(w.labelled)} labelled rows`,
      }),
    ],
  };
}

export interface LabelCountOptions {
  unit: WindowUnit;
  minSupport?: number;
  width?: number;
  height?: number;
}

/**
 * Predictions (grey) and the labelled ones among them (amber) per window, overlaid from 0: labelled rows
 * are a subset of predictions, never stacked on them. The dashed line is the minimum support a window's
 * labelled rows must reach before its metric is drawn to scale.
 */
export function labelCountChart(windows: readonly MetricWindow[], o: LabelCountOptions): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  return {
    width: o.width ?? 720,
    height: o.height ?? 130,
    marginLeft: 60,
    ariaLabel: `Predictions and labels per ${o.unit}`,
    caption: `Grey: predictions; amber: labelled. Dashed: ${formatCount(min)} labelled rows, the fewest a ${o.unit} needs to be drawn to scale.`,
    x: { type: 'utc', label: `${o.unit} (UTC)`, labelOffset: 40 },
    marginBottom: 45,
    y: { label: 'rows', grid: true, domain: [0, Math.max(min, ...windows.map((w) => w.predictions))], nice: true },
    marks: [
      Plot.rectY(windows, {
        x1: at,
        x2: (w: MetricWindow) => new Date(w.end),
        y1: 0,
        y2: 'predictions',
        fill: '#e5e7eb',
        insetLeft: 0.5,
        insetRight: 0.5,
      }),
      Plot.rectY(windows, {
        x1: at,
        x2: (w: MetricWindow) => new Date(w.end),
        y1: 0,
        y2: 'labelled',
        fill: CURRENT_COLOR,
        insetLeft: 0.5,
        insetRight: 0.5,
        title: (w: MetricWindow) =>
          `${formatUtc(w.start, o.unit === 'hour')}: ${formatCount(w.predictions)} predictions, ${formatCount(w.labelled)} labelled`,
      }),
      Plot.ruleY([min], { stroke: GUIDE_COLOR, strokeDasharray: '4,3' }),
      Plot.ruleY([0]),
    ],
  };
}
