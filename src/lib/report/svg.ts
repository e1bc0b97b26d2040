/**
 * Charts as SVG text: pure functions of (data, options) with no DOM, so the same chart is inlined in the
 * self-contained HTML report, exported as .svg from the app, and rasterised to PNG in the browser. Every
 * label goes through escapeXml; the output never references anything outside itself.
 */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface BarSeries {
  name: string;
  values: number[];
  color: string;
}

export interface BarChartOptions {
  title: string;
  labels: string[];
  series: BarSeries[];
  width?: number;
  height?: number;
  /** Format of the y axis ticks. */
  format?: (v: number) => string;
}

/** At most this many bars per series; longer inputs keep the first ones and say so in the title. */
export const MAX_BARS = 40;

const f = (x: number) => Number(x.toFixed(2));

export function barChartSvg(o: BarChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 220;
  const cut = o.labels.length > MAX_BARS;
  const labels = o.labels.slice(0, MAX_BARS);
  const margin = { top: 28, right: 12, bottom: 56, left: 52 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const max = Math.max(0, ...o.series.flatMap((s) => s.values.slice(0, MAX_BARS).filter(Number.isFinite)));
  const min = Math.min(0, ...o.series.flatMap((s) => s.values.slice(0, MAX_BARS).filter(Number.isFinite)));
  const span = max - min || 1;
  const y = (v: number) => margin.top + plotH - ((v - min) / span) * plotH;
  const band = labels.length ? plotW / labels.length : plotW;
  const barW = Math.max(1, (band * 0.8) / Math.max(1, o.series.length));
  const format = o.format ?? ((v: number) => String(Number(v.toPrecision(3))));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(
    `<text x="${margin.left}" y="16" font-size="13" font-weight="600">${escapeXml(o.title)}${cut ? escapeXml(` (first ${MAX_BARS} of ${o.labels.length})`) : ''}</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const v = min + (span * i) / 4;
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${margin.left - 4}" y="${f(y(v) + 4)}" text-anchor="end" fill="#555">${escapeXml(format(v))}</text>`);
  }
  labels.forEach((label, i) => {
    o.series.forEach((s, j) => {
      const v = s.values[i];
      if (v === undefined || !Number.isFinite(v)) return;
      const x = margin.left + i * band + band * 0.1 + j * barW;
      const top = Math.min(y(v), y(0));
      parts.push(
        `<rect x="${f(x)}" y="${f(top)}" width="${f(barW)}" height="${f(Math.abs(y(v) - y(0)))}" fill="${s.color}"><title>${escapeXml(`${s.name}, ${label}: ${format(v)}`)}</title></rect>`,
      );
    });
    if (labels.length <= 24 || i % Math.ceil(labels.length / 24) === 0) {
      const short = label.length > 14 ? `${label.slice(0, 13)}…` : label;
      const cx = f(margin.left + i * band + band / 2);
      // A cut label keeps its full text as a tooltip.
      const full = short === label ? '' : `<title>${escapeXml(label)}</title>`;
      parts.push(
        `<text x="${cx}" y="${height - margin.bottom + 12}" text-anchor="end" transform="rotate(-35 ${cx} ${height - margin.bottom + 12})" fill="#333">${escapeXml(short)}${full}</text>`,
      );
    }
  });
  o.series.forEach((s, j) => {
    const x = width - margin.right - 110 * (o.series.length - j);
    parts.push(`<rect x="${x}" y="7" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="16">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
