/**
 * Integer inputs that are a part of the log's own timestamp (an hour, a weekday, a month): their drift
 * between periods is the calendar's, and cut by calendar windows they give cells of a few days.
 */
import type { Db } from '../db';
import type { ColumnInfo } from '../schema';
import { ident, num, oneOf, raw, select, sql } from '../sql';

/** Integer columns equal to a part of the timestamp (hour, day of week, month...): their drift follows the calendar. */
export async function calendarColumns(
  db: Db,
  table: string,
  ts: string,
  columns: ColumnInfo[],
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const parts = ['hour', 'isodow', 'dayofweek', 'day', 'month', 'week', 'dayofyear', 'quarter'];
  const candidates = columns.filter((c) => c.kind === 'numeric');
  const out = new Map<string, string>();
  if (candidates.length === 0) return out;
  const spec: Record<string, ReturnType<typeof num>> = {};
  candidates.forEach((c, i) =>
    parts.forEach((p, j) => {
      spec[`c${i}_${j}`] = num(sql`avg(CASE WHEN CAST(${ident(c.name)} AS DOUBLE) = ${raw(p)}(${raw(ts)}) THEN 1.0 ELSE 0.0 END)`, 0);
    }),
  );
  const r = await oneOf(db, select(spec, sql`FROM ${ident(table)} WHERE ${raw(ts)} IS NOT NULL`), { signal });
  candidates.forEach((c, i) => {
    const j = parts.findIndex((_, k) => r[`c${i}_${k}`]! >= 0.99);
    if (j >= 0) out.set(c.name, parts[j]!);
  });
  return out;
}
