/**
 * Everything a report shows, as plain JSON of aggregates: check results, drift per column, missing shares,
 * quality counts, metrics and worst slices, with tables and charts in one generic shape (so every table
 * exports as CSV and every chart as SVG/PNG). Never rows: the quality core's example rows are left out on
 * purpose, and distributions are binned counts. The size of this object depends on the number of columns
 * and bins, not on the number of rows.
 */
import type { SuiteResult } from '../checks/evaluate';
import { isUnavailable, type CheckInputs } from '../checks/inputs';
import type { Cell } from './csv';

export interface ReportTable {
  id: string;
  title: string;
  header: string[];
  rows: Cell[][];
}

export interface ReportChart {
  id: string;
  title: string;
  labels: string[];
  series: { name: string; values: number[] }[];
  /** Values are shares (0-1) and print as percentages. */
  percent?: boolean;
}

export interface ReportData {
  format: 'lantern-report';
  version: 1;
  title: string;
  generated: string;
  reference: { name: string; rows: number; columns: number };
  current: { name: string; rows: number; columns: number };
  checks: SuiteResult;
  overview: OverviewSummary;
  tables: ReportTable[];
  charts: ReportChart[];
}

export interface OverviewSummary {
  drift: { drifted: number; tested: number; share: number; columns: string[] } | null;
  quality: { problems: number; items: string[] } | null;
  performance: { metric: string; reference: number | null; current: number | null }[] | { unavailable: string } | null;
  worstSlices: { label: string; n: number; difference: number }[];
  failing: { id: string; title: string; message: string; view: string }[];
}

/** "2026-11-22 23:15:00 UTC": when a report was made, readable and time-zone explicit. */
export function reportTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** At most this many per-column distribution charts (drifted columns first). */
export const MAX_DISTRIBUTION_CHARTS = 16;

export function overviewSummary(inputs: CheckInputs, result: SuiteResult): OverviewSummary {
  const d = inputs.drift;
  const q = inputs.quality;
  const perf = inputs.performance;
  let performance: OverviewSummary['performance'] = null;
  if (perf && isUnavailable(perf)) performance = { unavailable: perf.unavailable };
  else if (perf) {
    const ref = isUnavailable(perf.reference) ? null : perf.reference;
    performance = Object.keys(perf.current)
      .filter((m) => m !== 'n')
      .map((m) => ({ metric: m, reference: ref?.[m] ?? null, current: perf.current[m] ?? null }));
  }
  const slices = Object.values(inputs.slices).find((s) => !isUnavailable(s));
  return {
    drift: d
      ? {
          drifted: d.dataset.driftedColumns,
          tested: d.dataset.testedColumns,
          share: d.dataset.share,
          columns: d.columns.filter((c) => c.drifted).map((c) => c.name),
        }
      : null,
    quality: q ? { problems: q.issues.length, items: q.issues.map((i) => `${i.column ?? 'all columns'}: ${i.detail}`) } : null,
    performance,
    worstSlices:
      slices && !isUnavailable(slices) ? slices.slices.slice(0, 5).map((s) => ({ label: s.label, n: s.n, difference: s.difference })) : [],
    failing: result.results
      .filter((r) => r.status === 'fail' || r.status === 'not-evaluated')
      .map((r) => ({ id: r.id, title: r.title, message: r.message, view: r.view })),
  };
}

