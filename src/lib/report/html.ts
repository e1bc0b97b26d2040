/**
 * The self-contained HTML report: one file with inline CSS and inline SVG charts, no script, and a
 * Content-Security-Policy that forbids every fetch (default-src 'none'), so it opens offline in any
 * browser and cannot call out even if a column name tried to. All text is escaped; the data is the
 * aggregates of ReportData only.
 */
import type { Cell } from './csv';
import type { ReportData, ReportTable } from './reportData';
import { barChartSvg, escapeXml as esc } from './svg';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const COLORS = { reference: '#9ca3af', current: '#2563eb' } as Record<string, string>;

function cell(v: Cell, header: string): string {
  if (v === null || v === undefined) return '<td class="na">–</td>';
  if (typeof v === 'number') {
    const share = /share|change|difference/.test(header) && Math.abs(v) <= 10 && !Number.isInteger(v);
    const text = share
      ? `${(v * 100).toFixed(Math.abs(v) < 0.001 ? 3 : 2)}%`
      : Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : String(Number(v.toPrecision(4)));
    return `<td class="num">${esc(text)}</td>`;
  }
  if (typeof v === 'boolean') return `<td>${v ? 'yes' : 'no'}</td>`;
  if (header === 'status') return `<td><span class="badge ${esc(v)}">${esc(v)}</span></td>`;
  return `<td>${esc(v)}</td>`;
}

function table(t: ReportTable): string {
  if (t.rows.length === 0) return `<section><h2>${esc(t.title)}</h2><p class="muted">None.</p></section>`;
  const head = t.header.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v, i) => cell(v, t.header[i] ?? '')).join('')}</tr>`).join('\n');
  return `<section id="table-${esc(t.id)}"><h2>${esc(t.title)}</h2><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#111;background:#f8fafc}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.muted{color:#666}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px;min-width:150px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}td.na{color:#999;text-align:center}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.pass{background:#dcfce7;color:#166534}.warn{background:#fef3c7;color:#92400e}.fail{background:#fee2e2;color:#991b1b}.not-evaluated{background:#e5e7eb;color:#374151}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:4px}
svg{max-width:100%;height:auto}
`;

export function reportHtml(data: ReportData): string {
  const c = data.checks.counts;
  const o = data.overview;
  const cards = [
    [
      'Checks',
      `<span class="badge ${data.checks.status}">${data.checks.status}</span> ${c.pass} pass · ${c.warn} warn · ${c.fail} fail${c['not-evaluated'] ? ` · ${c['not-evaluated']} not evaluated` : ''}`,
    ],
    [
      'Drifted columns',
      o.drift ? `<b>${o.drift.drifted} / ${o.drift.tested}</b>${esc(o.drift.columns.slice(0, 6).join(', '))}` : 'not computed',
    ],
    ['Data quality problems', o.quality ? `<b>${o.quality.problems}</b>` : 'not computed'],
    ['Rows', `<b>${data.current.rows.toLocaleString('en-US')}</b>current · ${data.reference.rows.toLocaleString('en-US')} reference`],
  ]
    .map(([k, v]) => `<div class="card"><span class="muted">${esc(k!)}</span>${v}</div>`)
    .join('');
  const charts = data.charts
    .map((ch) => {
      const svg = barChartSvg({
        title: ch.title,
        labels: ch.labels,
        series: ch.series.map((s) => ({ ...s, color: COLORS[s.name] ?? '#2563eb' })),
        format: ch.percent ? (v) => `${Number((v * 100).toPrecision(3))}%` : undefined,
      });
      return `<figure id="chart-${esc(ch.id)}">${svg}</figure>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(data.title)}</h1>
<p class="muted">Generated ${esc(data.generated)} by Lantern. Reference: ${esc(data.reference.name)} (${data.reference.rows.toLocaleString('en-US')} rows, ${data.reference.columns} columns). Current: ${esc(data.current.name)} (${data.current.rows.toLocaleString('en-US')} rows, ${data.current.columns} columns). Aggregates only: no rows of either file are in this report.</p>
<div class="cards">${cards}</div>
${data.tables.map(table).join('\n')}
<section><h2>Charts</h2><div class="charts">
${charts}
</div></section>
</main></body></html>
`;
}
