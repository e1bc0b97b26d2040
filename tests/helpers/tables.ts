import { Bool, Float64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { Db } from '../../src/lib/db';

export type FixtureValue = number | string | boolean | null;

/** Fixture JSON writes NaN and ±inf as strings. */
export function decodeNumber(v: FixtureValue): number | null {
  if (v === null) return null;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

/** Creates a DuckDB table from columns of JS values through Arrow (which keeps NaN, ±inf and NULL apart). */
export async function createTable(
  db: Db,
  name: string,
  columns: Record<string, { kind: 'numerical' | 'categorical' | 'boolean'; values: ArrayLike<FixtureValue> }>,
) {
  const vectors: Record<string, Vector> = {};
  for (const [col, { kind, values }] of Object.entries(columns)) {
    const list = Array.from(values);
    if (kind === 'numerical') {
      const decoded = list.map(decodeNumber);
      vectors[col] = decoded.includes(null)
        ? vectorFromArray(decoded, new Float64())
        : vectorFromArray(Float64Array.from(decoded as number[]));
    } else if (kind === 'boolean') vectors[col] = vectorFromArray(list as (boolean | null)[], new Bool());
    else
      vectors[col] = vectorFromArray(
        list.map((v) => (v === null ? null : String(v))),
        new Utf8(),
      );
  }
  await db.query(`DROP TABLE IF EXISTS "${name}"`);
  await db.insertArrowStream(name, tableToIPC(new Table(vectors), 'stream'));
}
