/**
 * The one-click chart of a console result: which chart fits the result's column types, and its data,
 * aggregated or sampled in DuckDB so that the page draws at most a few thousand marks.
 */
import type { Db } from '../db';
import type { ColumnInfo } from '../schema';
import { ident, literal, sql } from '../sql';

export type ResultChartKind = 'bar' | 'line' | 'histogram' | 'scatter';

export interface ResultChartSpec {
  kind: ResultChartKind;
  x: string;
  /** Bar: summed per x (absent: rows per x). Line and scatter: the vertical axis. */
  y?: string;
}

export type ResultChartData =
  | { kind: 'bar'; x: string; y: string | null; bars: { x: string; value: number }[]; more: number }
  | { kind: 'line' | 'scatter'; x: string; y: string; temporal: boolean; points: { x: number; y: number }[]; sampled: boolean }
  | { kind: 'histogram'; x: string; temporal: boolean; bins: { x0: number; x1: number; count: number }[] };

/** Marks at most: Plot draws about ten thousand smoothly (docs/architecture.md). */
export const MAX_POINTS = 5000;
export const MAX_BARS = 40;
const BINS = 30;

/**
 * The charts a result's columns allow, the best first: a time and a number give a line; a category and
 * a number, bars; two numbers, a scatter; one number, a histogram; categories alone, rows per category.
 */
export function chartChoices(columns: readonly ColumnInfo[]): ResultChartSpec[] {
  const numbers = columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
  const times = columns.filter((c) => c.kind === 'temporal').map((c) => c.name);
  const categories = columns.filter((c) => c.kind === 'string' || c.kind === 'boolean').map((c) => c.name);
  const out: ResultChartSpec[] = [];
  if (times[0] && numbers[0]) out.push({ kind: 'line', x: times[0], y: numbers[0] });
  if (categories[0] && numbers[0]) out.push({ kind: 'bar', x: categories[0], y: numbers[0] });
  if (numbers.length >= 2) out.push({ kind: 'scatter', x: numbers[0]!, y: numbers[1]! });
  if (numbers[0]) out.push({ kind: 'histogram', x: numbers[0] });
  if (times[0] && !numbers[0]) out.push({ kind: 'histogram', x: times[0] });
  if (categories[0]) out.push({ kind: 'bar', x: categories[0] });
  return out;
}

const isTemporal = (columns: readonly ColumnInfo[], name: string) => columns.find((c) => c.name === name)?.kind === 'temporal';
const asNumber = (column: string, temporal: boolean) =>
  temporal ? sql`epoch_ms(CAST(${ident(column)} AS TIMESTAMP))::DOUBLE` : sql`CAST(${ident(column)} AS DOUBLE)`;

export async function resultChartData(
  db: Db,
  table: string,
  columns: readonly ColumnInfo[],
  spec: ResultChartSpec,
  signal?: AbortSignal,
): Promise<ResultChartData> {
  const options = signal ? { signal } : undefined;
  const t = ident(table);
  if (spec.kind === 'bar') {
    const value = spec.y ? sql`sum(CAST(${ident(spec.y)} AS DOUBLE))` : sql`count(*)`;
    const rows = await db.query(
      sql`SELECT coalesce(CAST(${ident(spec.x)} AS VARCHAR), '(missing)') AS x, ${value}::DOUBLE AS v, count(*) OVER ()::DOUBLE AS groups FROM ${t} GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1 LIMIT ${MAX_BARS}`
        .text,
      options,
    );
    const groups = Number(rows[0]?.['groups'] ?? 0);
    return {
      kind: 'bar',
      x: spec.x,
      y: spec.y ?? null,
      bars: rows.map((r) => ({ x: String(r['x']), value: Number(r['v']) })),
      more: Math.max(0, groups - rows.length),
    };
  }
  if (spec.kind === 'line' || spec.kind === 'scatter') {
    const y = spec.y ?? spec.x;
    const temporal = isTemporal(columns, spec.x);
    const [count] = await db.query(sql`SELECT count(*)::DOUBLE AS n FROM ${t}`.text, options);
    const sampled = Number(count?.['n'] ?? 0) > MAX_POINTS;
    // A line keeps its order (evenly spaced rows); a scatter takes a seeded sample, the same on every run.
    const source =
      spec.kind === 'line'
        ? sql`(SELECT *, row_number() OVER (ORDER BY ${ident(spec.x)}) AS __r, count(*) OVER () AS __n FROM ${t}) WHERE __n <= ${MAX_POINTS} OR __r % ceil(__n / ${MAX_POINTS}) = 0`
        : sampled
          ? sql`${t} USING SAMPLE reservoir(${literal(MAX_POINTS)} ROWS) REPEATABLE (42)`
          : t;
    const rows = await db.query(
      sql`SELECT ${asNumber(spec.x, temporal)} AS x, CAST(${ident(y)} AS DOUBLE) AS y FROM ${source} WHERE ${ident(spec.x)} IS NOT NULL AND ${ident(y)} IS NOT NULL ORDER BY 1`
        .text,
      options,
    );
    return {
      kind: spec.kind,
      x: spec.x,
      y,
      temporal,
      sampled,
      points: rows.map((r) => ({ x: Number(r['x']), y: Number(r['y']) })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
    };
  }
  const temporal = isTemporal(columns, spec.x);
  const v = asNumber(spec.x, temporal);
  const rows = await db.query(
    sql`WITH v AS (SELECT ${v} AS v FROM ${t} WHERE isfinite(${v})), r AS (SELECT min(v) AS lo, max(v) AS hi FROM v)
SELECT least(${BINS - 1}, CASE WHEN hi > lo THEN floor((v - lo) / (hi - lo) * ${BINS}) ELSE 0 END)::DOUBLE AS b, count(*)::DOUBLE AS n, any_value(lo) AS lo, any_value(hi) AS hi
FROM v, r GROUP BY 1 ORDER BY 1`.text,
    options,
  );
  const lo = Number(rows[0]?.['lo'] ?? 0);
  const hi = Number(rows[0]?.['hi'] ?? 0);
  const width = hi > lo ? (hi - lo) / BINS : 1;
  return {
    kind: 'histogram',
    x: spec.x,
    temporal,
    bins: rows.map((r) => {
      const b = Number(r['b']);
      return { x0: lo + b * width, x1: hi > lo ? lo + (b + 1) * width : lo + 1, count: Number(r['n']) };
    }),
  };
}
