import type { Db } from '../db';
import type { RoleMap } from '../roles';
import { countRows, type ColumnInfo } from '../schema';
import { asIs, ident, join, num, oneOf, raw, rowsOf, select, sql, type Sql, type SqlLike } from '../sql';

export type PredicateValue = string | number | boolean | null | [number, number];

/** One condition of a slice, in the CLI's JSON shape: `{"column": "timestamp.month", "op": "=", "value": 5}`. */
export interface SlicePredicate {
  column: string;
  /** "=" a value; "is null"; "<" / ">=" a quantile edge; "between" [lo, hi) for a middle quantile bin. */
  op: '=' | 'is null' | '<' | '>=' | 'between';
  value: PredicateValue;
}

export interface DimensionValue {
  /** 1-based code of this value in the dimension's code expression. */
  code: number;
  predicate: SlicePredicate;
  /** SQL condition selecting the rows of this value (text: see Dimension). */
  where: string;
  /** Short text for tables and charts. */
  label: string;
}

/**
 * A slicing dimension: a categorical column, a numeric column cut at its quantiles, or a part of the
 * timestamp (`timestamp.month`, `.week`, `.day_of_week`, `.hour`). `codeSql` maps each row to the code of
 * its value, 0 when the value is not offered as a slice (a rare category beyond the top values). Its SQL
 * is text written by the builders here: a dimension travels to the slice-search worker, and structured
 * cloning keeps a string but not an `Sql` (read it back with `raw`).
 */
export interface Dimension {
  name: string;
  kind: 'categorical' | 'quantile' | 'time';
  codeSql: string;
  values: DimensionValue[];
  /**
   * Quantile bins only: the DOUBLE value expression, the ascending edges and the code of NULL (0 when none),
   * so that a pull can read the value and bin it in JS (`encode.ts`) with the codes `codeSql` gives.
   */
  bins?: { sql: string; edges: number[]; nullCode: number };
}

export interface DimensionOptions {
  /** Most frequent values kept per categorical column; the rest are not sliced on. */
  maxValues?: number;
  /** Quantile bins for numeric columns with many distinct values. */
  bins?: number;
  /** Timestamp column and its TIMESTAMP expression, for the derived time dimensions. */
  timestamp?: { column: string; sql: SqlLike };
  signal?: AbortSignal;
}

function codeCase(values: { where: Sql; code: number }[]): Sql {
  return sql`(CASE ${join(
    values.map((v) => sql`WHEN ${v.where} THEN ${v.code}`),
    ' ',
  )} ELSE 0 END)`;
}

/**
 * The same codes as codeCase for a VARCHAR column's top values, by one `list_position` (a search in a
 * list of strings inside DuckDB) instead of up to 50 `=` tests a row: about 40% less time to encode ten
 * string columns of 1M rows (decision 0402). A NULL among the top values keeps its own code.
 */
function codeListPosition(c: Sql, values: DimensionValue[]): Sql {
  const named = values.filter((v) => v.predicate.op === '=');
  const missing = values.find((v) => v.predicate.op === 'is null');
  const position = sql`list_position([${named.map((v) => v.predicate.value as string)}], ${c})`;
  const inOrder = named.every((v, i) => v.code === i + 1);
  const code = inOrder ? position : sql`[${named.map((v) => v.code)}][${position}]`;
  return missing ? sql`(CASE WHEN ${c} IS NULL THEN ${missing.code} ELSE coalesce(${code}, 0) END)` : sql`coalesce(${code}, 0)`;
}

