import * as Plot from '@observablehq/plot';
import type { CurvePoint } from '../lib/metrics/curves';
import { CURRENT_COLOR, GUIDE_COLOR } from './colors';

const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/** ROC curve on the unit square, with chance as the diagonal. */
export function rocChart(points: readonly CurvePoint[], o: { width?: number; height?: number } = {}): Plot.PlotOptions {
  return {
    width: o.width ?? 260,
    height: o.height ?? 240,
    ariaLabel: 'ROC curve',
    x: { label: 'False positive rate', domain: [0, 1] },
    y: { label: 'True positive rate', domain: [0, 1], grid: true },
    marks: [
      Plot.line(DIAGONAL, { x: 'x', y: 'y', stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
      Plot.line(points, { x: 'x', y: 'y', stroke: CURRENT_COLOR }),
    ],
  };
}
