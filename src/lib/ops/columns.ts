/**
 * Which columns of a log tell the service's health: how long each request took (latency) and whether it
 * succeeded (status), from the roles (inferred by name and type in ../roles.ts, changeable in the Data
 * view), and which status values are errors: inferred from the values themselves (error, failed,
 * timeout, exception... and HTTP 5xx), changeable by the user.
 */
import type { Db } from '../db';
import { columnWithRole, inferRoles, type RoleMap } from '../roles';
import type { ColumnInfo } from '../schema';
import { ident } from '../sql';

export interface OpsColumns {
  latency: string | null;
  status: string | null;
}

/** Latency and status columns from roles (the user's first), else inferred from the names and types. */
export function opsColumnsOf(columns: readonly ColumnInfo[], roles: RoleMap = {}): OpsColumns {
  const inferred = inferRoles([...columns]);
  const merged: RoleMap = { ...inferred, ...roles };
  const latency = columnWithRole(merged, 'latency') ?? null;
  const status = columnWithRole(merged, 'status') ?? null;
  return {
    latency: latency && columns.some((c) => c.name === latency && c.kind === 'numeric') ? latency : null,
    status: status && columns.some((c) => c.name === status) ? status : null,
  };
}

const ERROR_WORDS =
  /(error|\berr\b|fail|timeout|timed[\s_-]?out|exception|abort|refused|unavailable|denied|crash|reject|fatal|panic|\b5\d\d\b)/i;

/** Whether a status value reads as an error: error words, or an HTTP server error (500-599). */
export function isErrorValue(value: string): boolean {
  const v = value.trim();
  if (/^\d+(\.0+)?$/.test(v)) {
    const code = Number(v);
    return code >= 500 && code <= 599;
  }
  if (/^(true|false)$/i.test(v)) return false;
  return ERROR_WORDS.test(v);
}

export interface StatusValue {
  value: string;
  count: number;
  error: boolean;
}

/** The status column's values (most frequent first, at most `limit`) with whether each reads as an error. */
export async function statusValues(db: Db, table: string, status: string, limit = 200, signal?: AbortSignal): Promise<StatusValue[]> {
  const rows = await db.query(
    `SELECT CAST(${ident(status)} AS VARCHAR) AS v, count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${ident(status)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${Math.max(1, Math.floor(limit))}`,
    signal ? { signal } : undefined,
  );
  return rows.map((r) => {
    const value = String(r['v']);
    return { value, count: Number(r['n']), error: isErrorValue(value) };
  });
}

/** The error values among a status column's values, as the user would list them. */
export function inferredErrorValues(values: readonly StatusValue[]): string[] {
  return values.filter((v) => v.error).map((v) => v.value);
}
