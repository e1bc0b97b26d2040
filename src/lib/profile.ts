import type { Db } from './db';
import type { ColumnInfo } from './schema';
import { ident, literal } from './sql';

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
function numericExpr(column: ColumnInfo): string {
  const c = ident(column.name);
  if (column.kind === 'temporal') return column.type === 'TIME' ? `(epoch_us(${c}) / 1000.0)` : `(epoch_ms(${c}::TIMESTAMP)::DOUBLE)`;
  return `(CASE WHEN isfinite(${c}::DOUBLE) THEN ${c}::DOUBLE END)`;
}

export function profileSummarySql(table: string, columns: ColumnInfo[]): string {
  const parts = columns.flatMap((col, i) => {
    const c = ident(col.name);
    const base = [`count(${c})::DOUBLE AS "n${i}"`, `count(DISTINCT ${c})::DOUBLE AS "d${i}"`];
    if (col.kind === 'numeric' || col.kind === 'temporal') {
      const x = numericExpr(col);
      base.push(`min(${x}) AS "lo${i}"`, `max(${x}) AS "hi${i}"`, `avg(${x}) AS "mean${i}"`);
    }
    return base;
  });
  return `SELECT count(*)::DOUBLE AS "rows", ${parts.join(', ')} FROM ${ident(table)}`;
}

/** One GROUP BY on an integer bin index: the fast path for histograms in DuckDB-WASM (see docs/architecture.md). */
export function histogramSql(table: string, column: ColumnInfo, min: number, max: number, bins = BINS): string {
  const x = numericExpr(column);
  const width = (max - min) / bins;
  return `SELECT least(${bins - 1}, floor((${x} - ${literal(min)}) / ${literal(width)}))::INTEGER AS bin, count(*)::DOUBLE AS n
FROM ${ident(table)} WHERE ${x} IS NOT NULL GROUP BY bin ORDER BY bin`;
}

export function topValuesSql(table: string, column: ColumnInfo, limit = TOP): string {
  const c = ident(column.name);
  return `SELECT ${c}::VARCHAR AS value, count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${c} IS NOT NULL GROUP BY 1 ORDER BY n DESC, value LIMIT ${limit}`;
}

/** Per-column summaries for the dataset card: null share, distinct count, range or top values, histogram. */
export async function profileColumns(db: Db, table: string, columns: ColumnInfo[], signal?: AbortSignal): Promise<ColumnProfile[]> {
  if (columns.length === 0) return [];
  const [summary] = await db.query(profileSummarySql(table, columns), { signal });
  const rows = Number(summary?.['rows'] ?? 0);
  const profiles: ColumnProfile[] = [];
  for (const [i, col] of columns.entries()) {
    const nonNull = Number(summary?.[`n${i}`] ?? 0);
    const profile: ColumnProfile = {
      name: col.name,
      type: col.type,
      kind: col.kind,
      rows,
      nulls: rows - nonNull,
      nullShare: rows === 0 ? 0 : (rows - nonNull) / rows,
      distinct: Number(summary?.[`d${i}`] ?? 0),
    };
    const lo = summary?.[`lo${i}`];
    const hi = summary?.[`hi${i}`];
    if (typeof lo === 'number' && typeof hi === 'number') {
      profile.min = lo;
      profile.max = hi;
      profile.mean = Number(summary?.[`mean${i}`]);
      profile.histogram = await histogram(db, table, col, lo, hi, signal);
    }
    if (col.kind === 'string' || col.kind === 'boolean' || col.kind === 'other') {
      const top = await db.query(topValuesSql(table, col), { signal });
      profile.top = top.map((r) => ({ value: String(r['value']), count: Number(r['n']) }));
    }
    profiles.push(profile);
  }
  return profiles;
}

async function histogram(db: Db, table: string, col: ColumnInfo, min: number, max: number, signal?: AbortSignal): Promise<HistogramBin[]> {
  if (min === max) {
    const [row] = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${numericExpr(col)} IS NOT NULL`, { signal });
    return [{ x0: min, x1: max, count: Number(row?.['n'] ?? 0) }];
  }
  const width = (max - min) / BINS;
  const counts = new Array<number>(BINS).fill(0);
  for (const r of await db.query(histogramSql(table, col, min, max), { signal })) counts[Number(r['bin'])] = Number(r['n']);
  return counts.map((count, b) => ({ x0: min + b * width, x1: b === BINS - 1 ? max : min + (b + 1) * width, count }));
}
