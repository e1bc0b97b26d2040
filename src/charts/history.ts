import * as Plot from '@observablehq/plot';
import type { HistoryReport } from '../lib/profiles/history';
import { DRIFT_COLOR, GUIDE_COLOR, LINE_COLOR, OK_COLOR } from './colors';
import { formatCount, formatValue } from './format';
import type { ChartTable } from './table';

/** One batch's value of a watched figure, and whether it crossed its limit. */
export interface HistoryPoint {
  batch: string;
  value: number | null;
  regressed: boolean;
}

export type HistorySeries = 'drift' | 'roc_auc' | 'accuracy' | 'missing' | 'rows';

export interface HistorySeriesSpec {
  key: HistorySeries;
  label: string;
  /** The limit drawn as a dashed line (null: none). */
  limit: number | null;
  /** True when values above the limit are bad (drift share, missing share), false when below (metrics, rows). */
  worseAbove: boolean;
  points: HistoryPoint[];
}

/** The series the History view draws: dataset drift, each watched metric, the worst missing share and volume. */
export function historySeries(report: HistoryReport): HistorySeriesSpec[] {
  const s = report.settings;
  const hit = (b: HistoryReport['batches'][number], kind: string, subject?: string) =>
    b.regressions.some((r) => r.kind === kind && (subject === undefined || r.subject === subject));
  const out: HistorySeriesSpec[] = [
    {
      key: 'drift',
      label: 'share of columns drifted',
      limit: s.driftShare,
      worseAbove: true,
      points: report.batches.map((b) => ({
        batch: b.name,
        value: b.drift.testedColumns ? b.drift.share : null,
        regressed: hit(b, 'drift'),
      })),
    },
  ];
  const ref = report.reference.metrics;
  for (const [key, label] of [
    ['roc_auc', 'ROC AUC'],
    ['accuracy', 'accuracy'],
  ] as const) {
    if (!ref || ref[key] === null || !report.batches.some((b) => b.metrics?.[key] !== undefined)) continue;
    out.push({
      key,
      label,
      limit: ref[key]! - s.metricDrop,
      worseAbove: false,
      points: report.batches.map((b) => ({ batch: b.name, value: b.metrics?.[key] ?? null, regressed: hit(b, 'metric', key) })),
    });
  }
  out.push({
    key: 'missing',
    label: 'largest rise in a column’s missing share',
    limit: s.missingRise,
    worseAbove: true,
    points: report.batches.map((b) => ({
      batch: b.name,
      value: b.quality.length ? Math.max(...b.quality.map((q) => q.missing - q.missingReference)) : null,
      regressed: hit(b, 'missing'),
    })),
  });
  out.push({
    key: 'rows',
    label: 'rows',
    limit: report.batches.length > 1 ? s.volumeShare * report.typicalRows : null,
    worseAbove: false,
    points: report.batches.map((b) => ({ batch: b.name, value: b.rows, regressed: hit(b, 'volume') })),
  });
  return out;
}

/**
 * One figure per batch, in batch order, with its limit as a dashed line: red where the batch regressed,
 * green elsewhere. Batches are categories on x (a CI run has no calendar date).
 */
export function historyChart(series: HistorySeriesSpec, o: { width?: number; height?: number } = {}): Plot.PlotOptions {
  const drawn = series.points.filter((p) => p.value !== null);
  const values = drawn.map((p) => p.value!);
  if (series.limit !== null) values.push(series.limit);
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, series.key === 'rows' ? 1 : 0);
  return {
    width: o.width ?? 640,
    height: o.height ?? 200,
    marginLeft: 70,
    marginBottom: 70,
    ariaLabel: `${series.label} per batch${series.limit !== null ? ' with its limit as a dashed line' : ''}`,
    caption:
      series.limit !== null
        ? `Dashed: limit ${series.key === 'rows' ? formatCount(series.limit) : formatValue(series.limit)} (a regression ${series.worseAbove ? 'above' : 'below'} it). Red: regression; green: none.`
        : 'Red: regression; green: none.',
    x: { type: 'point', label: 'batch', domain: series.points.map((p) => p.batch), tickRotate: -30 },
    y: { label: series.label, grid: true, domain: [lo, hi], nice: true },
    marks: [
      Plot.ruleY([0], { stroke: GUIDE_COLOR }),
      ...(series.limit !== null ? [Plot.ruleY([series.limit], { stroke: DRIFT_COLOR, strokeDasharray: '4,3' })] : []),
      Plot.line(drawn, { x: 'batch', y: 'value', stroke: LINE_COLOR }),
      Plot.dot(drawn, {
        x: 'batch',
        y: 'value',
        r: 4,
        fill: (p: HistoryPoint) => (p.regressed ? DRIFT_COLOR : OK_COLOR),
        title: (p: HistoryPoint) =>
          `${p.batch}: ${series.key === 'rows' ? formatCount(p.value!) : formatValue(p.value)}${p.regressed ? ', regression' : ''}`,
      }),
    ],
  };
}

export function historyTable(series: HistorySeriesSpec): ChartTable {
  return {
    caption: `${series.label} per batch`,
    numeric: [false, true, false],
    columns: ['batch', series.label, 'regression'],
    rows: series.points.map((p) => [
      p.batch,
      p.value === null ? '—' : series.key === 'rows' ? formatCount(p.value) : formatValue(p.value),
      p.regressed ? 'yes' : 'no',
    ]),
  };
}
