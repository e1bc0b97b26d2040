/** Numbers in the evidence sentences: counts with separators, shares as percentages, metrics to 4 digits. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function share(x: number): string {
  if (x === 0) return '0%';
  const p = x * 100;
  return `${Math.abs(p) < 0.1 ? p.toPrecision(2) : p.toFixed(1)}%`;
}

export function metric(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

export function quoted(names: readonly string[], max = 4): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  return shown.join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}
