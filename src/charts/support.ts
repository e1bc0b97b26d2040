import { DEFAULT_MIN_SUPPORT } from '../lib/support';
import { formatCount } from './format';

export { DEFAULT_MIN_SUPPORT };

/**
 * Minimum support: a window, cell or bin with fewer rows than this is drawn grey, never coloured by its
 * value and never part of a scale's domain, so two rows on the last day of a log cannot set the colour
 * scale or dwarf the real drift.
 */
export function minSupportOf(minSupport: number | undefined): number {
  return minSupport !== undefined && Number.isFinite(minSupport) && minSupport >= 1 ? minSupport : DEFAULT_MIN_SUPPORT;
}

/**
 * The legend line of a chart that greyed `count` items (none greyed: no line), e.g. "Grey: fewer than 100
 * rows (2 windows), too few to trust: left out of the scale."
 */
export function supportCaption(
  minSupport: number,
  count: number,
  what: [one: string, many: string],
  o: { rows?: string; consequence?: string } = {},
): string | null {
  if (count === 0) return null;
  return `Grey: fewer than ${formatCount(minSupport)} ${o.rows ?? 'rows'} (${formatCount(count)} ${count === 1 ? what[0] : what[1]}), too few to trust: ${o.consequence ?? 'left out of the scale'}.`;
}

/** [min, max] of the finite values, or null when there are none. */
export function extent(values: Iterable<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** Joins caption lines into the one caption Plot shows under a chart. */
export function captionOf(lines: (string | null | undefined | false)[]): string | undefined {
  const kept = lines.filter((l): l is string => typeof l === 'string' && l.length > 0);
  return kept.length ? kept.join(' ') : undefined;
}
