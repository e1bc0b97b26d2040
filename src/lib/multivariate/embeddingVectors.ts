/**
 * Drift of one embedding between two tables: the vectors are read from DuckDB as one DOUBLE column per
 * dimension (Arrow, columnar), rows with a NULL vector or a NULL / NaN / infinite number left out, and
 * handed to embeddingDriftStats. Vectors travel to this thread, so more than MAX_VECTOR_VALUES numbers a
 * side need a sample the user asks for (DuckDB's seeded reservoir sample), never a silent one.
 */
import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { ident, join, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { EMBEDDING_SEED, embeddingDriftStats, type EmbeddingDriftOptions, type EmbeddingDriftStats } from './embeddingDrift';
import type { EmbeddingColumn } from './embeddingColumns';

/** Numbers a side moved to the analysis thread without a sample (40 MB of doubles). */
export const MAX_VECTOR_VALUES = 5_000_000;

export interface EmbeddingRequest {
  /** At most this many vectors a side, drawn with a seed; all of them when left out. */
  sample?: number;
  seed?: number;
  permutations?: number;
}

export interface EmbeddingColumnOptions extends EmbeddingRequest {
  /** Numbers a side moved without a sample (MAX_VECTOR_VALUES). */
  maxValues?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface EmbeddingColumnDrift extends EmbeddingDriftStats {
  embedding: EmbeddingColumn;
  /** The sample size per side when the vectors were sampled. */
  sampled: number | null;
  /** Rows left out per side: a NULL vector, or a NULL / NaN / infinite number in it. */
  skipped: { reference: number; current: number };
  /** Evidently's verdict: the domain classifier's, or the distance's when no classifier could be trained. */
  drifted: boolean;
}

/** The d numbers of a row as columns d0..d(n-1), and the condition that all are finite. */
function dimensions(e: EmbeddingColumn, dims: number): { values: Sql[]; from: Sql } {
  const alias = (j: number) => ident(`d${j}`);
  if (e.source === 'prefix') return { values: e.columns.map((c, j) => sql`CAST(${ident(c)} AS DOUBLE) AS ${alias(j)}`), from: sql`` };
  const v = ident(e.columns[0]!);
  return {
    values: Array.from({ length: dims }, (_, j) => sql`CAST(${v}[${j + 1}] AS DOUBLE) AS ${alias(j)}`),
    from: sql` WHERE ${v} IS NOT NULL AND len(${v}) = ${dims}`,
  };
}

function vectorsSql(table: string, e: EmbeddingColumn, dims: number): Sql {
  const { values, from } = dimensions(e, dims);
  const finite = join(
    Array.from({ length: dims }, (_, j) => sql`isfinite(${ident(`d${j}`)})`),
    ' AND ',
  );
  return sql`SELECT * FROM (SELECT ${join(values, ', ')} FROM ${ident(table)}${from}) WHERE ${finite}`;
}

/** A list's length, the same in every row of both sides (or a clear message). */
async function listDims(db: Db, tables: { reference: string; current: string }, e: EmbeddingColumn, signal?: AbortSignal): Promise<number> {
  const v = ident(e.columns[0]!);
  const side = (t: string) => sql`SELECT len(${v}) AS n FROM ${ident(t)} WHERE ${v} IS NOT NULL`;
  const q = select(
    { lo: num(raw('min(n)::DOUBLE')), hi: num(raw('max(n)::DOUBLE')) },
    sql`FROM (${side(tables.reference)} UNION ALL ${side(tables.current)})`,
  );
  const { lo, hi } = await oneOf(db, q, { signal });
  if (!Number.isFinite(lo)) throw new LanternError('no-rows', `"${e.name}" has no vectors on either side.`);
  if (lo !== hi)
    throw new LanternError(
      'usage',
      `The vectors of "${e.name}" have ${lo} to ${hi} numbers: an embedding has the same number in every row.`,
    );
  if (lo < 1) throw new LanternError('usage', `The vectors of "${e.name}" are empty.`);
  return lo;
}

async function counts(db: Db, table: string, e: EmbeddingColumn, dims: number, signal?: AbortSignal) {
  const q = sql`SELECT (SELECT count(*) FROM ${ident(table)})::DOUBLE AS total, (SELECT count(*) FROM (${vectorsSql(table, e, dims)}))::DOUBLE AS kept`;
  const [row] = await db.query(q.text, { signal });
  return { total: Number(row?.['total'] ?? 0), kept: Number(row?.['kept'] ?? 0) };
}

async function vectors(
  db: Db,
  table: string,
  e: EmbeddingColumn,
  dims: number,
  sample: number | undefined,
  seed: number,
  signal?: AbortSignal,
): Promise<Float64Array> {
  const inner = vectorsSql(table, e, dims);
  const q =
    sample === undefined ? inner : sql`SELECT * FROM (${inner}) USING SAMPLE reservoir(${Math.floor(sample)} ROWS) REPEATABLE (${seed})`;
  const arrow = tableFromIPC(await db.queryArrow(q.text, { signal }));
  const rows = arrow.numRows;
  const out = new Float64Array(rows * dims);
  for (let j = 0; j < dims; j++) {
    const column = arrow.getChildAt(j)!;
    let i = 0;
    for (const batch of column.data) {
      const values = batch.values as Float64Array;
      for (let k = 0; k < batch.length; k++) out[(i + k) * dims + j] = values[batch.offset + k]!;
      i += batch.length;
    }
  }
  return out;
}

export async function embeddingColumnDrift(
  db: Db,
  tables: { reference: string; current: string },
  embedding: EmbeddingColumn,
  options: EmbeddingColumnOptions = {},
): Promise<EmbeddingColumnDrift> {
  const { signal, sample } = options;
  const seed = options.seed ?? EMBEDDING_SEED;
  if (sample !== undefined && !(Number.isInteger(sample) && sample >= 2))
    throw new LanternError('usage', `An embedding sample needs a whole number of at least 2 vectors, got ${sample}.`);
  const total = 6;
  const progress = (done: number) => options.onProgress?.(done, total);
  const dims = embedding.dims ?? (await listDims(db, tables, embedding, signal));
  const ref = await counts(db, tables.reference, embedding, dims, signal);
  const cur = await counts(db, tables.current, embedding, dims, signal);
  if (sample === undefined) {
    const most = Math.max(ref.kept, cur.kept);
    const max = options.maxValues ?? MAX_VECTOR_VALUES;
    if (most * dims > max) {
      const fits = Math.floor(max / dims);
      throw new LanternError(
        'too-large',
        `"${embedding.name}" has ${most.toLocaleString('en-US')} vectors of ${dims} numbers on one side, more than this tab moves at once: sample at most ${fits.toLocaleString('en-US')} vectors a side to compare them.`,
      );
    }
  }
  progress(1);
  const reference = await vectors(db, tables.reference, embedding, dims, sample, seed, signal);
  throwIfAborted(signal);
  const current = await vectors(db, tables.current, embedding, dims, sample, seed, signal);
  throwIfAborted(signal);
  progress(2);
  const statsOptions: EmbeddingDriftOptions = {
    seed,
    ...(options.permutations !== undefined ? { permutations: options.permutations } : {}),
    onProgress: (done) => {
      throwIfAborted(signal);
      progress(2 + done);
    },
  };
  const stats = embeddingDriftStats({ dims, reference, current }, statsOptions);
  const drifted = 'unavailable' in stats.model ? stats.distance.drifted : stats.model.drifted;
  return {
    ...stats,
    embedding: { ...embedding, dims },
    sampled: sample ?? null,
    skipped: { reference: ref.total - ref.kept, current: cur.total - cur.kept },
    drifted,
  };
}
