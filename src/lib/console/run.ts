/**
 * Running a console query: the result lands in a scratch table of the console's own (never a dataset),
 * which the virtualised table pages through, the chart reads and the exports encode, without running the
 * query again. Cancelling the run cancels DuckDB's query; the previous result stays.
 */
import type { Db } from '../db';
import { describeTable, dropRelation, type ColumnInfo } from '../schema';
import { ident, sql } from '../sql';
import { consoleQuerySql, type ConsoleTable } from './readOnly';

export interface ConsoleResult {
  /** The scratch table that holds the result. */
  table: string;
  columns: ColumnInfo[];
  rows: number;
  ms: number;
}

export async function runConsoleQuery(
  db: Db,
  input: { text: string; tables: readonly ConsoleTable[]; into: string },
  signal?: AbortSignal,
): Promise<ConsoleResult> {
  const query = consoleQuerySql(input.text, input.tables);
  const started = performance.now();
  const staging = `${input.into}__running`;
  await dropRelation(db, staging);
  try {
    await db.query(sql`CREATE TABLE ${ident(staging)} AS ${query}`.text, signal ? { signal } : undefined);
  } catch (error) {
    await dropRelation(db, staging).catch(() => undefined);
    throw error;
  }
  await dropRelation(db, input.into);
  await db.query(sql`ALTER TABLE ${ident(staging)} RENAME TO ${ident(input.into)}`.text);
  const [count] = await db.query(sql`SELECT count(*)::DOUBLE AS n FROM ${ident(input.into)}`.text);
  return {
    table: input.into,
    columns: await describeTable(db, input.into),
    rows: Number(count?.['n'] ?? 0),
    ms: performance.now() - started,
  };
}
