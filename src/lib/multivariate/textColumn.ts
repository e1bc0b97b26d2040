/**
 * Drift of a text column between two tables: the texts are read from DuckDB (NULLs left out) and handed to
 * textDriftStats. Texts travel to this thread, so a column of more than MAX_TEXTS texts a side needs a
 * sample the user asks for (DuckDB's seeded reservoir sample) rather than a tab that runs out of memory.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { ident, sql } from '../sql';
import { TEXT_SEED, textDriftStats, type TextDriftStats } from './textDrift';

export const MAX_TEXTS = 100_000;

export interface TextColumnOptions {
  /** At most this many texts a side, drawn with a seed; all of them when left out. */
  sample?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface TextColumnDrift extends TextDriftStats {
  column: string;
  /** The sample size per side when the texts were sampled. */
  sampled: number | null;
}

async function texts(
  db: Db,
  table: string,
  column: string,
  sample: number | undefined,
  seed: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const from = sql`(SELECT CAST(${ident(column)} AS VARCHAR) AS t FROM ${ident(table)} WHERE ${ident(column)} IS NOT NULL)`;
  const q =
    sample === undefined
      ? sql`SELECT t FROM ${from}`
      : sql`SELECT t FROM ${from} USING SAMPLE reservoir(${Math.floor(sample)} ROWS) REPEATABLE (${seed})`;
  return (await db.query(q.text, { signal })).map((r) => String(r['t']));
}

export async function textColumnDrift(
  db: Db,
  tables: { reference: string; current: string },
  column: string,
  options: TextColumnOptions = {},
): Promise<TextColumnDrift> {
  const { signal, sample } = options;
  const seed = options.seed ?? TEXT_SEED;
  if (sample !== undefined && !(Number.isInteger(sample) && sample >= 2))
    throw new LanternError('usage', `A text sample needs a whole number of at least 2 texts, got ${sample}.`);
  if (sample === undefined) {
    const counts = sql`SELECT (SELECT count(${ident(column)}) FROM ${ident(tables.reference)})::DOUBLE AS r, (SELECT count(${ident(column)}) FROM ${ident(tables.current)})::DOUBLE AS c`;
    const [row] = await db.query(counts.text, { signal });
    const most = Math.max(Number(row?.['r'] ?? 0), Number(row?.['c'] ?? 0));
    if (most > MAX_TEXTS)
      throw new LanternError(
        'too-large',
        `"${column}" has ${most.toLocaleString('en-US')} texts on one side, more than ${MAX_TEXTS.toLocaleString('en-US')}: sample at most ${MAX_TEXTS.toLocaleString('en-US')} texts a side to compare them.`,
      );
  }
  const reference = await texts(db, tables.reference, column, sample, seed, signal);
  throwIfAborted(signal);
  const current = await texts(db, tables.current, column, sample, seed, signal);
  throwIfAborted(signal);
  const stats = textDriftStats(reference, current, { seed, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return { ...stats, column, sampled: sample ?? null };
}
