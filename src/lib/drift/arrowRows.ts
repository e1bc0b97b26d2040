import { tableFromIPC } from 'apache-arrow';
import type { Db, QueryOptions } from '../db';

/**
 * Runs SQL and returns named columns: DOUBLE columns as Float64Array, anything else as a plain array.
 * Value counts can have a million rows; typed arrays avoid building a million row objects.
 */
export async function queryColumns(db: Db, sql: string, options?: QueryOptions): Promise<Record<string, Float64Array | unknown[]>> {
  const table = tableFromIPC(await db.queryArrow(sql, options));
  const out: Record<string, Float64Array | unknown[]> = {};
  table.schema.fields.forEach((field, i) => {
    const vector = table.getChildAt(i)!;
    const values = vector.toArray() as unknown;
    out[field.name] =
      values instanceof Float64Array && vector.nullCount === 0 ? values : Array.from({ length: vector.length }, (_, r) => vector.get(r));
  });
  return out;
}

export function numbers(columns: Record<string, Float64Array | unknown[]>, name: string): Float64Array {
  const c = columns[name];
  if (c instanceof Float64Array) return c;
  return Float64Array.from((c ?? []) as number[], (v) => (v === null ? Number.NaN : Number(v)));
}
