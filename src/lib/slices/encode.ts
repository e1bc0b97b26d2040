import { tableFromIPC, type Table, type Vector } from 'apache-arrow';
import type { Db } from '../db';
import { labelledSql, positiveSql, scoreSql, type PerfSpec } from '../metrics/spec';
import { ident, raw, sql, type Sql, type SqlLike } from '../sql';
import type { Dimension } from './dimensions';
import type { Codes } from './sliceline';

/** Columns of the Arrow pull, read back by these names: a dimension's code, the window, the error, the score and label. */
const dimension = (i: number) => `d${i}`;
const WINDOW = 'w';
const ERROR = 'e';
const SCORE = 's';
const LABEL = 'y';

export interface EncodedRows {
  codes: Codes[];
  cardinality: number[];
  errors: Float64Array;
  /** Optional per-row window index (0-based, in time order; -1 where the window is NULL) when a window expression is given. */
  window?: Int32Array;
  windowStarts?: number[];
}

/**
 * Pulls what slice analyses need and nothing else: one small integer code per dimension and the per-row
 * error, for labelled rows, through Arrow. Codes travel as UTINYINT (every dimension has at most ~55
 * values), so a million rows x 14 dimensions is 14 MB read straight into Uint8Arrays, not 56 MB of Int32.
 */
/** The same rows restricted to some dimensions (by index), and optionally without the window column. */
export function pickDimensions(rows: EncodedRows, indexes: number[], keepWindow = true): EncodedRows {
  const out: EncodedRows = {
    codes: indexes.map((i) => rows.codes[i]!),
    cardinality: indexes.map((i) => rows.cardinality[i]!),
    errors: rows.errors,
  };
  if (keepWindow && rows.window) {
    out.window = rows.window;
    if (rows.windowStarts) out.windowStarts = rows.windowStarts;
  }
  return out;
}

export async function encodeRows(
  db: Db,
  spec: PerfSpec,
  dims: Dimension[],
  errorSql: SqlLike,
  options: { windowSql?: SqlLike | undefined; where?: SqlLike | undefined; signal?: AbortSignal | undefined } = {},
): Promise<EncodedRows> {
  const e = sql`CAST(${raw(errorSql)} AS DOUBLE)`;
  const { rows, table } = await pullCodes(db, spec, dims, [sql`${e} AS ${ident(ERROR)}`], sql`isfinite(${e})`, options);
  rows.errors = Float64Array.from(table.getChild(ERROR)?.toArray() ?? []);
  return rows;
}

/**
 * A binary classifier's rows with their score and 0/1 label instead of an error: the codes do not depend on
 * the threshold, so a session pulls them once and `errorRateAt` gives the 0/1 error at any threshold in JS.
 */
export interface ScoredRows {
  rows: EncodedRows;
  score: Float64Array;
  y: Uint8Array;
}

export async function encodeScoredRows(
  db: Db,
  spec: PerfSpec,
  dims: Dimension[],
  options: { windowSql?: SqlLike | undefined; signal?: AbortSignal | undefined } = {},
): Promise<ScoredRows> {
  const s = scoreSql(spec);
  const { rows, table } = await pullCodes(
    db,
    spec,
    dims,
    [sql`${s} AS ${ident(SCORE)}`, sql`CAST(${positiveSql(spec)} AS UTINYINT) AS ${ident(LABEL)}`],
    sql`${s} IS NOT NULL`,
    options,
  );
  return {
    rows,
    score: Float64Array.from(table.getChild(SCORE)?.toArray() ?? []),
    y: Uint8Array.from(table.getChild(LABEL)?.toArray() ?? []),
  };
}

/**
 * The rows with their 0/1 error at a threshold, as rowErrorSql's error_rate computes it in DuckDB
 * (predicted positive when score >= threshold; DuckDB orders NaN above every number, so a NaN score is
 * predicted positive there and here).
 */
export function errorRateAt(scored: ScoredRows, threshold: number): EncodedRows {
  const { score, y } = scored;
  const errors = new Float64Array(score.length);
  for (let r = 0; r < score.length; r++) {
    const s = score[r]!;
    const predicted = s >= threshold || s !== s ? 1 : 0;
    errors[r] = predicted === y[r] ? 0 : 1;
  }
  return { ...scored.rows, errors };
}

/**
 * The codes `codeSql` gives a quantile dimension, from its DOUBLE values: 1 + the number of edges at or
 * below the value (x < e1 -> 1, e_k <= x < e_k+1 -> k + 1, x >= e_m -> m + 1), NULL -> its own code. DuckDB
 * orders NaN above every number, so NaN lands in the top bin there and here.
 */
