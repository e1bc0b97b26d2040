import { LanternError } from '../errors';
import { LOG_LOSS_EPS } from '../metrics/scoreMetrics';
import {
  labelTextSql,
  positiveSql,
  predictedPositiveSql,
  predictedValueSql,
  predictionTextSql,
  scoreSql,
  type PerfSpec,
} from '../metrics/spec';
import { ident, sql, type Sql } from '../sql';

/** Per-row errors that slice discovery can rank by; each is "larger is worse" and averages to a familiar metric. */
export type RowErrorName = 'error_rate' | 'log_loss' | 'brier' | 'squared_error' | 'absolute_error';

export const ROW_ERRORS: Record<RowErrorName, string> = {
  error_rate: '0/1 error (1 - accuracy)',
  log_loss: 'log loss per row',
  brier: 'squared error of the probability (Brier)',
  squared_error: 'squared error (MSE)',
  absolute_error: 'absolute error (MAE)',
};

export function defaultRowError(spec: PerfSpec): RowErrorName {
  return spec.task === 'regression' ? 'squared_error' : 'error_rate';
}

/**
 * SQL for the per-row error; NULL where it cannot be computed (such rows are left out). As text: the
 * investigation keeps it in its screening grid's input.
 */
export function rowErrorSql(spec: PerfSpec, name: RowErrorName): string {
  return rowError(spec, name).text;
}

function rowError(spec: PerfSpec, name: RowErrorName): Sql {
  const bad = (why: string) => new LanternError('usage', `The metric "${name}" ${why}.`);
  if (spec.task === 'regression') {
    const e = sql`(${predictedValueSql(spec)} - CAST(${ident(spec.label)} AS DOUBLE))`;
    if (name === 'squared_error') return sql`(${e} * ${e})`;
    if (name === 'absolute_error') return sql`abs(${e})`;
    throw bad('is for classifiers; use squared_error or absolute_error');
  }
  if (name === 'squared_error' || name === 'absolute_error') throw bad('is for regression; use error_rate, log_loss or brier');
  if (spec.task === 'multiclass') {
    if (name !== 'error_rate') throw bad('needs a binary classifier with a score');
    return sql`CAST(coalesce(${predictionTextSql(spec)} <> ${labelTextSql(spec)}, TRUE) AS DOUBLE)`;
  }
  if (name === 'error_rate') return sql`CAST(${predictedPositiveSql(spec)} <> ${positiveSql(spec)} AS DOUBLE)`;
  if (!spec.score) throw bad('needs a score column');
  const eps = LOG_LOSS_EPS;
  const p = sql`least(greatest(${scoreSql(spec)}, ${eps}), 1 - ${eps})`;
  const y = positiveSql(spec);
  if (name === 'log_loss') return sql`(CASE WHEN ${y} = 1 THEN -ln(${p}) ELSE -ln(1 - ${p}) END)`;
  return sql`((${scoreSql(spec)} - ${y}) * (${scoreSql(spec)} - ${y}))`;
}
