import type { Interval, MetricValue } from '../../lib/metrics/value';

/** Numbers in the validation tables: 4 decimals, a dash for undefined. */
export function fixed(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4);
}

export function valueText(m: MetricValue): string {
  return m.defined ? fixed(m.value) : '—';
}

export function intervalText(i: Interval | null | undefined): string {
  return i ? `[${fixed(i.lo)}, ${fixed(i.hi)}]` : '';
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}
