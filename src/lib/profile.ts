import type { Db } from './db';
import type { ColumnInfo } from './schema';
import { ident, num, numOrNull, oneOf, raw, rowsOf, select, sql, str, type Sql } from './sql';

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: string;
  kind: ColumnInfo['kind'];
  rows: number;
  nulls: number;
  nullShare: number;
  distinct: number;
  /** Numeric and temporal columns (temporal as epoch milliseconds). */
  min?: number;
  max?: number;
  mean?: number;
  histogram?: HistogramBin[];
  /** String and boolean columns: the most frequent values. */
  top?: TopValue[];
}

const BINS = 20;
const TOP = 5;

/** Numbers the histogram can bin: temporal columns become epoch milliseconds, NaN and infinities are left out. */
function numericExpr(column: ColumnInfo): Sql {
  const c = ident(column.name);
  if (column.kind === 'temporal') return column.type === 'TIME' ? sql`(epoch_us(${c}) / 1000.0)` : sql`(epoch_ms(${c}::TIMESTAMP)::DOUBLE)`;
  return sql`(CASE WHEN isfinite(${c}::DOUBLE) THEN ${c}::DOUBLE END)`;
}

/** Row count and, per column, non-null and distinct counts, and the range and mean of numbers and times. */
export function profileSummarySql(table: string, columns: ColumnInfo[]) {
  const x = rangedColumns(columns).map(numericExpr);
  return select(
    {
      rows: num(raw('count(*)::DOUBLE'), 0),
      nonNull: columns.map((col) => num(sql`count(${ident(col.name)})::DOUBLE`, 0)),
      distinct: columns.map((col) => num(sql`count(DISTINCT ${ident(col.name)})::DOUBLE`, 0)),
      lo: x.map((e) => numOrNull(sql`min(${e})`)),
      hi: x.map((e) => numOrNull(sql`max(${e})`)),
      mean: x.map((e) => numOrNull(sql`avg(${e})`)),
    },
    sql`FROM ${ident(table)}`,
  );
}

/** The columns with a range and a mean in the summary (its `lo`, `hi` and `mean`, in this order). */
const rangedColumns = (columns: ColumnInfo[]) => columns.filter((col) => col.kind === 'numeric' || col.kind === 'temporal');

/** One GROUP BY on an integer bin index: the fast path for histograms in DuckDB-WASM (see docs/architecture.md). */
export function histogramSql(table: string, column: ColumnInfo, min: number, max: number, bins = BINS) {
  const x = numericExpr(column);
  const width = (max - min) / bins;
  return select(
    { bin: num(sql`least(${bins - 1}, floor((${x} - ${min}) / ${width}))::INTEGER`, 0), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(table)} WHERE ${x} IS NOT NULL GROUP BY bin ORDER BY bin`,
  );
}

export function topValuesSql(table: string, column: ColumnInfo, limit = TOP) {
  const c = ident(column.name);
  return select(
    { value: str(sql`${c}::VARCHAR`), n: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(table)} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${limit}`,
  );
}

/** Per-column summaries for the dataset card: null share, distinct count, range or top values, histogram. */
export async function profileColumns(db: Db, table: string, columns: ColumnInfo[], signal?: AbortSignal): Promise<ColumnProfile[]> {
  if (columns.length === 0) return [];
  const summary = await oneOf(db, profileSummarySql(table, columns), { signal });
  const rows = summary.rows;
  const ranged = new Map(rangedColumns(columns).map((col, j) => [col, j]));
  const profiles: ColumnProfile[] = [];
  for (const [i, col] of columns.entries()) {
    const nonNull = summary.nonNull[i]!;
    const profile: ColumnProfile = {
      name: col.name,
      type: col.type,
      kind: col.kind,
      rows,
      nulls: rows - nonNull,
      nullShare: rows === 0 ? 0 : (rows - nonNull) / rows,
      distinct: summary.distinct[i]!,
    };
    const j = ranged.get(col);
    const lo = j === undefined ? null : summary.lo[j]!;
    const hi = j === undefined ? null : summary.hi[j]!;
    if (lo !== null && hi !== null) {
      profile.min = lo;
      profile.max = hi;
      profile.mean = summary.mean[j!] ?? 0;
      profile.histogram = await histogram(db, table, col, lo, hi, signal);
    }
    if (col.kind === 'string' || col.kind === 'boolean' || col.kind === 'other')
      profile.top = (await rowsOf(db, topValuesSql(table, col), { signal })).map((r) => ({ value: r.value, count: r.n }));
    profiles.push(profile);
  }
  return profiles;
}

async function histogram(db: Db, table: string, col: ColumnInfo, min: number, max: number, signal?: AbortSignal): Promise<HistogramBin[]> {
  if (min === max) {
    const q = select({ n: num(raw('count(*)::DOUBLE'), 0) }, sql`FROM ${ident(table)} WHERE ${numericExpr(col)} IS NOT NULL`);
    return [{ x0: min, x1: max, count: (await oneOf(db, q, { signal })).n }];
  }
  const width = (max - min) / BINS;
  const counts = new Array<number>(BINS).fill(0);
  for (const r of await rowsOf(db, histogramSql(table, col, min, max), { signal })) counts[r.bin] = r.n;
  return counts.map((count, b) => ({ x0: min + b * width, x1: b === BINS - 1 ? max : min + (b + 1) * width, count }));
}
