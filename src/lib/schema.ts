import type { Db } from './db';
import { ident, literal } from './sql';

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
  const rows = await db.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${literal(table)} ORDER BY ordinal_position`,
  );
  return rows.map((r) => {
    const type = String(r['data_type']);
    return { name: String(r['column_name']), type, kind: kindOfType(type) };
  });
}

export async function countRows(db: Db, table: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)}`);
  return Number(row?.['n'] ?? 0);
}

/** Drops a table or a view by name, whichever it is (DuckDB refuses DROP TABLE on a view). */
export async function dropRelation(db: Db, name: string): Promise<void> {
  const [row] = await db.query(`SELECT table_type AS t FROM information_schema.tables WHERE table_name = ${literal(name)}`);
  if (!row) return;
  await db.query(`DROP ${row['t'] === 'VIEW' ? 'VIEW' : 'TABLE'} IF EXISTS ${ident(name)}`);
}
