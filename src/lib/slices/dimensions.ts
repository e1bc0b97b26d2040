import type { Db } from '../db';
import { columnsPerQuery } from '../drift/sides';
import { keepFirst } from '../keepFirst';
import type { RoleMap } from '../roles';
import { countRows, type ColumnInfo } from '../schema';
import { asIs, ident, join, num, numOrNull, oneOf, raw, rowsOf, select, sql, type Sql, type SqlLike } from '../sql';

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
  // As text: the code is also read on another table (the training data) where the column may hold numbers.
  const position = sql`list_position([${named.map((v) => v.predicate.value as string)}], CAST(${c} AS VARCHAR))`;
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

/**
 * The edges that cut each listed numeric column into `bins` quantile bins, one scan for all: one row per
 * edge (lists cross the Db boundary as text, so they are unnested in SQL, side by side), NULL for a
 * column without a finite value.
 */
export function quantileEdgesSql(table: string, columns: readonly string[], bins: number) {
  const probs = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
  const edges = columns.map((column) => {
    const x = sql`CAST(${ident(column)} AS DOUBLE)`;
    return numOrNull(sql`unnest(quantile_disc(CASE WHEN isfinite(${x}) THEN ${x} END, [${probs}]))::DOUBLE`);
  });
  return select({ edge: edges }, sql`FROM ${ident(table)}`);
}

/**
 * `columns` in batches of as many as `rows` rows allow per query (the drift's budget of values per query):
 * quantiles and exact distinct counts keep every value of a column, so a wide table of few rows is
 * summarised in one scan and a long one a few columns at a time.
 */
function batchesOf<T>(columns: readonly T[], rows: number): T[][] {
  const size = columnsPerQuery(rows);
  return Array.from({ length: Math.ceil(columns.length / size) }, (_, i) => columns.slice(i * size, (i + 1) * size));
}

/** Ascending distinct finite quantile edges of each listed column (an empty list when it has none). */
async function quantileEdges(
  db: Db,
  table: string,
  columns: readonly string[],
  bins: number,
  rows: number,
  options: DimensionOptions,
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const batch of batchesOf(columns, rows)) {
    const found = await rowsOf(db, quantileEdgesSql(table, batch, bins), options);
    batch.forEach((column, i) => {
      const edges = found.map((r) => r.edge[i]).filter((e): e is number => typeof e === 'number' && Number.isFinite(e));
      out.set(
        column,
        [...new Set(edges)].sort((a, b) => a - b),
      );
    });
  }
  return out;
}

function quantiles(column: ColumnInfo, edges: readonly number[], nulls: number): Dimension | undefined {
  const c = ident(column.name);
  const x = sql`CAST(${c} AS DOUBLE)`;
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
    bins: { sql: x.text, edges: [...edges], nullCode },
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

/** Each listed column's exact number of distinct values, one scan. */
export function distinctCountsSql(table: string, columns: readonly string[]) {
  return select({ distinct: columns.map((c) => num(sql`count(DISTINCT ${ident(c)})::DOUBLE`, 0)) }, sql`FROM ${ident(table)}`);
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
  rows: number,
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
  for (const [i, c] of columns.entries()) out.set(c.name, { distinct: r.approxDistinct[i]!, nulls: r.nulls[i]! });
  const near = columns.filter((c) => out.get(c.name)!.distinct <= 100 * few).map((c) => c.name);
  for (const batch of batchesOf(near, rows)) {
    const exact = await oneOf(db, distinctCountsSql(table, batch), options);
    batch.forEach((name, i) => (out.get(name)!.distinct = exact.distinct[i]!));
  }
  return out;
}

/** Roles whose columns describe the rows (and so can define a segment). */
const SLICEABLE = new Set(['feature', 'segment']);

/**
 * Columns sliced on at most. Each is a query or two to cut into values and a code column in every slice
 * pull; 10,000 of them planned one summary query into an out-of-memory kill, and a search over thousands
 * of columns ranks chance. Past this, the columns marked as segments come first, then text and flags
 * (named groups), then numbers, each in file order.
 */
export const MAX_SLICE_COLUMNS = 200;

/** The columns a table is sliced on, and a note for the user when some were left out. */
export function sliceableColumns(columns: readonly ColumnInfo[], roles: RoleMap): { columns: ColumnInfo[]; note?: string } {
  const sliceable = columns.filter(
    (c) => SLICEABLE.has(roles[c.name] ?? 'feature') && (c.kind === 'string' || c.kind === 'boolean' || c.kind === 'numeric'),
  );
  if (sliceable.length <= MAX_SLICE_COLUMNS) return { columns: sliceable };
  const rank = (c: ColumnInfo) => (roles[c.name] === 'segment' ? 0 : c.kind === 'numeric' ? 2 : 1);
  return {
    columns: keepFirst(sliceable, MAX_SLICE_COLUMNS, (a, b) => rank(a) - rank(b)),
    note: `The data has ${sliceable.length.toLocaleString('en-US')} columns to slice by; slices are searched over ${MAX_SLICE_COLUMNS} of them (segments first, then text and flags, then numbers). Mark the columns to slice by as segments in the Data view.`,
  };
}

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
  const sliceable = sliceableColumns(columns, roles).columns;
  const numeric = await numericSummaries(
    db,
    table,
    sliceable.filter((c) => c.kind === 'numeric'),
    few,
    rows,
    options,
  );
  const binned = sliceable.filter((c) => c.kind === 'numeric' && numeric.get(c.name)!.distinct > few).map((c) => c.name);
  const edges = await quantileEdges(db, table, binned, bins, rows, options);
  const out: Dimension[] = [];
  for (const column of sliceable) {
    const cut = edges.get(column.name);
    const dim = cut ? quantiles(column, cut, numeric.get(column.name)!.nulls) : await categorical(db, table, column, rows, options);
    if (dim) out.push(dim);
  }
  if (options.timestamp) out.push(...(await timeDimensions(db, table, options.timestamp, options)));
  return out;
}

/** The dimension named `name` (a column or `<timestamp>.<part>`), for `--by`. */
export function findDimension(dimensions: Dimension[], name: string): Dimension | undefined {
  return dimensions.find((d) => d.name === name);
}
