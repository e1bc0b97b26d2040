/**
 * Operational health as the Operations view and `lantern ops` ask for it: columns by name (inferred when
 * left out), the error values (inferred from the status values when left out), windows of the log's time
 * column, a breakdown column and the reference dataset as baseline, with the same defaults everywhere.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import { timestampSql, windowUnitOf, type WindowUnit } from '../metrics/time';
import { columnWithRole, inferRoles, type RoleMap } from '../roles';
import { describeTable, type ColumnInfo } from '../schema';
import { inferredErrorValues, opsColumnsOf, statusValues, type StatusValue } from './columns';
import { opsHealth, type OpsHealth, type OpsInput } from './health';

export interface OpsRequest {
  table: string;
  /** Column roles the user set (latency, status, timestamp); the rest is inferred. */
  roles?: RoleMap | undefined;
  latency?: string | null | undefined;
  status?: string | null | undefined;
  /** Null: inferred from the status values. */
  errorValues?: readonly string[] | null | undefined;
  timestamp?: string | null | undefined;
  /** Null: chosen from the log's time span. */
  unit?: WindowUnit | null | undefined;
  by?: string | null | undefined;
  /** A reference dataset's table: its own latency and status (same names) are the baseline. */
  reference?: string | null | undefined;
}

export interface OpsReport extends OpsHealth {
  timestamp: string | null;
  /** The status column's values with whether each reads as an error (the list the user edits). */
  statusValues: StatusValue[];
  /** Whether the error values were inferred (not given). */
  errorValuesInferred: boolean;
  columns: ColumnInfo[];
}

function need(columns: readonly ColumnInfo[], name: string, what: string): void {
  if (!columns.some((c) => c.name === name))
    throw new LanternError('usage', `The log has no column "${name}" (${what}). Columns: ${columns.map((c) => c.name).join(', ')}.`);
}

export async function opsReport(db: Db, request: OpsRequest, signal?: AbortSignal): Promise<OpsReport> {
  const columns = await describeTable(db, request.table);
  const roles: RoleMap = { ...inferRoles(columns), ...(request.roles ?? {}) };
  const inferred = opsColumnsOf(columns, roles);
  const latency = request.latency === undefined ? inferred.latency : request.latency;
  const status = request.status === undefined ? inferred.status : request.status;
  if (latency) {
    need(columns, latency, 'latency');
    if (columns.find((c) => c.name === latency)!.kind !== 'numeric')
      throw new LanternError('usage', `The latency column "${latency}" is not numeric; latency is a number of milliseconds or seconds.`);
  }
  if (status) need(columns, status, 'status');
  if (!latency && !status)
    throw new LanternError(
      'usage',
      'No latency or status column: mark the column of request durations as latency, or of outcomes (ok, error, HTTP codes) as status, in the Data view.',
    );
  const values = status ? await statusValues(db, request.table, status, 200, signal) : [];
  const errorValues = request.errorValues ?? inferredErrorValues(values);
  const timestamp = request.timestamp === undefined ? (columnWithRole(roles, 'timestamp') ?? null) : request.timestamp;
  if (timestamp) need(columns, timestamp, 'timestamp');
  if (request.by) need(columns, request.by, 'breakdown');
  const kind = columns.find((c) => c.name === timestamp)?.kind ?? 'temporal';
  const tsSql = timestamp ? timestampSql(timestamp, kind) : null;
  const unit = tsSql ? (request.unit ?? (await windowUnitOf(db, request.table, tsSql, signal))) : null;
  const input: OpsInput = { table: request.table, columns, latency, status, errorValues };
  let reference: OpsInput | null = null;
  if (request.reference) {
    const refColumns = await describeTable(db, request.reference);
    const has = (c: string | null) => c !== null && refColumns.some((r) => r.name === c);
    if (has(latency) || has(status))
      reference = {
        table: request.reference,
        columns: refColumns,
        latency: has(latency) && refColumns.find((c) => c.name === latency)!.kind === 'numeric' ? latency : null,
        status: has(status) ? status : null,
        errorValues,
      };
  }
  const health = await opsHealth(db, input, { timestampSql: tsSql, unit, by: request.by ?? null, reference, signal });
  return { ...health, timestamp, statusValues: values, errorValuesInferred: request.errorValues == null, columns };
}
