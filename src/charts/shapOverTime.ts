import * as Plot from '@observablehq/plot';
import type { AttributionWindow } from '../lib/shap/views';
import { TOO_SMALL_BAND } from './colors';
import { formatCount, formatUtc } from './format';
import { captionOf, extent, minSupportOf, supportCaption } from './support';

export interface ShapOverTimeOptions {
  /** Indices of the features to draw and the names of all features. */
  features: readonly number[];
  featureNames: readonly string[];
  minSupport?: number;
  width?: number;
  height?: number;
}

/**
 * Mean |SHAP| per feature per time window. Windows with fewer explained rows than the minimum support
 * are grey bands: their lines break there and their values never set the y domain.
 */
export function shapOverTimeChart(windows: readonly AttributionWindow[], o: ShapOverTimeOptions): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  const small = windows.filter((w) => w.rows < min);
  const data = windows.flatMap((w) =>
    o.features.map((f) => ({
      time: new Date(w.start),
      feature: o.featureNames[f]!,
      // NaN breaks the feature's line at a window too small to trust.
      value: w.rows >= min ? w.importance[f]! : NaN,
      rows: w.rows,
    })),
  );
  const range = extent(data.map((d) => d.value));
  return {
    width: o.width ?? 900,
    height: o.height ?? 280,
    marginLeft: 60,
    ariaLabel: 'Mean absolute SHAP value per feature per time window',
    caption: captionOf([supportCaption(min, small.length, ['window', 'windows'], { rows: 'explained rows' })]),
    x: { type: 'utc', label: 'window start (UTC)', labelOffset: 40 },
    marginBottom: 45,
    y: { label: 'mean |SHAP| (margin)', grid: true, domain: [0, range ? range[1] : 1], nice: true },
    color: { legend: true, domain: o.features.map((f) => o.featureNames[f]!) },
    marks: [
      Plot.rect(small, {
        x1: (w: AttributionWindow) => new Date(w.start),
        x2: (w: AttributionWindow) => new Date(w.end),
        fill: TOO_SMALL_BAND,
        title: (w: AttributionWindow) => `${formatUtc(w.start)}: ${formatCount(w.rows)} explained rows, fewer than ${formatCount(min)}`,
      }),
      Plot.line(data, { x: 'time', y: 'value', stroke: 'feature' }),
      Plot.dot(data, {
        x: 'time',
        y: 'value',
        fill: 'feature',
        r: 2,
        title: (d: { feature: string; value: number; rows: number; time: Date }) =>
          `${formatUtc(d.time.getTime())}, ${d.feature}: ${d.value.toPrecision(3)} over ${formatCount(d.rows)} rows`,
      }),
    ],
  };
}
