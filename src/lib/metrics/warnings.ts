import type { Db } from '../db';
import type { LabelJoinSummary } from '../labels/join';
import { ident, num, oneOf, raw, select, sql } from '../sql';
import { labelledSql, scoredSql, type PerfSpec } from './spec';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * What a performance analysis left out or had to guess, in words the user can act on: predictions
 * without a label, labels without a prediction, ids stored as different types, labelled rows without a
 * usable score, timestamps that could not be read. A metric over fewer rows than the user thinks is a
 * wrong number unless it says so; every warning is shown next to the numbers (and in the CLI's JSON).
 */
export async function performanceWarnings(
  db: Db,
  input: { spec: PerfSpec; join: LabelJoinSummary; separateLabels: boolean; timestamp?: { column: string; sql: string; text: boolean } },
  signal?: AbortSignal,
): Promise<string[]> {
  const { spec, join } = input;
  const warnings: string[] = [];
  if (join.idTypes) {
    const { prediction, label, comparedAs } = join.idTypes;
    warnings.push(
      comparedAs === 'number'
        ? `Prediction ids are ${prediction} and label ids ${label}: they were matched as numbers (17 matches 17.0).`
        : `Prediction ids are ${prediction} and label ids ${label}: they were matched as text, so 17 matches "17" but not "17.0" or "p17".`,
    );
  }
  if (join.unlabelled > 0)
    warnings.push(
      `${count(join.unlabelled)} of ${count(join.predictions)} predictions have no label${input.separateLabels ? ' in the label file' : ''} and are left out of the metrics.`,
    );
  if (join.labelsWithoutPrediction > 0) warnings.push(`${count(join.labelsWithoutPrediction)} labels match no prediction id.`);
  if (join.conflictingLabelIds > 0)
    warnings.push(`${count(join.conflictingLabelIds)} ids have conflicting labels; the first label in the file counts.`);
  const t = input.timestamp;
  const q = select(
    {
      unscored: num(
        spec.score
          ? sql`count(*) FILTER (WHERE ${labelledSql(spec)} AND NOT coalesce(${scoredSql(spec)}, FALSE))::DOUBLE`
          : raw('0::DOUBLE'),
        0,
      ),
      unread: num(
        t?.text
          ? sql`count(*) FILTER (WHERE nullif(trim(CAST(${ident(t.column)} AS VARCHAR)), '') IS NOT NULL AND ${raw(t.sql)} IS NULL)::DOUBLE`
          : raw('0::DOUBLE'),
        0,
      ),
      rows: num(raw('count(*)::DOUBLE'), 0),
    },
    sql`FROM ${ident(spec.table)}`,
  );
  const r = await oneOf(db, q, { signal });
  if (r.unscored > 0)
    warnings.push(`${count(r.unscored)} labelled rows have no usable score (empty, NaN or infinite) and are left out of the metrics.`);
  if (r.unread > 0 && t)
    warnings.push(
      `${count(r.unread)} of ${count(r.rows)} values of the timestamp column "${t.column}" could not be read as times; those rows are left out of the results over time.`,
    );
  return warnings;
}
