import * as Plot from '@observablehq/plot';
import type { SweepPoint } from '../lib/metrics/curves';
import { GUIDE_COLOR } from './colors';

const METRICS = ['precision', 'recall', 'f1'] as const;

export function sweepRows(sweep: readonly SweepPoint[]): { threshold: number; metric: string; value: number }[] {
  return sweep.flatMap((p) =>
    METRICS.filter((k) => p[k] !== null).map((k) => ({ threshold: p.threshold, metric: k, value: p[k] as number })),
  );
}

/** Precision, recall and F1 as the threshold moves, with the current threshold as a dashed line. */
export function thresholdSweepChart(
  sweep: readonly SweepPoint[],
  o: { threshold: number; width?: number; height?: number },
): Plot.PlotOptions {
  return {
    width: o.width ?? 320,
    height: o.height ?? 240,
    ariaLabel: 'Precision, recall and F1 by threshold',
    x: { label: 'Threshold' },
    y: { label: 'Value', domain: [0, 1], grid: true },
    color: { legend: true, domain: [...METRICS] },
    marks: [
      Plot.line(sweepRows(sweep), { x: 'threshold', y: 'value', stroke: 'metric' }),
      Plot.ruleX([o.threshold], { stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
    ],
  };
}
