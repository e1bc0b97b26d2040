import { tableFromIPC, type Table } from 'apache-arrow';

/** A cell as CSV text: RFC 4180 quoting, ISO times, empty for NULL, BigInt and numbers as JS prints them. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number')
    text = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Uint8Array) text = Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  else if (typeof value === 'object') text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  else text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A query result as CSV text with a header. Arrow's own value conversion is used per column, so
 * timestamps come out as UTC ISO times and lists or structs as JSON.
 */
export function csvFromTable(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i)!);
  const lines = [names.map(cell).join(',')];
  for (let r = 0; r < table.numRows; r++) {
    const values = columns.map((c) => {
      const v: unknown = c.get(r);
      // Arrow timestamps and dates come back as epoch milliseconds.
      const type = String(c.type);
      if (v !== null && (type.startsWith('Timestamp') || type.startsWith('Date')) && typeof v === 'number') return cell(new Date(v));
      if (v !== null && typeof v === 'object' && 'toJSON' in (v as object)) return cell((v as { toJSON(): unknown }).toJSON());
      return cell(v);
    });
    lines.push(values.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function csvFromIpc(ipc: Uint8Array): string {
  return csvFromTable(tableFromIPC(ipc));
}
