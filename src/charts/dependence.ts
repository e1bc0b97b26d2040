import * as Plot from '@observablehq/plot';
import { CURRENT_COLOR, GUIDE_COLOR } from './colors';

export interface DependencePoint {
  /** The feature's value. */
  x: number;
  /** Its SHAP value. */
  y: number;
  /** The interaction partner's value (NaN: missing or no partner). */
  c: number;
}

/**
 * One feature's SHAP value against its value for every explained row (rows missing the feature are left
 * out), coloured by the partner feature it interacts with most.
 */
export function dependencePoints(
  X: Float64Array,
  shapOfFeature: ArrayLike<number>,
  rows: number,
  features: number,
  feature: number,
  partner: number,
): DependencePoint[] {
  return Array.from({ length: rows }, (_, r) => ({
    x: X[r * features + feature]!,
    y: shapOfFeature[r]!,
    c: partner >= 0 ? X[r * features + partner]! : NaN,
  })).filter((d) => !Number.isNaN(d.x));
}

export function dependenceChart(
  points: readonly DependencePoint[],
  o: { feature: string; partner: string | null; width?: number; height?: number },
): Plot.PlotOptions {
  return {
    width: o.width ?? 460,
    height: o.height ?? 300,
    ariaLabel: `SHAP value of ${o.feature} against its value`,
    caption: o.partner ? `Colour: ${o.partner} (grey: missing).` : undefined,
    x: { label: o.feature },
    y: { label: `SHAP value of ${o.feature} (margin)`, grid: true },
    color: o.partner ? { type: 'linear', scheme: 'RdBu', reverse: true, label: o.partner, legend: true, unknown: '#bbb' } : {},
    marks: [
      Plot.ruleY([0], { stroke: GUIDE_COLOR }),
      Plot.dot(points, {
        x: 'x',
        y: 'y',
        r: 1.8,
        fill: o.partner ? (d: DependencePoint) => (Number.isNaN(d.c) ? null : d.c) : CURRENT_COLOR,
      }),
    ],
  };
}
