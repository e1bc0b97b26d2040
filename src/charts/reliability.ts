import * as Plot from '@observablehq/plot';
import type { ReliabilityBin } from '../lib/metrics/curves';
import { GUIDE_COLOR, TOO_SMALL_FILL } from './colors';
import { formatCount, formatValue } from './format';
import { captionOf, minSupportOf, supportCaption } from './support';
import type { ChartTable } from './table';

const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/**
 * Fraction of positives against the mean predicted probability per score bin, with perfect calibration as
 * the diagonal. A bin with fewer rows than the minimum support is a grey ring off the line: its fraction
 * can swing from 0 to 1 on a handful of rows.
 */
export function reliabilityChart(
  bins: readonly ReliabilityBin[],
  o: { minSupport?: number; width?: number; height?: number } = {},
): Plot.PlotOptions {
  const min = minSupportOf(o.minSupport);
  const trusted = bins.filter((b) => b.count >= min);
  const small = bins.filter((b) => b.count < min);
  const title = (b: ReliabilityBin) =>
    `scores ${formatValue(b.lo)} – ${formatValue(b.hi)}: ${formatCount(b.count)} rows, mean score ${formatValue(b.meanScore)}, ${formatValue(b.fractionPositive)} positive`;
  return {
    width: o.width ?? 260,
    height: o.height ?? 240,
    ariaLabel: 'Reliability curve',
    caption: captionOf([supportCaption(min, small.length, ['bin', 'bins'], { consequence: 'left off the line' })]),
    x: { label: 'Mean predicted probability', domain: [0, 1] },
    y: { label: 'Fraction positive', domain: [0, 1], grid: true },
    marks: [
      Plot.line(DIAGONAL, { x: 'x', y: 'y', stroke: GUIDE_COLOR, strokeDasharray: '3,3' }),
      Plot.line(trusted, { x: 'meanScore', y: 'fractionPositive', stroke: '#067647', marker: 'circle' }),
      Plot.dot(small, { x: 'meanScore', y: 'fractionPositive', r: 3, stroke: TOO_SMALL_FILL, fill: 'white', title }),
      Plot.dot(trusted, { x: 'meanScore', y: 'fractionPositive', r: 6, fill: 'transparent', title }),
    ],
  };
}

export function reliabilityTable(bins: readonly ReliabilityBin[]): ChartTable {
  return {
    caption: 'Reliability per score bin',
    columns: ['scores', 'rows', 'mean score', 'fraction positive'],
    numeric: [false, true, true, true],
    rows: bins.map((b) => [
      `${formatValue(b.lo)} – ${formatValue(b.hi)}`,
      formatCount(b.count),
      formatValue(b.meanScore),
      formatValue(b.fractionPositive),
    ]),
  };
}