/** A categorical column's most frequent values (NULL last among equal counts), one more than are kept. */
export function topCategoriesSql(table: string, column: string, maxValues: number) {
  return select(
    { value: asIs(ident(column)), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(table)} GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST LIMIT ${maxValues + 1}`,
  );
}

/** A column's approximate number of distinct values (HyperLogLog). */
export function approxDistinctSql(table: string, column: string) {
  return select({ distinct: num(sql`approx_count_distinct(${ident(column)})::DOUBLE`, 0) }, sql`FROM ${ident(table)}`);
}

async function categorical(
  db: Db,
  table: string,
  column: ColumnInfo,
  rows: number,
  options: DimensionOptions,
): Promise<Dimension | undefined> {
  const c = ident(column.name);
  const maxValues = options.maxValues ?? 50;
  const counts = await rowsOf(db, topCategoriesSql(table, column.name, maxValues), options);
  if (counts.length < 2) return undefined;
  if (counts.length > maxValues) {
    // An id-like column (most values unique) says nothing about segments.
    if ((await oneOf(db, approxDistinctSql(table, column.name), options)).distinct > rows / 2) return undefined;
  }
  const values = counts.slice(0, maxValues).map(({ value: found }, i) => {
    if (found === null)
      return {
        code: i + 1,
        predicate: { column: column.name, op: 'is null' as const, value: null },
        where: sql`${c} IS NULL`,
        label: `${column.name} is missing`,
      };
    const value = found instanceof Date ? found.toISOString() : found;
    return {
      code: i + 1,
      predicate: { column: column.name, op: '=' as const, value },
      where: sql`${c} = ${value}`,
      label: `${column.name} = ${String(value)}`,
    };
  });
  const asText = values.map((v) => ({ ...v, where: v.where.text }));
  const codeSql = column.kind === 'string' ? codeListPosition(c, asText) : codeCase(values);
  return { name: column.name, kind: 'categorical', codeSql: codeSql.text, values: asText };
}

/** The edges that cut a numeric column into `bins` quantile bins (one row per edge, with repeats). */
export function quantileEdgesSql(table: string, column: string, bins: number) {
  const x = sql`CAST(${ident(column)} AS DOUBLE)`;
  const probs = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
  // One row per edge (lists cross the Db boundary as text, so unnest them in SQL).
  return select({ edge: num(sql`unnest(quantile_disc(${x}, [${probs}]))::DOUBLE`, 0) }, sql`FROM ${ident(table)} WHERE isfinite(${x})`);
}

async function quantiles(
  db: Db,
  table: string,
  column: ColumnInfo,
  bins: number,
  nulls: number,
  options: DimensionOptions,
): Promise<Dimension | undefined> {
  const c = ident(column.name);
  const x = sql`CAST(${c} AS DOUBLE)`;
  const q = await rowsOf(db, quantileEdgesSql(table, column.name, bins), options);
  const edges = [...new Set(q.map((r) => r.edge).filter(Number.isFinite))].sort((a, b) => a - b);
  if (edges.length === 0) return undefined;
  const values: { code: number; predicate: SlicePredicate; where: Sql; label: string }[] = [];
  const fmt = (v: number) => String(Number(v.toPrecision(6)));
  for (let i = 0; i <= edges.length; i++) {
    const lo = edges[i - 1];
    const hi = edges[i];
    const code = i + 1;
    if (lo === undefined)
      values.push({
        code,
        predicate: { column: column.name, op: '<', value: hi! },
        where: sql`${x} < ${hi!}`,
        label: `${column.name} < ${fmt(hi!)}`,
      });
    else if (hi === undefined)
      values.push({
        code,
        predicate: { column: column.name, op: '>=', value: lo },
        where: sql`${x} >= ${lo}`,
        label: `${column.name} ≥ ${fmt(lo)}`,
      });
    else
      values.push({
        code,
        predicate: { column: column.name, op: 'between', value: [lo, hi] },
        where: sql`${x} >= ${lo} AND ${x} < ${hi}`,
        label: `${fmt(lo)} ≤ ${column.name} < ${fmt(hi)}`,
      });
  }
  if (nulls > 0)
    values.push({
      code: values.length + 1,
      predicate: { column: column.name, op: 'is null', value: null },
      where: sql`${c} IS NULL`,
      label: `${column.name} is missing`,
    });
  const nullCode = nulls > 0 ? values.length : 0;
  return {
    name: column.name,
    kind: 'quantile',
    codeSql: codeCase(values).text,
    values: values.map((v) => ({ ...v, where: v.where.text })),
    bins: { sql: x.text, edges, nullCode },
  };
}

/** Parts of the timestamp offered as dimensions: DuckDB's date part functions (written here, not taken from data). */
const TIME_PARTS = [
  { part: 'month', fn: raw('month'), from: 1, to: 12 },
  { part: 'week', fn: raw('week'), from: 1, to: 53 },
  { part: 'day_of_week', fn: raw('isodow'), from: 1, to: 7 },
  { part: 'hour', fn: raw('hour'), from: 0, to: 23 },
] as const;

/** How many distinct values each part of the timestamp takes. */
export function timePartsSql(table: string, ts: SqlLike) {
  const t = raw(ts);
  return select({ distinct: TIME_PARTS.map((p) => num(sql`count(DISTINCT ${p.fn}(${t}))::DOUBLE`, 0)) }, sql`FROM ${ident(table)}`);
}

/** Month, ISO week, ISO day of week (Monday = 1) and hour of the timestamp, each where the data has more than one value. */
async function timeDimensions(
  db: Db,
  table: string,
  ts: { column: string; sql: SqlLike },
  options: DimensionOptions,
): Promise<Dimension[]> {
  const { distinct } = await oneOf(db, timePartsSql(table, ts.sql), options);
  const t = raw(ts.sql);
  const out: Dimension[] = [];
  for (const [j, p] of TIME_PARTS.entries()) {
    if (distinct[j]! < 2) continue;
    const name = `${ts.column}.${p.part}`;
    const values: DimensionValue[] = [];
    for (let v = p.from; v <= p.to; v++) {
      values.push({
        code: v - p.from + 1,
        predicate: { column: name, op: '=', value: v },
        where: sql`${p.fn}(${t}) = ${v}`.text,
        label: `${name} = ${v}`,
      });
    }
    out.push({ name, kind: 'time', codeSql: sql`coalesce(CAST(${p.fn}(${t}) AS INTEGER) - ${p.from} + 1, 0)`.text, values });
  }
  return out;
}

/** Per numeric column: the approximate distinct count and the NULLs, one scan. */
export function numericSummariesSql(table: string, columns: readonly string[]) {
  return select(
    {
      approxDistinct: columns.map((c) => num(sql`approx_count_distinct(${ident(c)})::DOUBLE`, 0)),
      nulls: columns.map((c) => num(sql`count(*) FILTER (WHERE ${ident(c)} IS NULL)::DOUBLE`, 0)),
    },
    sql`FROM ${ident(table)}`,
  );
}

/** A column's exact number of distinct values. */
export function distinctCountSql(table: string, column: string) {
  return select({ distinct: num(sql`count(DISTINCT ${ident(column)})::DOUBLE`, 0) }, sql`FROM ${ident(table)}`);
}

/**
 * Per numeric column, whether it has at most `few` distinct values (then its values are categories) and
 * how many NULLs it has, from one scan: HyperLogLog's estimate (`approx_count_distinct`) settles every
 * column far above `few` (a relative error of a few percent cannot turn 100x `few` into `few`), and the
 * exact `count(DISTINCT)` - a hash of every value, ~0.2 s per 1M-row column - runs only for the rest.
 * `distinct` is exact whenever it is <= 100x `few`; above that it is the estimate.
 */
async function numericSummaries(
  db: Db,
  table: string,
  columns: ColumnInfo[],
  few: number,
  options: DimensionOptions,
): Promise<Map<string, { distinct: number; nulls: number }>> {
  const out = new Map<string, { distinct: number; nulls: number }>();
  if (columns.length === 0) return out;
  const r = await oneOf(
    db,
    numericSummariesSql(
      table,
      columns.map((c) => c.name),
    ),
    options,
  );
  for (const [i, c] of columns.entries()) {
    let distinct = r.approxDistinct[i]!;
    if (distinct <= 100 * few) distinct = (await oneOf(db, distinctCountSql(table, c.name), options)).distinct;
    out.set(c.name, { distinct, nulls: r.nulls[i]! });
  }
  return out;
}

/** Roles whose columns describe the rows (and so can define a segment). */
const SLICEABLE = new Set(['feature', 'segment']);

/**
 * The slicing dimensions of a table: feature and segment columns (strings, booleans and numbers with few
 * values as categories; other numbers by quantile bins), plus parts of the timestamp.
 */
export async function sliceDimensions(
  db: Db,
  table: string,
  columns: ColumnInfo[],
  roles: RoleMap,
  options: DimensionOptions = {},
): Promise<Dimension[]> {
  const rows = await countRows(db, table, options.signal);
  const bins = options.bins ?? 5;
  const few = Math.max(bins, 10);
  const sliceable = columns.filter((c) => SLICEABLE.has(roles[c.name] ?? 'feature'));
  const numeric = await numericSummaries(
    db,
    table,
    sliceable.filter((c) => c.kind === 'numeric'),
    few,
    options,
  );
  const out: Dimension[] = [];
  for (const column of sliceable) {
    if (column.kind === 'string' || column.kind === 'boolean') {
      const d = await categorical(db, table, column, rows, options);
      if (d) out.push(d);
    } else if (column.kind === 'numeric') {
      const { distinct, nulls } = numeric.get(column.name)!;
      const dim =
        distinct <= few ? await categorical(db, table, column, rows, options) : await quantiles(db, table, column, bins, nulls, options);
      if (dim) out.push(dim);
    }
  }
  if (options.timestamp) out.push(...(await timeDimensions(db, table, options.timestamp, options)));
  return out;
}

/** The dimension named `name` (a column or `<timestamp>.<part>`), for `--by`. */
export function findDimension(dimensions: Dimension[], name: string): Dimension | undefined {
  return dimensions.find((d) => d.name === name);
}
