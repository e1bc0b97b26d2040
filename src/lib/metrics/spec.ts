import { classTextSql } from '../labels/classValue';
import type { ColumnKind } from '../schema';
import { ident, join, raw, sql, type Sql } from '../sql';

export type Task = 'binary' | 'multiclass' | 'regression';

/**
 * Everything a performance analysis needs to know about a table: which columns play which part, the task,
 * the positive class and the threshold. Analyses build their SQL from this through the helpers below, so
 * "a row with a label" or "predicted positive" means the same in every view and in the CLI.
 */
export interface PerfSpec {
  table: string;
  label: string;
  labelKind: ColumnKind;
  score?: string;
  prediction?: string;
  predictionKind?: ColumnKind;
  timestamp?: string;
  task: Task;
  /** Classification: the positive class as its text form (see classTextSql). */
  positive?: string;
  /** Multiclass: one probability column per class, for log loss. */
  classScores?: { cls: string; column: string }[];
  /** Multiclass without a prediction column: the prediction is the argmax of `classScores`. */
  predictionFromScores?: boolean;
  /** Binary with a score: predicted positive when score >= threshold (sklearn's thresholds are >= too). */
  threshold: number;
}

export function labelTextSql(spec: PerfSpec): Sql {
  return classTextSql(spec.label, spec.labelKind);
}

export function predictionTextSql(spec: PerfSpec): Sql {
  if (!spec.prediction && spec.predictionFromScores && spec.classScores) return argmaxClassSql(spec.classScores);
  if (!spec.prediction) throw new Error('This analysis needs a prediction column');
  return classTextSql(spec.prediction, spec.predictionKind ?? 'string');
}

/**
 * The class with the largest probability, ties to the first in `classes` order - numpy's argmax, which is
 * how sklearn's predict() turns predict_proba into a class. Class i wins when it beats every earlier class
 * strictly and every later one or equals it; a NULL probability makes the row unpredicted. DuckDB orders
 * NaN above every number (and NaN = NaN), so a NaN wins as in numpy, whose argmax returns the first NaN.
 */
export function argmaxClassSql(classes: { cls: string; column: string }[]): Sql {
  const p = (c: { column: string }) => sql`CAST(${ident(c.column)} AS DOUBLE)`;
  const anyNull = join(
    classes.map((c) => sql`${p(c)} IS NULL`),
    ' OR ',
  );
  const wins = classes.map((c, i) => {
    const later = classes.slice(i + 1).map((o) => sql`${p(c)} >= ${p(o)}`);
    return sql`WHEN ${later.length ? join(later, ' AND ') : raw('TRUE')} THEN ${c.cls}`;
  });
  // Earlier WHENs failed, so some earlier class lost to a later one: the first class that is >= every
  // later class is then strictly above every earlier class too.
  return sql`(CASE WHEN ${anyNull} THEN NULL ${join(wins, ' ')} END)`;
}

/** Rows that count for realised performance: the label is known (and, for regression, a finite number). */
export function labelledSql(spec: PerfSpec): Sql {
  const l = ident(spec.label);
  if (spec.task === 'regression') return sql`(${l} IS NOT NULL AND isfinite(CAST(${l} AS DOUBLE)))`;
  return sql`(${l} IS NOT NULL)`;
}

/** 1 when the label is the positive class, else 0 (binary). */
export function positiveSql(spec: PerfSpec): Sql {
  if (spec.positive === undefined) throw new Error('A binary analysis needs a positive class');
  // A numeric label against an integral positive class: the text form equals "k" exactly when the number
  // equals k, so compare numbers and skip formatting a string per row (the hot path of every binary scan).
  if (spec.labelKind === 'numeric' && /^(0|-?[1-9]\d{0,13})$/.test(spec.positive))
    return sql`CAST(CAST(${ident(spec.label)} AS DOUBLE) = ${Number(spec.positive)} AS INTEGER)`;
  return sql`CAST(${labelTextSql(spec)} = ${spec.positive} AS INTEGER)`;
}

export function scoreSql(spec: PerfSpec): Sql {
  if (!spec.score) throw new Error('This analysis needs a score column');
  return sql`CAST(${ident(spec.score)} AS DOUBLE)`;
}

/** 1 when the model predicts the positive class: by threshold when there is a score, else by the prediction column. */
export function predictedPositiveSql(spec: PerfSpec): Sql {
  if (spec.score) return sql`CAST(${scoreSql(spec)} >= ${spec.threshold} AS INTEGER)`;
  if (spec.positive === undefined) throw new Error('A binary analysis needs a positive class');
  return sql`CAST(coalesce(${predictionTextSql(spec)} = ${spec.positive}, FALSE) AS INTEGER)`;
}

/** Regression: the predicted value, from the prediction column or else the score column. */
export function predictedValueSql(spec: PerfSpec): Sql {
  const column = spec.prediction ?? spec.score;
  if (!column) throw new Error('A regression analysis needs a prediction column');
  return sql`CAST(${ident(column)} AS DOUBLE)`;
}

/** Rows a binary score analysis can use: labelled and with a finite score. */
export function scoredSql(spec: PerfSpec): Sql {
  return spec.score ? sql`(${labelledSql(spec)} AND isfinite(${scoreSql(spec)}))` : labelledSql(spec);
}
