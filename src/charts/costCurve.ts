import * as Plot from '@observablehq/plot';
import type { CostCurvePoint } from '../lib/metrics/costs';
import { CURRENT_COLOR, GUIDE_COLOR, OK_COLOR } from './colors';
import { formatValue } from './format';

export interface CostCurveOptions {
  threshold: number;
  /** The cost-optimal threshold, marked with a dot. */
  best: CostCurvePoint | null;
  width?: number;
  height?: number;
}

/**
 * The expected cost per prediction at every distinct score taken as the threshold, the current threshold
 * as a dashed rule and the cost-optimal threshold as a dot: where moving the threshold pays.
 */
export function costCurveChart(curve: readonly CostCurvePoint[], o: CostCurveOptions): Plot.PlotOptions {
  return {
    width: o.width ?? 480,
    height: o.height ?? 240,
    marginLeft: 60,
    ariaLabel: 'Expected cost per prediction by threshold',
    caption: o.best ? `Dot: the least cost, ${formatValue(o.best.perPrediction)} at threshold ${o.best.threshold}.` : undefined,
    x: { label: 'Threshold', domain: [0, 1] },
    y: { label: 'Cost per prediction', grid: true },
    marks: [
      Plot.line(curve, { x: 'threshold', y: 'perPrediction', stroke: CURRENT_COLOR, curve: 'step-after' }),
      Plot.ruleX([o.threshold], { stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
      ...(o.best
        ? [
            Plot.dot([o.best], {
              x: 'threshold',
              y: 'perPrediction',
              r: 5,
              fill: OK_COLOR,
              title: (p: CostCurvePoint) => `least cost ${formatValue(p.perPrediction)} at threshold ${p.threshold}`,
            }),
          ]
        : []),
    ],
  };
}
