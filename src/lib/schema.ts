import type { Db } from './db';
import { ident, num, oneOf, raw, rowsOf, select, sql, str, text } from './sql';

/** How the analyses treat a column, derived from its DuckDB type. */
export type ColumnKind = 'numeric' | 'boolean' | 'temporal' | 'string' | 'other';

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP. */
  type: string;
  kind: ColumnKind;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const TEMPORAL = /^(DATE|TIME.*|TIMESTAMP.*)$/;

export function kindOfType(type: string): ColumnKind {
  if (NUMERIC.test(type)) return 'numeric';
  if (type === 'BOOLEAN') return 'boolean';
  if (TEMPORAL.test(type)) return 'temporal';
  if (type === 'VARCHAR') return 'string';
  return 'other';
}

export async function describeTable(db: Db, table: string): Promise<ColumnInfo[]> {
  const q = select(
    { name: str(raw('column_name')), type: str(raw('data_type')) },
    sql`FROM information_schema.columns WHERE table_name = ${table} ORDER BY ordinal_position`,
  );
  return (await rowsOf(db, q)).map(({ name, type }) => ({ name, type, kind: kindOfType(type) }));
}

export async function countRows(db: Db, table: string, signal?: AbortSignal): Promise<number> {
  return (await oneOf(db, select({ n: num(raw('count(*)::DOUBLE'), 0) }, sql`FROM ${ident(table)}`), { signal })).n;
}

/** Drops a table or a view by name, whichever it is (DuckDB refuses DROP TABLE on a view). */
export async function dropRelation(db: Db, name: string): Promise<void> {
  const [relation] = await rowsOf(
    db,
    select({ type: text(raw('table_type')) }, sql`FROM information_schema.tables WHERE table_name = ${name}`),
  );
  if (!relation) return;
  await db.query(sql`DROP ${raw(relation.type === 'VIEW' ? 'VIEW' : 'TABLE')} IF EXISTS ${ident(name)}`.text);
}
