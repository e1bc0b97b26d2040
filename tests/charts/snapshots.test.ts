import type * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { beeswarmChart } from '../../src/charts/beeswarm';
import { dependenceChart } from '../../src/charts/dependence';
import { distributionChart } from '../../src/charts/distribution';
import { driftOverTimeChart } from '../../src/charts/driftOverTime';
import { heatmapChart } from '../../src/charts/heatmap';
import { columnHistogram } from '../../src/charts/histogram';
import { labelCountChart, metricOverTimeChart } from '../../src/charts/metricOverTime';
import { precisionRecallChart } from '../../src/charts/precisionRecall';
import { predictedVsActualChart } from '../../src/charts/predictedVsActual';
import { reliabilityChart } from '../../src/charts/reliability';
import { residualChart } from '../../src/charts/residuals';
import { rocChart } from '../../src/charts/roc';
import { importanceChart } from '../../src/charts/shapImportance';
import { shapOverTimeChart } from '../../src/charts/shapOverTime';
import { distributionSparkline } from '../../src/charts/sparkline';
import { thresholdSweepChart } from '../../src/charts/thresholdSweep';
import { waterfallChart } from '../../src/charts/waterfall';
import * as data from './data';
import { render, serialize } from './render';

// Every builder, drawn by Plot in Node on seeded data, against the committed drawing: same data, same SVG.
const charts: Record<string, () => Plot.PlotOptions> = {
  'column-histogram': () => columnHistogram(data.columnHistogramBins(), { label: 'amount' }),
  'column-histogram-time': () =>
    columnHistogram(
      data.columnHistogramBins().map((b, i) => ({ ...b, x0: data.T0 + i * data.DAY, x1: data.T0 + (i + 1) * data.DAY })),
      { label: 'ts', temporal: true },
    ),
  'distribution-numeric': () => distributionChart(data.numericDistribution(), { label: 'amount' }),
  'distribution-categorical': () => distributionChart(data.categoricalDistribution(), { label: 'region' }),
  sparkline: () => distributionSparkline(data.numericDistribution(), { label: 'amount' }),
  'drift-over-time': () =>
    driftOverTimeChart(data.driftWindows(), { threshold: 0.1, pValue: false, selected: 6, scoreLabel: 'wasserstein' }),
  'drift-over-time-p-value': () =>
    driftOverTimeChart(
      data.driftWindows().map((w) => ({ ...w, score: w.score! < 0.06 ? 0.3 : 1e-6, drifted: w.score! >= 0.06 })),
      { threshold: 0.05, pValue: true, selected: null, scoreLabel: 'ks' },
    ),
  'metric-over-time': () => metricOverTimeChart(data.metricWindowRows(), { metricLabel: 'Accuracy', unit: 'day', baseline: 0.88 }),
  'label-counts': () => labelCountChart(data.metricWindowRows(), { unit: 'day' }),
  'heatmap-origins': () =>
    heatmapChart(data.originCells(), { xLabel: 'origin', yLabel: 'week', metricLabel: 'Accuracy', better: 'higher' }),
  'heatmap-bias': () =>
    heatmapChart(
      data.originCells().filter((c) => c.xi < 6),
      { xLabel: 'origin', yLabel: 'week', metricLabel: 'Mean error (bias)', better: 'zero' },
    ),
  roc: () => rocChart(data.rocPoints()),
  'precision-recall': () => precisionRecallChart(data.prPoints()),
  reliability: () => reliabilityChart(data.reliabilityBins()),
  'threshold-sweep': () => thresholdSweepChart(data.sweepPoints(), { threshold: 0.5 }),
  residuals: () => residualChart(data.residualBins()),
  'predicted-vs-actual': () => predictedVsActualChart(data.scatterBins()),
  'shap-importance': () => importanceChart(data.importanceRows(), { currentName: 'production.csv', referenceName: 'training.csv' }),
  beeswarm: () => beeswarmChart(data.beeswarmPoints()),
  dependence: () => dependenceChart(data.dependencePointsData(), { feature: 'amount', partner: 'age' }),
  'shap-over-time': () => shapOverTimeChart(data.attributionWindows(), { features: [0, 1, 2], featureNames: data.featureNames }),
  waterfall: () => waterfallChart(data.waterfall(), { base: -1.2 }),
};

describe('chart builders', () => {
  it('run in UTC (the config pins TZ for these tests)', () => {
    expect(new Date(0).getTimezoneOffset()).toBe(0);
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('UTC');
  });

  for (const [name, build] of Object.entries(charts)) {
    it(`draws ${name} as committed`, async () => {
      const first = serialize(render(build()));
      // Deterministic: a second build of the same data draws the same thing.
      expect(serialize(render(build()))).toBe(first);
      await expect(first).toMatchFileSnapshot(`./__snapshots__/${name}.html`);
    });
  }
});
