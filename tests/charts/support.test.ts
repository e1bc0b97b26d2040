import { describe, expect, it } from 'vitest';
import { TOO_SMALL_BAND } from '../../src/charts/colors';
import { driftOverTimeChart } from '../../src/charts/driftOverTime';
import { labelCountChart, metricOverTimeChart } from '../../src/charts/metricOverTime';
import { reliabilityChart } from '../../src/charts/reliability';
import { shapOverTimeChart } from '../../src/charts/shapOverTime';
import { DEFAULT_MIN_SUPPORT } from '../../src/charts/support';
import { attributionWindows, driftWindows, featureNames, metricWindowRows, reliabilityBins } from './data';
import { domainOf, marks, render } from './render';

// A window, cell or bin with fewer rows than the minimum support is drawn grey and never sets a scale.
const yDomain = (chart: ReturnType<typeof render>) => domainOf(chart, 'y').map(Number);
const caption = (chart: Element) => chart.querySelector('figcaption')?.textContent ?? '';
const bands = (chart: Element) =>
  marks(chart, 'rect')
    .flatMap((g) => [...g.querySelectorAll('rect')])
    .filter((r) => r.closest('g')?.getAttribute('fill') === TOO_SMALL_BAND);

describe('minimum support', () => {
  it('keeps a two-row window with a score of 2.5 out of the drift chart y domain, and greys it', () => {
    const options = { threshold: 0.1, pValue: false, selected: null };
    const without = render(driftOverTimeChart(driftWindows(false), options));
    const withTiny = render(driftOverTimeChart(driftWindows(true), options));
    expect(yDomain(withTiny)).toEqual(yDomain(without));
    expect(Math.max(...yDomain(withTiny))).toBeLessThan(0.5);
    expect(bands(withTiny)).toHaveLength(1);
    expect(bands(without)).toHaveLength(0);
    // The coloured points are the trusted windows only.
    const coloured = marks(withTiny, 'dot')
      .flatMap((g) => [...g.querySelectorAll('circle')])
      .filter((c) => c.getAttribute('fill') !== 'white');
    expect(coloured).toHaveLength(8);
    expect(caption(withTiny)).toContain(`Grey: fewer than ${DEFAULT_MIN_SUPPORT} rows (1 window)`);
  });

  it('takes the minimum from the options: above every window, all are grey and none sets the domain', () => {
    const chart = render(driftOverTimeChart(driftWindows(true), { threshold: 0.1, pValue: false, minSupport: 5000 }));
    expect(bands(chart)).toHaveLength(9);
    expect(yDomain(chart)).toEqual([0, 0.1]);
    expect(caption(chart)).toContain('Grey: fewer than 5,000 rows (9 windows)');
  });

  it('keeps a window with two labelled rows and an accuracy of 0 out of the metric chart y domain', () => {
    const o = { metricLabel: 'Accuracy', unit: 'day' as const, baseline: 0.88 };
    const without = render(metricOverTimeChart(metricWindowRows(false), o));
    const withTiny = render(metricOverTimeChart(metricWindowRows(true), o));
    expect(yDomain(withTiny)).toEqual(yDomain(without));
    expect(Math.min(...yDomain(withTiny))).toBeGreaterThan(0.5);
    expect(bands(withTiny)).toHaveLength(1);
    expect(caption(withTiny)).toContain('fewer than 100 labelled rows (1 day)');
  });

  it('marks the minimum on the label counts as a dashed line', () => {
    const chart = render(labelCountChart(metricWindowRows(), { unit: 'day', minSupport: 250 }));
    const y = chart.scale('y')!;
    const rules = marks(chart, 'rule').flatMap((g) => [...g.querySelectorAll('line')]);
    expect(rules.some((l) => Math.abs(Number(l.getAttribute('y1')) - y.apply(250)) < 1e-6)).toBe(true);
  });

  it('breaks SHAP lines at a three-row window and keeps its attributions of 4 out of the y domain', () => {
    const o = { features: [0, 1, 2], featureNames };
    const without = render(shapOverTimeChart(attributionWindows(false), o));
    const withTiny = render(shapOverTimeChart(attributionWindows(true), o));
    expect(Math.max(...yDomain(withTiny))).toBeLessThan(1);
    expect(yDomain(withTiny)).toEqual(yDomain(without));
    expect(bands(withTiny)).toHaveLength(1);
  });

  it('leaves a seven-row reliability bin off the line, as a grey ring', () => {
    const chart = render(reliabilityChart(reliabilityBins()));
    const line = marks(chart, 'line')[1]!.querySelector('path')!.getAttribute('d')!;
    expect(line.split('L')).toHaveLength(9);
    expect(caption(chart)).toContain('(1 bin)');
  });
});
