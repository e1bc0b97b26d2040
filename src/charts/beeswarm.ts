import * as Plot from '@observablehq/plot';
import type { BeeswarmPoint } from '../lib/shap/views';
import { GUIDE_COLOR } from './colors';
import { truncateLabel } from './labels';

/** Park-Miller steps from a fixed seed: the same jitter, hence the same picture, on every render. */
function seededJitter(seed = 1): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.7;
}

/**
 * SHAP value of each explained row per feature (one band per feature, most important on top), coloured
 * by the feature's value from low (blue) to high (red); missing values grey.
 */
export function beeswarmChart(points: readonly BeeswarmPoint[], o: { width?: number } = {}): Plot.PlotOptions {
  const features = [...new Set(points.map((p) => p.feature))];
  const jitter = seededJitter();
  const index = new Map(features.map((f, i) => [f, i]));
  const data = points.map((p) => ({ ...p, y: index.get(p.feature)! + jitter(), missing: Number.isNaN(p.colour) }));
  return {
    width: o.width ?? 460,
    height: 60 + features.length * 30,
    marginLeft: 160,
    ariaLabel: 'SHAP value of each row per feature, coloured by the feature value',
    caption: 'Grey: missing value.',
    x: { label: 'SHAP value (margin)', grid: true },
    y: { label: null, domain: [features.length - 0.5, -0.5], axis: null },
    color: { type: 'linear', scheme: 'RdBu', reverse: true, domain: [0, 1], label: 'feature value (low → high)', legend: true },
    marks: [
      Plot.ruleX([0], { stroke: GUIDE_COLOR }),
      Plot.dot(
        data.filter((d) => d.missing),
        { x: 'shap', y: 'y', r: 1.6, fill: '#bbb' },
      ),
      Plot.dot(
        data.filter((d) => !d.missing),
        { x: 'shap', y: 'y', r: 1.6, fill: 'colour' },
      ),
      Plot.axisY(
        features.map((_, i) => i),
        { tickFormat: (i: number) => truncateLabel(features[i] ?? ''), title: (i: number) => features[i] ?? '', label: null },
      ),
    ],
  };
}
