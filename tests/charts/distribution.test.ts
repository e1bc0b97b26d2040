import { describe, expect, it } from 'vitest';
import { REFERENCE_COLOR, CURRENT_COLOR } from '../../src/charts/colors';
import { distributionChart, foldCategories, shareRows } from '../../src/charts/distribution';
import { categoricalDistribution, evenDistribution, numericDistribution } from './data';
import { domainOf, marks, num, render } from './render';

/** The bars of one side (legend swatches are not marks and are left out). */
const rectsOf = (chart: Element, colour: string) =>
  [...chart.querySelectorAll('g[aria-label="rect"] rect, g[aria-label="bar"] rect')].filter((r) => r.getAttribute('fill') === colour);

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('reference and current distributions', () => {
  it('give each side shares of its own rows, summing to 100%, folded categories included', () => {
    for (const d of [numericDistribution(), categoricalDistribution(), foldCategories(categoricalDistribution(), 8)]) {
      const rows = shareRows(d);
      expect(sum(rows.filter((r) => r.side === 'reference').map((r) => r.share))).toBeCloseTo(1, 12);
      expect(sum(rows.filter((r) => r.side === 'current').map((r) => r.share))).toBeCloseTo(1, 12);
    }
    const folded = foldCategories(categoricalDistribution(), 8);
    expect(folded.labels).toHaveLength(8);
    expect(folded.labels.at(-1)).toBe('other (23 values)');
  });

  it('draws numerical bins side by side from 0: no two bars share an x position, none is stacked', () => {
    const chart = render(distributionChart(numericDistribution(), { label: 'amount' }));
    const ref = rectsOf(chart, REFERENCE_COLOR);
    const cur = rectsOf(chart, CURRENT_COLOR);
    expect(ref).toHaveLength(10);
    expect(cur).toHaveLength(10);
    const all = [...ref, ...cur];
    const baseline = chart.scale('y')!.apply(0);
    for (const r of all) expect(num(r, 'y') + num(r, 'height')).toBeCloseTo(baseline, 6);
    for (const a of ref)
      for (const b of cur) {
        const overlap = Math.min(num(a, 'x') + num(a, 'width'), num(b, 'x') + num(b, 'width')) - Math.max(num(a, 'x'), num(b, 'x'));
        expect(overlap).toBeLessThanOrEqual(0);
      }
  });

  it('draws categories as pairs of bars from 0 that never overlap, with equal shares read as 33%, not 67%', () => {
    const chart = render(distributionChart(evenDistribution, { label: 'region' }));
    const x = chart.scale('x')!;
    const bars = [...rectsOf(chart, REFERENCE_COLOR), ...rectsOf(chart, CURRENT_COLOR)];
    expect(bars).toHaveLength(6);
    for (const bar of bars) {
      expect(num(bar, 'x')).toBeCloseTo(x.apply(0), 6);
      expect(x.invert!(num(bar, 'x') + num(bar, 'width'))).toBeCloseTo(1 / 3, 6);
    }
    // Within each category's facet, the reference and the current bar occupy disjoint vertical bands.
    for (const facet of marks(chart, 'bar')[0]!.children) {
      const [a, b] = [...facet.querySelectorAll('rect')];
      const top = (r: Element) => num(r, 'y');
      const bottom = (r: Element) => num(r, 'y') + num(r, 'height');
      expect(Math.min(bottom(a!), bottom(b!)) - Math.max(top(a!), top(b!))).toBeLessThanOrEqual(0);
    }
    expect(Math.max(...domainOf(chart, 'x').map(Number))).toBeLessThan(0.5);
  });

  it('folds categories past the most into one "other" bar per side', () => {
    const chart = render(distributionChart(categoricalDistribution(30), { label: 'region', maxCategories: 20 }));
    expect(rectsOf(chart, REFERENCE_COLOR)).toHaveLength(20);
    expect(domainOf(chart, 'fy').at(-1)).toBe('other (11 values)');
  });

  it('truncates long category labels on the axis and keeps the full text in the tooltip', () => {
    const chart = render(distributionChart(categoricalDistribution(5), { label: 'region' }));
    const long = 'a category whose name goes on far longer than any axis could show';
    const label = [...chart.querySelectorAll('g[aria-label="fy-axis tick label"] text')].find(
      (t) => t.querySelector('title')?.textContent === long,
    );
    expect(label).toBeDefined();
    expect(label!.firstChild!.textContent!.length).toBeLessThan(long.length);
    expect(label!.firstChild!.textContent!.endsWith('…')).toBe(true);
  });
});
