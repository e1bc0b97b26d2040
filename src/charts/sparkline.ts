import * as Plot from '@observablehq/plot';
import type { Distribution } from '../lib/drift/columnDrift';
import { SIDE_COLORS } from './colors';
import { shareRows } from './distribution';

/**
 * The drift table's thumbnail: reference and current shares per bin as two step lines on one share
 * scale starting at 0 (lines never stack, so the two sides stay comparable at a glance).
 */
export function distributionSparkline(d: Distribution, o: { label: string; width?: number; height?: number }): Plot.PlotOptions {
  const rows = shareRows(d);
  return {
    width: o.width ?? 150,
    height: o.height ?? 34,
    margin: 1,
    axis: null,
    ariaLabel: `Reference (grey) and current (amber) distribution of ${o.label}`,
    x: { type: 'band', padding: 0.1 },
    y: { domain: [0, Math.max(0, ...rows.map((r) => r.share))] },
    color: SIDE_COLORS,
    marks: [Plot.lineY(rows, { x: 'i', y: 'share', z: 'side', stroke: 'side', strokeWidth: 1.5, curve: 'step' })],
  };
}