const finiteOrNull = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export function buildReportData(
  inputs: CheckInputs,
  result: SuiteResult,
  meta: { title?: string; generated: string; reference: string; current: string },
): ReportData {
  const tables: ReportTable[] = [];
  const charts: ReportChart[] = [];
  tables.push({
    id: 'checks',
    title: 'Checks',
    header: ['status', 'check', 'value', 'threshold', 'message'],
    rows: result.results.map((r) => [r.status, r.title, finiteOrNull(r.value), r.threshold, r.message]),
  });
  if (inputs.drift) {
    const d = inputs.drift;
    tables.push({
      id: 'drift',
      title: `Drift by column (${d.dataset.driftedColumns} of ${d.dataset.testedColumns} drifted)`,
      header: ['column', 'kind', 'method', 'score', 'threshold', 'drifted'],
      rows: d.columns.map((c) => [c.name, c.kind, c.method, finiteOrNull(c.score), c.threshold, c.drifted]),
    });
    const ordered = [...d.columns.filter((c) => c.drifted), ...d.columns.filter((c) => !c.drifted)];
    for (const c of ordered.slice(0, MAX_DISTRIBUTION_CHARTS)) {
      const dist = c.distribution;
      if (!dist || dist.labels.length === 0) continue;
      const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0) || 1;
      const rt = total(dist.ref);
      const ct = total(dist.cur);
      charts.push({
        id: `distribution-${c.name}`,
        title: `${c.name}${c.drifted ? ' (drifted)' : ''}: share of rows`,
        labels: dist.labels,
        series: [
          { name: 'reference', values: dist.ref.map((v) => v / rt) },
          { name: 'current', values: dist.cur.map((v) => v / ct) },
        ],
        percent: true,
      });
    }
  }
  if (inputs.quality) {
    const q = inputs.quality;
    tables.push({
      id: 'missing',
      title: 'Missing values by column',
      header: ['column', 'reference share', 'current share'],
      rows: q.missing.map((m) => [m.column, m.reference, m.current]),
    });
    charts.push({
      id: 'missing',
      title: 'Missing share by column',
      labels: q.missing.map((m) => m.column),
      series: [
        { name: 'reference', values: q.missing.map((m) => m.reference) },
        { name: 'current', values: q.missing.map((m) => m.current) },
      ],
      percent: true,
    });
    tables.push({
      id: 'quality',
      title: 'Data quality problems',
      header: ['check', 'column', 'rows', 'share', 'detail'],
      rows: q.issues.map((i) => [i.check, i.column, i.count, i.share, i.detail]),
    });
  }
  const perf = inputs.performance;
  if (perf && !isUnavailable(perf)) {
    const ref = isUnavailable(perf.reference) ? null : perf.reference;
    const names = Object.keys(perf.current).filter((m) => m !== 'n');
    tables.push({
      id: 'performance',
      title: `Performance (${perf.task}, ${perf.labelled} of ${perf.predictions} predictions labelled)`,
      header: ['metric', 'reference', 'current', 'change'],
      rows: names.map((m) => {
        const r = finiteOrNull(ref?.[m]);
        const c = finiteOrNull(perf.current[m]);
        return [m, r, c, r !== null && c !== null && r !== 0 ? (c - r) / Math.abs(r) : null];
      }),
    });
    const bounded = names.filter((m) => !['log_loss', 'mae', 'rmse', 'mape', 'mean_error', 'max_error'].includes(m));
    if (bounded.length)
      charts.push({
        id: 'performance',
        title: 'Metrics: reference and current',
        labels: bounded,
        series: [
          ...(ref ? [{ name: 'reference', values: bounded.map((m) => ref[m] ?? NaN) }] : []),
          { name: 'current', values: bounded.map((m) => perf.current[m] ?? NaN) },
        ],
      });
  }
  for (const m of Object.values(inputs.multivariate ?? {})) {
    if (isUnavailable(m)) continue;
    const label = (start: number) => (m.windowing === 'calendar' ? reportTimestamp(start).slice(0, 10) : `chunk ${start}`);
    const band = m.threshold ? `band ${m.threshold.lower.toPrecision(4)} to ${m.threshold.upper.toPrecision(4)}` : 'no band';
    tables.push({
      id: `multivariate-${tables.length}`,
      title: `Columns together: mean reconstruction error (${m.components} of ${m.columns.length} components, ${band}; current ${m.current.error.toPrecision(4)}, reference ${m.reference.error.toPrecision(4)})`,
      header: ['side', 'window', 'rows', 'error', 'outside the band'],
      rows: (['reference', 'current'] as const).flatMap((side) =>
        m[side].windows.map((w) => [side, label(w.start), w.rows, finiteOrNull(w.error), w.drifted]),
      ),
    });
    if (m.current.windows.length)
      charts.push({
        id: `multivariate-${charts.length}`,
        title: 'Mean reconstruction error per current window, with the band',
        labels: m.current.windows.map((w) => label(w.start)),
        series: [
          { name: 'current', values: m.current.windows.map((w) => w.error) },
          ...(m.threshold ? [{ name: 'upper band', values: m.current.windows.map(() => m.threshold!.upper) }] : []),
        ],
      });
  }
  const embeddings = Object.values(inputs.embeddings ?? {}).flatMap((x) => (isUnavailable(x) ? [] : x));
  const seen = new Set<string>();
  for (const e of embeddings) {
    if ('unavailable' in e && !('embedding' in e)) continue;
    const r = e as Exclude<typeof e, { unavailable: string; name: string }>;
    const key = `${r.embedding.name}|${r.sampled}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = r.projection;
    const centre = (side: 'reference' | 'current') => {
      if ('unavailable' in p || p[side].x.length === 0) return null;
      let x = 0;
      let y = 0;
      p[side].x.forEach((v, i) => ((x += v), (y += p[side].y[i]!)));
      return `(${(x / p[side].x.length).toPrecision(4)}, ${(y / p[side].x.length).toPrecision(4)})`;
    };
    tables.push({
      id: `embedding-${tables.length}`,
      title: `Embedding ${r.embedding.name}: ${r.drifted ? 'drift' : 'no drift'} (${r.referenceRows} reference and ${r.currentRows} current vectors of ${r.dims} numbers${r.sampled ? `, a sample of ${r.sampled} a side` : ''})`,
      header: ['method', 'value', 'threshold', 'drift'],
      rows: [
        'unavailable' in r.model
          ? ['domain classifier ROC AUC', null, r.model.unavailable, null]
          : ['domain classifier ROC AUC', finiteOrNull(r.model.auc), r.model.threshold, r.model.drifted],
        ['distance between the mean vectors', finiteOrNull(r.distance.value), r.distance.threshold, r.distance.drifted],
        'unavailable' in r.mmd
          ? ['MMD^2 (permutation p-value)', null, r.mmd.unavailable, null]
          : [`MMD^2 ${r.mmd.value.toPrecision(4)} (permutation p-value)`, r.mmd.pValue, r.mmd.threshold, r.mmd.drifted],
        ...('unavailable' in p
          ? []
          : [
              [
                `centre on the reference's first two principal components (${(100 * p.explained[0]).toFixed(1)}% and ${(100 * p.explained[1]).toFixed(1)}% of its variance): reference ${centre('reference')}, current ${centre('current')}`,
                null,
                null,
                null,
              ],
            ]),
      ],
    });
  }
  const a = inputs.attribution;
  if (a && !isUnavailable(a)) {
    tables.push({
      id: 'attribution',
      title: `Mean |SHAP| by feature (${a.sampled.reference} reference and ${a.sampled.current} current rows explained)`,
      header: ['feature', 'reference', 'current', 'moved share'],
      rows: a.features.map((f, i) => [
        f,
        a.reference[i]!,
        a.current[i]!,
        a.referenceTotal > 0 ? Math.abs(a.current[i]! - a.reference[i]!) / a.referenceTotal : null,
      ]),
    });
    charts.push({
      id: 'attribution',
      title: 'Mean |SHAP| by feature',
      labels: a.features,
      series: [
        { name: 'reference', values: a.reference },
        { name: 'current', values: a.current },
      ],
    });
  }
  for (const s of Object.values(inputs.slices)) {
    if (isUnavailable(s)) continue;
    tables.push({
      id: 'slices',
      title: `Worst slices of at least ${s.minRows} rows (${s.error}, overall ${Number(s.overall.toPrecision(4))})`,
      header: ['slice', 'rows', s.error, 'difference'],
      rows: s.slices.map((x) => [x.label, x.n, x.error, x.difference]),
    });
    break;
  }
  const cols = (n: number, list: readonly unknown[]) => ({ rows: n, columns: list.length });
  return {
    format: 'lantern-report',
    version: 1,
    title: meta.title ?? 'Lantern report',
    generated: meta.generated,
    reference: { name: meta.reference, ...cols(inputs.referenceRows, inputs.referenceColumns) },
    current: { name: meta.current, ...cols(inputs.currentRows, inputs.currentColumns) },
    checks: result,
    overview: overviewSummary(inputs, result),
    tables,
    charts,
  };
}
