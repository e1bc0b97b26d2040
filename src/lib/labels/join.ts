import type { Db } from '../db';
import { LanternError } from '../errors';
import { describeTable } from '../schema';
import { ident, num, oneOf, raw, select, sql, type Sql } from '../sql';

export interface LabelJoinSummary {
  /** Prediction rows. */
  predictions: number;
  /** Prediction rows that have a label after the join. */
  matched: number;
  /** Prediction rows still waiting for a label. */
  unlabelled: number;
  /** Rows in the label file (0 when labels are in the log). */
  labelRows: number;
  /** Label rows whose id matches no prediction (e.g. for predictions not in this log). */
  labelsWithoutPrediction: number;
  /** Ids that occur on more than one prediction row. */
  duplicatePredictionIds: number;
  /** Ids that occur on more than one label row; the first row in file order is used. */
  duplicateLabelIds: number;
  /** Duplicate label ids whose rows disagree on the label. */
  conflictingLabelIds: number;
  /**
   * The id columns' types when the two files store ids differently (17 in one, "17" or 17.0 in the
   * other): how they were compared, for the warning that explains a poor match.
   */
  idTypes?: { prediction: string; label: string; comparedAs: 'number' | 'text' };
}

export interface LabelJoinInput {
  /** The prediction log. */
  predictions: string;
  /** Prediction id column (needed to join a separate label table and to count duplicates). */
  id?: string;
  /** Label column: in `labels` if given, else in `predictions`. */
  label: string;
  /** A separate table of labels that arrived later, with columns `id` (or `labelId`) and `label`. */
  labels?: string;
  /** Id column in the label table when it is named differently. */
  labelId?: string;
  /** The joined table to create: predictions with the label column filled in. */
  out: string;
}

/**
 * Joins labels that arrive after the predictions, by prediction id, in DuckDB. Duplicate label ids keep
 * their first row in file order, so a prediction never multiplies; the summary says how much of
 * the log is labelled and what did not match, which is what an analyst checks before trusting a metric.
 * When labels sit in the log itself the output is the log, and "matched" counts rows with a label.
 */
export async function joinDelayedLabels(db: Db, input: LabelJoinInput, signal?: AbortSignal): Promise<LabelJoinSummary> {
  const p = ident(input.predictions);
  const out = ident(input.out);
  const label = ident(input.label);
  const id = input.id ? ident(input.id) : undefined;
  const dupPredictions = id
    ? sql`(SELECT count(*) FROM (SELECT ${id} FROM ${p} WHERE ${id} IS NOT NULL GROUP BY 1 HAVING count(*) > 1))`
    : raw('0');
  if (!input.labels) {
    await db.query(sql`CREATE OR REPLACE VIEW ${out} AS SELECT * FROM ${p}`.text, { signal });
    const r = await oneOf(
      db,
      select(
        {
          predictions: num(raw('count(*)::DOUBLE'), 0),
          matched: num(sql`count(${label})::DOUBLE`, 0),
          dup: num(sql`${dupPredictions}::DOUBLE`, 0),
        },
        sql`FROM ${p}`,
      ),
      { signal },
    );
    return {
      predictions: r.predictions,
      matched: r.matched,
      unlabelled: r.predictions - r.matched,
      labelRows: 0,
      labelsWithoutPrediction: 0,
      duplicatePredictionIds: r.dup,
      duplicateLabelIds: 0,
      conflictingLabelIds: 0,
    };
  }
  if (!id) throw new LanternError('usage', 'Joining a separate label file needs the prediction id column, and none was found.', 'id');
  const l = ident(input.labels);
  const lid = ident(input.labelId ?? input.id!);
  const predCols = await describeTable(db, input.predictions);
  const labelCols = await describeTable(db, input.labels);
  const predId = predCols.find((c) => c.name === input.id);
  const labelId = labelCols.find((c) => c.name === (input.labelId ?? input.id));
  if (!predId) throw new LanternError('usage', `The prediction file has no id column "${input.id}".`);
  if (!labelId) throw new LanternError('usage', `The label file has no id column "${input.labelId ?? input.id}".`);
  if (!labelCols.some((c) => c.name === input.label))
    throw new LanternError('usage', `The label file has no label column "${input.label}".`);
  // Ids written as 17 in one file and "17" in the other still match, and so do 17 and 17.0 when both
  // files store numbers (as text, 17.0 would be "17.0" and match nothing).
  const comparedAs = predId.type === labelId.type ? null : predId.kind === 'numeric' && labelId.kind === 'numeric' ? 'number' : 'text';
  const key = (alias: 'l' | 'p', column: Sql) => {
    const qualified = sql`${raw(alias)}.${column}`;
    if (comparedAs === null) return qualified;
    return comparedAs === 'number' ? sql`CAST(${qualified} AS DOUBLE)` : sql`CAST(${qualified} AS VARCHAR)`;
  };
  // File order is numbered by row_number() OVER (), which follows insertion order; DuckDB's `rowid` would
  // be the user's column in a label file that has one, and would pick another label among duplicates.
  const numbered = sql`SELECT ${key('l', lid)} AS k, ${label} AS v, row_number() OVER () AS pos FROM ${l} AS l WHERE ${lid} IS NOT NULL`;
  const firstLabels = sql`SELECT k, v FROM (${numbered}) QUALIFY row_number() OVER (PARTITION BY k ORDER BY pos) = 1`;
  const inLog = predCols.some((c) => c.name === input.label);
  const columns = inLog ? sql`p.* REPLACE (coalesce(f.v, p.${label}) AS ${label})` : sql`p.*, f.v AS ${label}`;
  await db.query(
    sql`CREATE OR REPLACE TABLE ${out} AS SELECT ${columns} FROM ${p} AS p LEFT JOIN (${firstLabels}) AS f ON ${key('p', id)} = f.k`.text,
    {
      signal,
    },
  );
  const count = (subquery: Sql) => num(sql`(${subquery})::DOUBLE`, 0);
  const r = await oneOf(
    db,
    select(
      {
        predictions: count(sql`SELECT count(*) FROM ${p}`),
        matched: count(sql`SELECT count(${label}) FROM ${out}`),
        label_rows: count(sql`SELECT count(*) FROM ${l}`),
        orphans: count(
          sql`SELECT count(*) FROM ${l} AS l WHERE ${key('l', lid)} IS NULL OR ${key('l', lid)} NOT IN (SELECT ${key('p', id)} FROM ${p} AS p WHERE ${id} IS NOT NULL)`,
        ),
        dup_p: num(sql`${dupPredictions}::DOUBLE`, 0),
        dup_l: count(sql`SELECT count(*) FROM (SELECT ${lid} FROM ${l} WHERE ${lid} IS NOT NULL GROUP BY 1 HAVING count(*) > 1)`),
        conflicts: count(
          sql`SELECT count(*) FROM (SELECT ${lid} FROM ${l} WHERE ${lid} IS NOT NULL GROUP BY 1 HAVING count(DISTINCT ${label}) > 1)`,
        ),
      },
      raw(''),
    ),
    { signal },
  );
  return {
    predictions: r.predictions,
    matched: r.matched,
    unlabelled: r.predictions - r.matched,
    labelRows: r.label_rows,
    labelsWithoutPrediction: r.orphans,
    duplicatePredictionIds: r.dup_p,
    duplicateLabelIds: r.dup_l,
    conflictingLabelIds: r.conflicts,
    ...(comparedAs ? { idTypes: { prediction: predId.type, label: labelId.type, comparedAs } } : {}),
  };
}
