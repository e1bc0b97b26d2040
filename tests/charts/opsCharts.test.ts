import type * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { costCurveChart } from '../../src/charts/costCurve';
import { errorRateOverTimeChart, latencyOverTimeChart, latencyRows } from '../../src/charts/opsOverTime';
import { resultChart, resultChartTable } from '../../src/charts/queryResult';
import type { OpsStats } from '../../src/lib/ops/health';
import { DAY, T0 } from './data';
import { marks, render, serialize } from './render';

const stats = (i: number, over: Partial<OpsStats> = {}): { start: number } & OpsStats => ({
  start: T0 + i * DAY,
  count: 100 + i,
  latencyCount: 100,
  latency_p50: 80 + i,
  latency_p95: 150 + 3 * i,
  latency_p99: 300 + 10 * i,
  statusCount: 100,
  errors: i % 3,
  error_rate: (i % 3) / 100,
  ...over,
});
const windows = [
  ...Array.from({ length: 10 }, (_, i) => stats(i)),
  stats(10, { latencyCount: 0, latency_p50: null, latency_p95: null, latency_p99: null }),
];
const curve = Array.from({ length: 21 }, (_, i) => ({ threshold: i / 20, perPrediction: 4 + (i / 20 - 0.3) ** 2 * 20 }));

// Same data, same SVG: the committed drawings of the cost curve, the ops charts and the console's charts.
const charts: Record<string, () => Plot.PlotOptions> = {
  'cost-curve': () => costCurveChart(curve, { threshold: 0.5, best: curve[6]! }),
  'ops-latency': () => latencyOverTimeChart(windows, { unit: 'day', baseline: 158 }),
  'ops-error-rate': () => errorRateOverTimeChart(windows, { unit: 'day', baseline: 0.008 }),
  'console-bar': () =>
    resultChart({
      kind: 'bar',
      x: 'model_version',
      y: 'n',
      bars: [
        { x: 'v1', value: 6441 },
        { x: 'v2', value: 3562 },
      ],
      more: 0,
    }),
  'console-histogram': () =>
    resultChart({
      kind: 'histogram',
      x: 'latency_ms',
      temporal: false,
      bins: Array.from({ length: 5 }, (_, i) => ({ x0: i * 10, x1: (i + 1) * 10, count: 5 - i })),
    }),
  'console-line': () =>
    resultChart({
      kind: 'line',
      x: 'day',
      y: 'n',
      temporal: true,
      sampled: false,
      points: Array.from({ length: 7 }, (_, i) => ({ x: T0 + i * DAY, y: 10 + i })),
    }),
};

describe('cost, operations and console charts', () => {
  for (const [name, build] of Object.entries(charts))
    it(`draws ${name} as committed`, async () => {
      await expect(serialize(render(build()))).toMatchFileSnapshot(`./__snapshots__/${name}.html`);
    });

  it('leave out a window without latencies rather than draw it at 0', () => {
    const rows = latencyRows(windows);
    expect(rows).toHaveLength(30);
    expect(rows.every((r) => r.value > 0)).toBe(true);
    // Log scale: an outlier of a million seconds must not flatten the rest.
    expect(render(latencyOverTimeChart(windows, { unit: 'day' })).scale('y')!.type).toBe('log');
  });

  it('bars of a console result start at 0 and are not stacked; the table says the same', () => {
    const data = {
      kind: 'bar' as const,
      x: 'v',
      y: null,
      bars: [
        { x: 'a', value: 3 },
        { x: 'b', value: 3 },
      ],
      more: 2,
    };
    const chart = render(resultChart(data));
    const zero = chart.scale('x')!.apply(0);
    const bars = marks(chart, 'bar')[0]!.querySelectorAll('rect');
    expect(bars).toHaveLength(2);
    for (const b of bars) expect(Number(b.getAttribute('x'))).toBeCloseTo(zero, 6);
    expect(resultChartTable(data).caption).toBe('Rows by v (largest 2; 2 more not drawn)');
  });
});
