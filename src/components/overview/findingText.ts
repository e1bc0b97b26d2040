/**
 * How the Overview words a finding's numbers: the evidence line under its title (statistic against its
 * baseline, rows, window, p or q value) and the places it was also measured in. Pure.
 */
import { fmt, pct, segmentText } from '../../lib/findings/text';
import type { EvidenceValue, Finding, FindingKind, FindingPart, FindingWindow } from '../../lib/findings/types';

export const KIND_LABEL: Record<FindingKind, string> = {
  drift: 'drift',
  'scale-change': 'unit or scale change',
  'missing-values': 'missing values',
  'stuck-value': 'stuck value',
  'new-category': 'new category',
  'output-drift': 'model output drift',
  'label-drift': 'label drift',
  performance: 'performance',
  'failing-slice': 'failing slice',
  'attribution-drift': 'attribution drift',
  'joint-drift': 'columns together',
  'data-quality': 'data quality',
  volume: 'volume',
  operations: 'operations',
};

const METHOD_LABEL: Record<string, string> = {
  wasserstein: 'Wasserstein (normed)',
  jensenshannon: 'Jensen-Shannon',
  ks: 'KS p',
  chisquare: 'chi-square p',
};

const number = (v: EvidenceValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A p or q value: small ones in powers of ten, never 0 (a test gives "below" its smallest number). */
export function pText(name: 'p' | 'q', v: number): string {
  if (v <= 0) return `${name} < 1e-300`;
  if (v < 1e-4) return `${name} = ${v.toExponential(1)}`;
  return `${name} = ${Number(v.toPrecision(2))}`;
}

/** "2001-06-04 to 2001-06-30" (the end is exclusive in the data; the last day shown is the day before). */
export function windowText(w: FindingWindow | null): string {
  if (!w) return 'the whole log';
  const day = 86_400_000;
  const end = w.end.length === 10 ? new Date(Date.parse(`${w.end}T00:00:00Z`) - day).toISOString().slice(0, 10) : w.end;
  return end === w.start ? w.start : `${w.start} to ${end}`;
}

/** The headline numbers of a finding, one line. */
export function evidenceLine(f: Finding): string {
  const e = f.evidence;
  const parts: string[] = [];
  const method = typeof e['method'] === 'string' ? METHOD_LABEL[e['method']] : undefined;
  const statistic = number(e['statistic']) ?? number(e['effect']);
  const elsewhere = number(e['elsewhere']);
  if (f.kind === 'missing-values' && number(e['share']) !== null)
    parts.push(`missing ${pct(number(e['share'])!)} against ${pct(number(e['baseline']) ?? 0)} in the reference`);
  else if (number(e['error']) !== null && number(e['baselineError']) !== null)
    parts.push(`error ${fmt(number(e['error'])!)} against ${fmt(number(e['baselineError'])!)} in the reference`);
  else if (f.kind === 'failing-slice' && number(e['value']) !== null)
    parts.push(`${String(e['metric'] ?? 'error')} ${fmt(number(e['value'])!)} against ${fmt(number(e['overall']) ?? 0)} overall`);
  else if (statistic !== null)
    parts.push(`${method ?? 'effect'} ${fmt(statistic)}${elsewhere !== null ? ` against ${fmt(elsewhere)} elsewhere` : ''}`);
  if (number(e['mean']) !== null && number(e['baselineMean']) !== null)
    parts.push(`mean ${fmt(number(e['baselineMean'])!)} → ${fmt(number(e['mean'])!)}`);
  const rows = number(e['rows']);
  const baseline = number(e['baseline_rows']) ?? number(e['rows_reference']);
  if (rows !== null) parts.push(`${fmt(rows)} rows${baseline !== null ? ` (${fmt(baseline)} in the baseline)` : ''}`);
  if (f.window) parts.push(windowText(f.window));
  const p = number(e['p_value']);
  const q = number(e['q_value']);
  if (p !== null) parts.push(pText('p', p));
  if (q !== null) parts.push(pText('q', q));
  return parts.join(' · ');
}

const SCOPE: Record<FindingPart['scope'], string> = {
  overall: 'over the whole log',
  segment: 'in the segment over the whole log',
  window: 'in all rows of the same time',
  'segment-window': 'in the segment at that time',
};

/** One place the finding was also measured in: "in the segment over the whole log (origin = ATL): effect 0.31, 2,982 rows". */
export function partText(p: FindingPart): string {
  const where = [SCOPE[p.scope], p.segment.length ? segmentText(p.segment) : '', p.window ? windowText(p.window) : '']
    .filter(Boolean)
    .join(', ');
  const e = p.evidence;
  const effect = number(e['statistic']) ?? number(e['effect']);
  const share = number(e['share']);
  const measured = share !== null && e['measure'] === 'missing' ? `missing ${pct(share)}` : effect !== null ? `effect ${fmt(effect)}` : '';
  return `${where}: ${[measured, `${fmt(p.rows)} rows`].filter(Boolean).join(', ')}`;
}

/** The severity as a word next to its number. */
export function severityWord(severity: number): string {
  return severity >= 80 ? 'high' : severity >= 50 ? 'medium' : 'low';
}
