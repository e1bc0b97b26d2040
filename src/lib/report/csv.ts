/**
 * CSV for every table (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled).
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a leading quote
 * mark (OWASP "CSV injection"), since column names and categories come from user files.
 */
export type Cell = string | number | boolean | null | undefined;

function field(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
