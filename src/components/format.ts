/** Display formatting shared by the views. Numbers are formatted, never rounded in the data. */
const integer = new Intl.NumberFormat('en-US');
// Formatters are costly to build; one per style, reused for every cell.
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 5 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatShare(share: number): string {
  if (share === 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return integer.format(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return x.toExponential(3);
  return significant.format(x);
}

/** Temporal values travel as epoch milliseconds; shown in UTC so every analyst sees the same text. */
export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '');
}

export function formatCell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return formatTime(value.getTime());
  if (typeof value === 'number') {
    if (/^(DATE|TIMESTAMP)/.test(type)) return type === 'DATE' ? formatTime(value).slice(0, 10) : formatTime(value);
    return formatNumber(value);
  }
  return String(value);
}
