import type { Db } from '../db';
import { ident } from '../sql';
import { metricsByGroup, overallPerformance, type AnyMetrics } from './performance';
import { labelledSql, type PerfSpec } from './spec';
import { chooseWindowUnit, windowSql, type WindowUnit } from './time';

export interface WindowMetrics {
  /** Window start, epoch milliseconds (UTC). */
  start: number;
  /** All predictions in the window, labelled or not. */
  predictions: number;
  /** Predictions in the window with a label: the n every metric of the window rests on. */
  labelled: number;
  metrics: AnyMetrics | undefined;
}

export interface MetricsOverTime {
  unit: WindowUnit;
  windows: WindowMetrics[];
  /** Performance on the reference data (training or validation), drawn as a baseline. */
  reference?: AnyMetrics;
}

/**
 * Every metric per time window with the label count per window. Windows with predictions but no labels
 * are kept (metrics undefined): a run of recent windows without labels is the delayed-label picture.
 */
export async function metricsOverTime(
  db: Db,
  spec: PerfSpec,
  tsSql: string,
  options: { unit?: WindowUnit; reference?: PerfSpec; signal?: AbortSignal } = {},
): Promise<MetricsOverTime> {
  const t = ident(spec.table);
  let unit = options.unit;
  if (!unit) {
    const [span] = await db.query(`SELECT (epoch_ms(max(${tsSql})) - epoch_ms(min(${tsSql})))::DOUBLE AS span FROM ${t}`, options);
    unit = chooseWindowUnit(Number(span?.['span'] ?? 0));
  }
  const w = windowSql(tsSql, unit);
  const counts = await db.query(
    `SELECT ${w} AS start, count(*)::DOUBLE AS predictions, count(*) FILTER (WHERE ${labelledSql(spec)})::DOUBLE AS labelled FROM ${t} WHERE ${tsSql} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    options,
  );
  const groups = await metricsByGroup(db, spec, [{ sql: w, as: 'start' }], { where: `${tsSql} IS NOT NULL`, signal: options.signal });
  const byStart = new Map(groups.map((g) => [Number(g.key['start']), g.metrics]));
  const windows = counts.map((r) => ({
    start: Number(r['start']),
    predictions: Number(r['predictions']),
    labelled: Number(r['labelled']),
    metrics: byStart.get(Number(r['start'])),
  }));
  const reference = options.reference
    ? (await overallPerformance(db, options.reference, { pointOnly: true, signal: options.signal })).metrics
    : undefined;
  return reference ? { unit, windows, reference } : { unit, windows };
}
