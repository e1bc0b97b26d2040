import type { Distribution } from '../../lib/drift/columnDrift';

export interface ShareRow {
  i: number;
  label: string;
  x0: number | null;
  x1: number | null;
  side: 'reference' | 'current';
  share: number;
}

/** Shares per bin for both sides, the rows every distribution chart of the drift view draws. */
export function shareRows(d: Distribution): ShareRow[] {
  const total = (xs: number[]) => xs.reduce((s, v) => s + v, 0) || 1;
  const nr = total(d.ref);
  const nc = total(d.cur);
  const rows: ShareRow[] = [];
  d.labels.forEach((label, i) => {
    const x0 = d.edges ? d.edges[i]! : null;
    const x1 = d.edges ? d.edges[i + 1]! : null;
    rows.push({ i, label, x0, x1, side: 'reference', share: d.ref[i]! / nr });
    rows.push({ i, label, x0, x1, side: 'current', share: d.cur[i]! / nc });
  });
  return rows;
}

export const SIDE_COLORS = { domain: ['reference', 'current'], range: ['#8a94a3', '#b7791f'] };

/** Statistics as the drift view shows them: 4 significant digits, exponent form below 1e-3. */
export function formatStat(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}
