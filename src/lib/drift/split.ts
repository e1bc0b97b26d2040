/**
 * One dataset split by time into a reference window and a current window: two views over the same
 * table, rows before the split time and rows from it on. Rows without a readable timestamp are in
 * neither.
 */
import type { Db } from '../db';
import { textTimestampSql } from '../metrics/time';
import { ident, num, oneOf, select, sql } from '../sql';
import type { DriftTables } from './sql';

/** The two CREATE VIEW statements. */
export function splitByTimeSql(table: string, timestamp: string, splitMs: number, views: DriftTables): string[] {
  const t = sql`epoch_ms(${textTimestampSql(ident(timestamp))})`;
  return [
    sql`CREATE OR REPLACE VIEW ${ident(views.reference)} AS SELECT * FROM ${ident(table)} WHERE ${t} < ${splitMs}`.text,
    sql`CREATE OR REPLACE VIEW ${ident(views.current)} AS SELECT * FROM ${ident(table)} WHERE ${t} >= ${splitMs}`.text,
  ];
}

export async function splitByTime(db: Db, table: string, timestamp: string, splitMs: number): Promise<DriftTables> {
  const views = { reference: `${table}__before`, current: `${table}__after` };
  for (const statement of splitByTimeSql(table, timestamp, splitMs, views)) await db.query(statement);
  return views;
}

/** Rows of `table` whose time cannot be read: the split puts them in neither window. */
export async function rowsWithoutTime(db: Db, table: string, timestamp: string, signal?: AbortSignal): Promise<number> {
  const t = textTimestampSql(ident(timestamp));
  const q = select({ n: num(sql`(count(*) - count(${t}))::DOUBLE`, 0) }, sql`FROM ${ident(table)}`);
  return (await oneOf(db, q, { signal })).n;
}
