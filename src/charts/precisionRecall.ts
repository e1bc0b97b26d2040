import * as Plot from '@observablehq/plot';
import type { CurvePoint } from '../lib/metrics/curves';

/** Precision against recall, as a step curve on the unit square. */
export function precisionRecallChart(points: readonly CurvePoint[], o: { width?: number; height?: number } = {}): Plot.PlotOptions {
  return {
    width: o.width ?? 260,
    height: o.height ?? 240,
    ariaLabel: 'Precision-recall curve',
    x: { label: 'Recall', domain: [0, 1] },
    y: { label: 'Precision', domain: [0, 1], grid: true },
    marks: [Plot.line(points, { x: 'x', y: 'y', stroke: '#1d4ed8', curve: 'step-before' })],
  };
}
