import * as Plot from '@observablehq/plot';
import { CURRENT_COLOR, REFERENCE_COLOR } from './colors';
import { truncateLabel } from './labels';

export interface ImportanceRow {
  feature: string;
  current: number;
  /** NaN when there is no reference. */
  reference: number;
}

export interface ImportanceOptions {
  currentName: string;
  /** The reference dataset's name, when there is one. */
  referenceName?: string | null;
  /** At most this many features (the most important first); the table lists all. */
  maxFeatures?: number;
  width?: number;
}

export const MAX_IMPORTANCE_FEATURES = 20;

/**
 * Mean |SHAP| per feature, reference and current as two bars side by side in each feature's row (never
 * stacked), most important first; long feature names are truncated with the full name in the tooltip.
 */
export function importanceChart(rows: readonly ImportanceRow[], o: ImportanceOptions): Plot.PlotOptions {
  const shown = rows.slice(0, o.maxFeatures ?? MAX_IMPORTANCE_FEATURES);
  const sides = o.referenceName ? [o.currentName, o.referenceName] : [o.currentName];
  const data = shown.flatMap((r) => [
    { feature: r.feature, side: o.currentName, value: r.current },
    ...(o.referenceName ? [{ feature: r.feature, side: o.referenceName, value: r.reference }] : []),
  ]);
  return {
    width: o.width ?? 460,
    height: 50 + shown.length * sides.length * 14 + shown.length * 6,
    marginLeft: 160,
    ariaLabel: 'Mean absolute SHAP value per feature',
    caption: rows.length > shown.length ? `The ${shown.length} most important of ${rows.length} features; the table lists all.` : undefined,
    x: { label: 'mean |SHAP| (margin)', grid: true },
    y: { domain: sides, axis: null },
    fy: { domain: shown.map((r) => r.feature), label: null },
    color: { legend: sides.length > 1, domain: sides, range: [CURRENT_COLOR, REFERENCE_COLOR] },
    marks: [
      Plot.barX(data, {
        fy: 'feature',
        y: 'side',
        x1: 0,
        x2: 'value',
        fill: 'side',
        title: (d: { side: string; value: number }) => `${d.side}: ${d.value.toPrecision(4)}`,
      }),
      Plot.axisFy({ anchor: 'left', tickFormat: (f: string) => truncateLabel(f), title: (f: string) => f, label: null }),
      Plot.ruleX([0]),
    ],
  };
}