export function binCodes(values: Vector, bins: NonNullable<Dimension['bins']>, bytes: boolean): Codes {
  const x = values.toArray() as Float64Array;
  const { edges, nullCode } = bins;
  const out = bytes
    ? binInto(new Uint8Array(x.length), x, Float64Array.from(edges))
    : binInto(new Int32Array(x.length), x, Float64Array.from(edges));
  // NULLs from each chunk's validity bitmap (Vector.isValid per row costs ~0.2 s a 1M-row column).
  let start = 0;
  for (const chunk of values.data) {
    const bitmap = chunk.nullBitmap;
    if (chunk.nullCount > 0 && bitmap) {
      for (let i = 0; i < chunk.length; i++) {
        const bit = chunk.offset + i;
        if (((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) out[start + i] = nullCode;
      }
    }
    start += chunk.length;
  }
  return out;
}

/** One loop per output type (a loop storing into either of two array types runs at half the speed). */
function binInto<T extends Uint8Array | Int32Array>(out: T, x: Float64Array, edges: Float64Array): T {
  const m = edges.length;
  for (let r = 0; r < x.length; r++) {
    const v = x[r]!;
    let k = 0;
    if (v !== v) k = m;
    else while (k < m && edges[k]! <= v) k++;
    out[r] = k + 1;
  }
  return out;
}

/**
 * Per row, the index of its window in time order (-1 where the window is NULL), and the windows' starts.
 * Rows of a log mostly come in time order, so a row usually repeats the previous row's window: that skips
 * the Map lookup (a Set and a Map over 1M starts cost ~0.3 s).
 */
function windowIndex(starts: Float64Array): { window: Int32Array; windowStarts: number[] } {
  const seen = new Map<number, number>();
  const ids = new Int32Array(starts.length);
  let last = NaN;
  let lastId = -1;
  for (let r = 0; r < starts.length; r++) {
    const s = starts[r]!;
    if (s === last) ids[r] = lastId;
    else if (s !== s) ids[r] = -1;
    else {
      let id = seen.get(s);
      if (id === undefined) seen.set(s, (id = seen.size));
      ids[r] = lastId = id;
      last = s;
    }
  }
  const windowStarts = [...seen.keys()].sort((a, b) => a - b);
  const rank = new Int32Array(seen.size);
  windowStarts.forEach((s, i) => (rank[seen.get(s)!] = i));
  for (let r = 0; r < ids.length; r++) if (ids[r]! >= 0) ids[r] = rank[ids[r]!]!;
  return { window: ids, windowStarts };
}

async function pullCodes(
  db: Db,
  spec: PerfSpec,
  dims: Dimension[],
  values: Sql[],
  filter: Sql,
  options: { windowSql?: SqlLike | undefined; where?: SqlLike | undefined; signal?: AbortSignal | undefined },
): Promise<{ rows: EncodedRows; table: Table }> {
  // Quantile bins travel as their DOUBLE values and are binned here: DuckDB-WASM evaluates the CASE of
  // range tests at ~120 ns a value, reading the doubles costs about half of that (decision 0402).
  const cols = dims.map((d, i) =>
    d.bins
      ? sql`${raw(d.bins.sql)} AS ${ident(dimension(i))}`
      : sql`CAST(${raw(d.codeSql)} AS ${raw(d.values.length < 256 ? 'UTINYINT' : 'INTEGER')}) AS ${ident(dimension(i))}`,
  );
  if (options.windowSql) cols.push(sql`CAST(epoch_ms(${raw(options.windowSql)}) AS DOUBLE) AS ${ident(WINDOW)}`);
  const where = options.where ? sql` AND (${raw(options.where)})` : raw('');
  const statement = sql`SELECT ${[...cols, ...values]} FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND ${filter}${where}`;
  const table = tableFromIPC(await db.queryArrow(statement.text, { signal: options.signal }));
  const codes = dims.map((d, i): Codes => {
    const child = table.getChild(dimension(i));
    if (d.bins && child) return binCodes(child, d.bins, d.values.length < 256);
    const column = child?.toArray() ?? [];
    return d.values.length < 256 ? Uint8Array.from(column) : Int32Array.from(column);
  });
  const out: EncodedRows = { codes, cardinality: dims.map((d) => d.values.length + 1), errors: new Float64Array(0) };
  if (options.windowSql) {
    const child = table.getChild(WINDOW);
    const starts = Float64Array.from(child?.toArray() ?? []);
    // Rows without a window (NULL timestamp) stay in: slice discovery uses them, window comparisons skip them.
    if (child && child.nullCount > 0) for (let r = 0; r < starts.length; r++) if (!child.isValid(r)) starts[r] = NaN;
    const { window, windowStarts } = windowIndex(starts);
    out.window = window;
    out.windowStarts = windowStarts;
  }
  return { rows: out, table };
}
