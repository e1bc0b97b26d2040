/**
 * Number and time text inside charts (tooltips, captions, cell labels). Every formatter names its locale
 * and dates are UTC, so a chart reads the same on every machine and its snapshot never depends on where
 * the test ran.
 */
const integer = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A share (0-1) as a percentage with one decimal: 0.333 -> "33.3%". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Four significant digits without a trailing exponent for everyday magnitudes. */
export function formatValue(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'undefined';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e9)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** Epoch milliseconds as UTC text: the day, or day and minute when the time of day matters. */
export function formatUtc(ms: number, withTime = false): string {
  const iso = new Date(ms).toISOString();
  return withTime ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10);
}
