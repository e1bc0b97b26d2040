import * as Plot from '@observablehq/plot';
import type { WaterfallStep } from '../lib/shap/views';
import { GUIDE_COLOR } from './colors';
import { truncateLabel } from './labels';

/**
 * One row's SHAP values as steps from the base value to its margin, the largest first; red raises the
 * margin, blue lowers it. "feature = value" labels are truncated with the full text in the tooltip.
 */
export function waterfallChart(steps: readonly WaterfallStep[], o: { base: number; width?: number }): Plot.PlotOptions {
  const labels = steps.map((s) => s.label);
  return {
    width: o.width ?? 460,
    height: 60 + steps.length * 24,
    marginLeft: 200,
    ariaLabel: 'Waterfall of SHAP values from the base value to the margin',
    caption: `Dashed: the base value. Red raises the margin, blue lowers it.`,
    x: { label: 'margin', grid: true },
    y: { domain: labels, label: null, axis: null },
    marks: [
      Plot.ruleX([o.base], { stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
      Plot.barX(steps, {
        y: 'label',
        x1: 'from',
        x2: 'to',
        fill: (s: WaterfallStep) => (s.value >= 0 ? '#b42318' : '#175cd3'),
        title: (s: WaterfallStep) => `${s.label}: ${s.value >= 0 ? '+' : ''}${s.value.toPrecision(4)}`,
      }),
      Plot.axisY({ tickFormat: (l: string) => truncateLabel(l, 30), title: (l: string) => l, label: null }),
    ],
  };
}
