import type { GroupKey } from './groupedBinary';
import type { Db } from '../db';
import type { Value } from '../db';
import { ident, join, num, oneOf, raw, rowsOf, selectKeyed, sql, str, text, type Query, type SqlLike } from '../sql';
import { wilsonInterval } from './intervals';
import { LOG_LOSS_EPS } from './scoreMetrics';
import { labelledSql, labelTextSql, predictionTextSql, type PerfSpec } from './spec';
import { defined, ratio, undefinedMetric, type MetricValue } from './value';

export interface ClassRow {
  cls: string;
  /** Rows whose label is this class. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
  precision: MetricValue;
  recall: MetricValue;
  f1: MetricValue;
}

export interface MulticlassMetrics {
  n: number;
  accuracy: MetricValue;
  macro_precision: MetricValue;
  macro_recall: MetricValue;
  macro_f1: MetricValue;
  weighted_precision: MetricValue;
  weighted_recall: MetricValue;
  weighted_f1: MetricValue;
  log_loss: MetricValue;
  classes: ClassRow[];
  /** confusion[i][j]: rows with label classes[i] predicted as classes[j]. */
  confusion: number[][];
  /** Labelled rows without a prediction: left out of every metric. */
  unpredicted: number;
}

export interface ConfusionCell {
  label: string;
  predicted: string;
  count: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Multiclass metrics from the label x prediction counts, following sklearn's classification metrics:
 * the classes are the union of labels and predictions (unique_labels), and a per-class precision or
 * recall with a zero denominator counts as 0 in macro and weighted averages (sklearn's zero_division
 * default), while the per-class table shows it as undefined.
 */
export function multiclassFromCells(cells: ConfusionCell[], unpredicted = 0): Omit<MulticlassMetrics, 'log_loss'> {
  const classes = [...new Set(cells.flatMap((c) => [c.label, c.predicted]))].sort(byText);
  const index = new Map(classes.map((c, i) => [c, i]));
  const m = classes.map(() => classes.map(() => 0));
  for (const c of cells) m[index.get(c.label)!]![index.get(c.predicted)!]! += c.count;
  const n = cells.reduce((a, c) => a + c.count, 0);
  let correct = 0;
  const rows: ClassRow[] = classes.map((cls, i) => {
    const tp = m[i]![i]!;
    correct += tp;
    const support = m[i]!.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((a, row) => a + row[i]!, 0);
    const precision = ratio(tp, predicted, `no row is predicted as ${cls}`);
    const recall = ratio(tp, support, `no row is labelled ${cls}`);
    const f1 =
      support + predicted > 0 ? defined((2 * tp) / (support + predicted)) : undefinedMetric(`${cls} is neither labelled nor predicted`);
    return { cls, support, predicted, precision, recall, f1 };
  });
  const zero = (v: MetricValue) => (v.defined ? v.value : 0);
  const avg = (pick: (r: ClassRow) => MetricValue, weighted: boolean): MetricValue => {
    if (n === 0 || rows.length === 0) return undefinedMetric('no labelled rows');
    let s = 0;
    for (const r of rows) s += zero(pick(r)) * (weighted ? r.support : 1);
    return defined(weighted ? s / n : s / rows.length);
  };
  return {
    n,
    accuracy: n > 0 ? defined(correct / n, wilsonInterval(correct, n)) : undefinedMetric('no labelled rows'),
    macro_precision: avg((r) => r.precision, false),
    macro_recall: avg((r) => r.recall, false),
    macro_f1: avg((r) => r.f1, false),
    weighted_precision: avg((r) => r.precision, true),
    weighted_recall: avg((r) => r.recall, true),
    weighted_f1: avg((r) => r.f1, true),
    classes: rows,
    confusion: m,
    unpredicted,
  };
}

/** Labelled rows per (label, predicted class); a NULL prediction is a row without one. */
export function confusionCellsSql(spec: PerfSpec, where?: SqlLike, keys: GroupKey[] = []) {
  return selectKeyed(
    keys.map((k) => ({ expr: raw(k.sql), as: k.as })),
    { label: str(labelTextSql(spec)), predicted: text(predictionTextSql(spec)), count: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(spec.table)} WHERE ${labelledSql(spec)}${where ? sql` AND (${raw(where)})` : raw('')} GROUP BY ALL`,
  );
}

/** What the log loss of a group rests on: one row of `multiclassLogLossSql`. */
export interface LogLossSums {
  ll_sum: number;
  n: number;
  /** The smallest class probability (a negative one means these are not probabilities). */
  lo: number;
}

/**
 * sklearn's multiclass log_loss: each class probability clipped to [eps, 1 - eps], each row renormalised
 * to sum 1, then the mean of -ln(probability of the true class). Rows whose label has no probability
 * column are left out.
 */
export function multiclassLogLossSql(
  spec: PerfSpec,
  where?: SqlLike,
  keys: GroupKey[] = [],
): Query<{ key: Value[]; row: LogLossSums }> | undefined {
  const cs = spec.classScores;
  if (!cs || cs.length < 2) return undefined;
  const clip = (col: string) => sql`least(greatest(CAST(${ident(col)} AS DOUBLE), ${LOG_LOSS_EPS}), 1 - ${LOG_LOSS_EPS})`;
  const total = join(
    cs.map((c) => clip(c.column)),
    ' + ',
  );
  const own = sql`CASE ${labelTextSql(spec)} ${join(
    cs.map((c) => sql`WHEN ${c.cls} THEN ${clip(c.column)}`),
    ' ',
  )} END`;
  const groupBy = keys.length ? sql` GROUP BY ${keys.map((_, i) => i + 1)}` : raw('');
  return selectKeyed(
    keys.map((k) => ({ expr: raw(k.sql), as: k.as })),
    {
      ll_sum: num(sql`fsum(-ln((${own}) / (${total})))::DOUBLE`, 0),
      n: num(sql`count(${own})::DOUBLE`, 0),
      lo: num(sql`min(least(${cs.map((c) => sql`CAST(${ident(c.column)} AS DOUBLE)`)}))::DOUBLE`, 0),
    },
    sql`FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} AND (${own}) IS NOT NULL${where ? sql` AND (${raw(where)})` : raw('')}${groupBy}`,
  );
}

export async function multiclassMetrics(
  db: Db,
  spec: PerfSpec,
  options: { where?: SqlLike; signal?: AbortSignal } = {},
): Promise<MulticlassMetrics> {
  const { cells, unpredicted } = confusionOf(await rowsOf(db, confusionCellsSql(spec, options.where), options));
  const base = multiclassFromCells(cells, unpredicted);
  const ll = multiclassLogLossSql(spec, options.where);
  const losses = ll ? await oneOf(db, ll, options) : undefined;
  return { ...base, log_loss: multiclassLogLossFromRow(spec, losses?.row) };
}

/** The cells of `confusionCellsSql` rows, and the labelled rows without a prediction. */
export function confusionOf(rows: readonly { row: { label: string; predicted: string | null; count: number } }[]): {
  cells: ConfusionCell[];
  unpredicted: number;
} {
  const cells: ConfusionCell[] = [];
  let unpredicted = 0;
  for (const { row } of rows) {
    if (row.predicted === null) unpredicted += row.count;
    else cells.push({ label: row.label, predicted: row.predicted, count: row.count });
  }
  return { cells, unpredicted };
}

/** Log loss from a row of multiclassLogLossSql (undefined row: no probability columns). */
export function multiclassLogLossFromRow(spec: PerfSpec, r: LogLossSums | undefined): MetricValue {
  if (!spec.classScores || spec.classScores.length < 2) return undefinedMetric('log loss needs one probability column per class');
  const n = r?.n ?? 0;
  if (n === 0) return undefinedMetric('no labelled row has a probability for its class');
  if (r!.lo < 0) return undefinedMetric('log loss needs probabilities: a class score is negative');
  return defined(r!.ll_sum / n);
}
