/**
 * Operational health of a log: volume, latency percentiles and error rate, overall, per time window and
 * per value of a column (a segment, a model version), with the reference period as baseline. Percentiles
 * interpolate linearly between order statistics (numpy's default, DuckDB's quantile_cont) over the finite
 * latencies; the error rate is the share of rows with a status whose status is an error value.
 */
import type { Db, Row } from '../db';
import type { ColumnInfo } from '../schema';
import { ident, literal } from '../sql';
import type { WindowUnit } from '../metrics/time';
import { windowSql } from '../metrics/time';

export interface OpsStats {
  /** Every row (request) in the group. */
  count: number;
  /** Rows with a finite latency. */
  latencyCount: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
  /** Rows with a status. */
  statusCount: number;
  errors: number;
  /** errors / statusCount, or null without a status. */
  error_rate: number | null;
}

export interface OpsInput {
  table: string;
  columns: readonly ColumnInfo[];
  latency: string | null;
  status: string | null;
  /** Status values counted as errors, compared as text, case-insensitively; numbers also by value; "5xx" is a range. */
  errorValues: readonly string[];
}

export interface OpsHealth {
  latency: string | null;
  status: string | null;
  errorValues: string[];
  unit: WindowUnit | null;
  overall: OpsStats;
  windows: ({ start: number } & OpsStats)[];
  by: { column: string; groups: ({ value: string | null } & OpsStats)[] } | null;
  /** The baseline: the reference period (a reference dataset with the same columns). */
  reference: OpsStats | null;
  /** The reference per value of the breakdown column (when the reference has it): each segment's own baseline. */
  referenceBy: ({ value: string | null } & OpsStats)[] | null;
}

/** SQL that is 1 for an error row, 0 for another row with a status, NULL without a status. */
export function errorSql(input: Pick<OpsInput, 'columns' | 'status' | 'errorValues'>): string {
  if (!input.status) return 'NULL::INTEGER';
  const c = ident(input.status);
  const numeric = input.columns.find((x) => x.name === input.status)?.kind === 'numeric';
  const tests: string[] = [];
  const texts = new Set<string>();
  for (const raw of input.errorValues) {
    const v = raw.trim();
    const range = /^([1-9])xx$/i.exec(v);
    if (range) {
      const lo = Number(range[1]) * 100;
      tests.push(
        numeric
          ? `(CAST(${c} AS DOUBLE) >= ${lo} AND CAST(${c} AS DOUBLE) < ${lo + 100})`
          : `(TRY_CAST(CAST(${c} AS VARCHAR) AS DOUBLE) >= ${lo} AND TRY_CAST(CAST(${c} AS VARCHAR) AS DOUBLE) < ${lo + 100})`,
      );
    } else if (numeric && v !== '' && Number.isFinite(Number(v))) tests.push(`CAST(${c} AS DOUBLE) = ${literal(Number(v))}`);
    else texts.add(raw.toLowerCase());
  }
  if (texts.size) tests.push(`lower(CAST(${c} AS VARCHAR)) IN (${[...texts].map((t) => literal(t)).join(', ')})`);
  return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${tests.length ? tests.join(' OR ') : 'FALSE'} THEN 1 ELSE 0 END`;
}

/** The finite latency of a row as DOUBLE, else NULL. */
export function latencySql(latency: string | null): string {
  if (!latency) return 'NULL::DOUBLE';
  const v = `TRY_CAST(${ident(latency)} AS DOUBLE)`;
  return `CASE WHEN isfinite(${v}) THEN ${v} END`;
}

/** The aggregates of OpsStats over rows that have `__lat` and `__err` columns. */
const STATS = `count(*)::DOUBLE AS n, count(__lat)::DOUBLE AS nl,
  quantile_cont(__lat, 0.5) AS p50, quantile_cont(__lat, 0.95) AS p95, quantile_cont(__lat, 0.99) AS p99,
  count(__err)::DOUBLE AS ns, coalesce(sum(__err), 0)::DOUBLE AS ne`;

function statsOf(r: Row | undefined): OpsStats {
  const n = (k: string) => (r?.[k] === null || r?.[k] === undefined ? null : Number(r[k]));
  const ns = n('ns') ?? 0;
  const ne = n('ne') ?? 0;
  return {
    count: n('n') ?? 0,
    latencyCount: n('nl') ?? 0,
    latency_p50: n('p50'),
    latency_p95: n('p95'),
    latency_p99: n('p99'),
    statusCount: ns,
    errors: ne,
    error_rate: ns > 0 ? ne / ns : null,
  };
}

function rowsSql(input: OpsInput, extra = ''): string {
  return `SELECT ${latencySql(input.latency)} AS __lat, ${errorSql(input)} AS __err${extra} FROM ${ident(input.table)}`;
}

export async function opsStats(db: Db, input: OpsInput, signal?: AbortSignal): Promise<OpsStats> {
  const [r] = await db.query(`SELECT ${STATS} FROM (${rowsSql(input)})`, signal ? { signal } : undefined);
  return statsOf(r);
}

/** Stats per value of a key expression over the input's table (`key` is SQL over its columns). */
export async function opsStatsBy(db: Db, input: OpsInput, key: string, signal?: AbortSignal): Promise<{ key: unknown; stats: OpsStats }[]> {
  const rows = await db.query(
    `SELECT __key, ${STATS} FROM (${rowsSql(input, `, ${key} AS __key`)}) GROUP BY __key ORDER BY __key NULLS LAST`,
    signal ? { signal } : undefined,
  );
  return rows.map((r) => ({ key: r['__key'] instanceof Date ? r['__key'].getTime() : r['__key'], stats: statsOf(r) }));
}

export interface OpsOptions {
  /** TIMESTAMP expression of the log's time column. */
  timestampSql?: string | null | undefined;
  unit?: WindowUnit | null | undefined;
  /** A column to break the numbers down by (a segment, a model version). */
  by?: string | null | undefined;
  /** The reference period: a table with the same latency and status columns. */
  reference?: OpsInput | null | undefined;
  signal?: AbortSignal | undefined;
}

export async function opsHealth(db: Db, input: OpsInput, options: OpsOptions = {}): Promise<OpsHealth> {
  const { signal } = options;
  const overall = await opsStats(db, input, signal);
  const ts = options.timestampSql;
  const unit = ts ? (options.unit ?? null) : null;
  const windows =
    ts && unit
      ? (await opsStatsBy(db, input, `epoch_ms(${windowSql(ts, unit)})`, signal))
          .filter((w) => w.key !== null)
          .map((w) => ({ start: Number(w.key), ...w.stats }))
      : [];
  const by = options.by
    ? {
        column: options.by,
        groups: (await opsStatsBy(db, input, `CAST(${ident(options.by)} AS VARCHAR)`, signal)).map((g) => ({
          value: g.key === null ? null : String(g.key),
          ...g.stats,
        })),
      }
    : null;
  const ref = options.reference;
  const reference = ref ? await opsStats(db, ref, signal) : null;
  const referenceBy =
    ref && options.by && ref.columns.some((c) => c.name === options.by)
      ? (await opsStatsBy(db, ref, `CAST(${ident(options.by)} AS VARCHAR)`, signal)).map((g) => ({
          value: g.key === null ? null : String(g.key),
          ...g.stats,
        }))
      : null;
  return {
    latency: input.latency,
    status: input.status,
    errorValues: [...input.errorValues],
    unit,
    overall,
    windows,
    by,
    reference,
    referenceBy,
  };
}
