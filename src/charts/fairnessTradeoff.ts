import * as Plot from '@observablehq/plot';
import type { FairnessSweepPoint } from '../lib/validation/fairness';
import { GUIDE_COLOR } from './colors';

const SERIES = [
  ['demographic_parity_difference', 'Demographic parity difference'],
  ['equalized_odds_difference', 'Equalized odds difference'],
  ['accuracy', 'Accuracy'],
] as const;

export function tradeoffRows(sweep: readonly FairnessSweepPoint[]): { threshold: number; series: string; value: number }[] {
  return sweep.flatMap((p) =>
    SERIES.filter(([k]) => p[k] !== null).map(([k, name]) => ({ threshold: p.threshold, series: name, value: p[k] as number })),
  );
}

/** Fairness differences and accuracy as the threshold moves, with the current threshold as a dashed line. */
export function fairnessTradeoffChart(
  sweep: readonly FairnessSweepPoint[],
  o: { threshold: number; width?: number; height?: number },
): Plot.PlotOptions {
  return {
    width: o.width ?? 480,
    height: o.height ?? 240,
    ariaLabel: 'Fairness differences and accuracy by threshold',
    x: { label: 'Threshold', domain: [0, 1] },
    y: { label: 'Value', domain: [0, 1], grid: true },
    color: { legend: true, domain: SERIES.map(([, name]) => name) },
    marks: [
      Plot.line(tradeoffRows(sweep), { x: 'threshold', y: 'value', stroke: 'series' }),
      Plot.ruleX([o.threshold], { stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
    ],
  };
}
