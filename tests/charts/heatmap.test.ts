import { describe, expect, it } from 'vitest';
import { TOO_SMALL_FILL } from '../../src/charts/colors';
import { heatmapChart, heatmapLayout, heatmapTable, MAX_HEATMAP_ROWS, type HeatmapOptions } from '../../src/charts/heatmap';
import { metricDirection } from '../../src/charts/metricDirection';
import { originCells } from './data';
import { domainOf, render } from './render';

const options: HeatmapOptions = { xLabel: 'origin', yLabel: 'week', metricLabel: 'Accuracy', better: 'higher' };
const tickLabels = (chart: Element, axis: 'x' | 'y') =>
  [...chart.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)].map(
    (t) => t.querySelector('title')?.textContent ?? t.textContent,
  );

describe('the heatmap', () => {
  it('puts the 50 origins on the vertical axis, whichever axis they came on, with at most 20 rows', () => {
    for (const cells of [originCells(), originCells().map((c) => ({ ...c, x: c.y, y: c.x, xi: c.yi, yi: c.xi }))]) {
      const chart = render(heatmapChart(cells, options));
      const rows = tickLabels(chart, 'y');
      expect(rows.length).toBeLessThanOrEqual(MAX_HEATMAP_ROWS);
      expect(rows.slice(0, -1).every((r) => r!.startsWith('origin-'))).toBe(true);
      expect(rows.at(-1)).toBe('other (31 values)');
      expect(tickLabels(chart, 'x')).toEqual(['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28']);
      expect(domainOf(chart, 'y')).toHaveLength(rows.length);
    }
  });

  it('sorts rows worst first by their worst trusted cell, and the folded row holds every other row', () => {
    const layout = heatmapLayout(originCells(), options);
    const worst = (row: string) =>
      Math.min(
        ...originCells()
          .filter((c) => c.x === row && c.value !== null && c.n >= layout.minSupport)
          .map((c) => c.value!),
      );
    const shown = layout.rows.slice(0, -1);
    for (let i = 1; i < shown.length; i++) expect(worst(shown[i]!)).toBeGreaterThanOrEqual(worst(shown[i - 1]!));
    // The clearly worse origins come first.
    expect(new Set(shown.slice(0, 3))).toEqual(new Set(['origin-05', 'origin-22', 'origin-39']));
    const other = layout.cells.filter((c) => c.kind === 'other');
    const folded = originCells().filter((c) => !shown.includes(c.x));
    expect(other.reduce((s, c) => s + c.n, 0)).toBe(folded.reduce((s, c) => s + c.n, 0));
    expect(heatmapLayout(originCells(), { ...options, maxRows: Infinity }).rows).toHaveLength(50);
  });

  it('keeps a two-row cell with an accuracy of 0 out of the colour scale and the ranking, and greys it', () => {
    const without = render(heatmapChart(originCells(false), options));
    const withTiny = render(heatmapChart(originCells(true), options));
    expect(domainOf(withTiny, 'color')).toEqual(domainOf(without, 'color'));
    expect(Math.min(...domainOf(withTiny, 'color').map(Number))).toBeGreaterThan(0.5);
    const grey = withTiny.querySelectorAll(`g[aria-label="cell"][fill="${TOO_SMALL_FILL}"] rect`);
    expect(grey).toHaveLength(1);
    expect(grey[0]!.querySelector('title')!.textContent).toContain('2 rows, fewer than 100: too few to rank');
    // Origin 5's rank comes from its trusted cells, not from the zero.
    const layout = heatmapLayout(originCells(true), options);
    expect(layout.small).toBe(1);
    expect(layout.cells.find((c) => c.row === 'origin-05' && c.column === '2026-09-28')!.kind).toBe('small');
    expect(withTiny.querySelector('figcaption')!.textContent).toContain('Grey: fewer than 100 rows (1 cell)');
  });

  it('colours by badness: the worst cell is the darkest for a score, a loss and a bias alike', () => {
    const cells = originCells(false).filter((c) => c.xi < 3 && c.value !== null);
    const darkest = (o: HeatmapOptions, values: (v: number) => number) => {
      const mapped = cells.map((c) => ({ ...c, value: values(c.value!) }));
      const chart = render(heatmapChart(mapped, o));
      const color = chart.scale('color')!;
      const luminance = (css: string) => {
        const [r, g, b] = css.match(/\d+/g)!.map(Number);
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      return mapped.reduce((a, c) => (luminance(String(color.apply(c.value))) < luminance(String(color.apply(a.value))) ? c : a));
    };
    const lowest = cells.reduce((a, c) => (c.value! < a.value! ? c : a));
    expect(darkest(options, (v) => v).value).toBe(lowest.value);
    expect(darkest({ ...options, better: metricDirection('log_loss') }, (v) => 1 - v).value).toBe(1 - lowest.value!);
    expect(metricDirection('mean_error')).toBe('zero');
  });

  it('truncates long row labels and keeps the full value in the tooltip', () => {
    const long = 'a merchant category with a name far longer than the margin';
    const cells = originCells(false).map((c) => (c.x === 'origin-05' ? { ...c, x: long } : c));
    const chart = render(heatmapChart(cells, options));
    const text = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].find(
      (t) => t.querySelector('title')?.textContent === long,
    )!;
    expect(text.firstChild!.textContent!.endsWith('…')).toBe(true);
  });

  it('lists every cell in its table, folded rows and undefined values included', () => {
    const table = heatmapTable(originCells(), options);
    expect(table.rows).toHaveLength(200);
    expect(table.rows.find((r) => r[0] === 'origin-02' && r[1] === '2026-09-14')![3]).toBe('undefined: only one class is present');
  });
});
