import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../src/lib/report/svg';

describe('report bar charts', () => {
  it('cut a long label on the axis and keep its full text as a tooltip', () => {
    const long = 'merchant_category_description';
    const svg = barChartSvg({ title: 't', labels: [long, 'age'], series: [{ name: 'reference', values: [0.5, 0.5], color: '#999' }] });
    expect(svg).toContain(`>merchant_cate…<title>${long}</title></text>`);
    expect(svg).toContain('>age</text>');
  });

  it('draw bars from 0 side by side: a series never starts where another ends', () => {
    const svg = barChartSvg({
      title: 't',
      labels: ['a'],
      series: [
        { name: 'reference', values: [0.3], color: '#999' },
        { name: 'current', values: [0.3], color: '#00f' },
      ],
    });
    const bars = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#999|#00f)">/g)].map((m) =>
      m.slice(1, 5).map(Number),
    );
    expect(bars).toHaveLength(2);
    const [a, b] = bars as [number[], number[]];
    expect(a[1]! + a[3]!).toBeCloseTo(b[1]! + b[3]!, 6);
    expect(a[0]! + a[2]!).toBeLessThanOrEqual(b[0]!);
  });
});
