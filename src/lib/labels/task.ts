import type { Db } from '../db';
import type { Task } from '../metrics/spec';
import type { ColumnKind } from '../schema';
import { bool, ident, num, oneOf, raw, rowsOf, select, sql, str } from '../sql';
import { classTextSql } from './classValue';

export interface LabelProfile {
  /** Distinct label values (text form) with their counts, most frequent first, at most `limit`. */
  values: { value: string; count: number }[];
  distinct: number;
  /** Numeric labels: whether every value is a whole number. */
  integral: boolean;
}

/** The labels' values as class text with their counts, most frequent first (`limit` of them). */
export function labelValuesSql(table: string, label: string, kind: ColumnKind, limit: number) {
  return select(
    { value: str(classTextSql(label, kind)), count: num(raw('count(*)::DOUBLE'), 0) },
    sql`FROM ${ident(table)} WHERE ${ident(label)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`,
  );
}

/** The number of distinct labels and, for numbers, whether every label is whole. */
export function labelShapeSql(table: string, label: string, kind: ColumnKind) {
  const l = ident(label);
  const whole = kind === 'numeric' ? sql`bool_and(CAST(${l} AS DOUBLE) = trunc(CAST(${l} AS DOUBLE)))` : raw('NULL');
  return select(
    { distinct: num(sql`count(DISTINCT ${classTextSql(label, kind)})::DOUBLE`, 0), integral: bool(whole) },
    sql`FROM ${ident(table)} WHERE ${l} IS NOT NULL`,
  );
}

export async function profileLabels(db: Db, table: string, label: string, kind: ColumnKind, limit = 100): Promise<LabelProfile> {
  const rows = await rowsOf(db, labelValuesSql(table, label, kind, limit + 1));
  const shape = await oneOf(db, labelShapeSql(table, label, kind));
  return {
    values: rows.slice(0, limit),
    distinct: shape.distinct,
    integral: kind !== 'numeric' || shape.integral === true,
  };
}

/**
 * The task a label column implies: two values are binary; numbers with many values or fractions are
 * regression; a few values (up to `maxClasses`) are multiclass. The user can override it.
 */
export function inferTask(kind: ColumnKind, profile: LabelProfile, maxClasses = 30): Task {
  if (kind === 'boolean' || profile.distinct <= 2) return 'binary';
  if (kind === 'numeric' && (!profile.integral || profile.distinct > maxClasses)) return 'regression';
  return profile.distinct <= maxClasses || kind !== 'numeric' ? 'multiclass' : 'regression';
}

const POSITIVE_WORDS = [
  '1',
  'true',
  'yes',
  'y',
  'positive',
  'pos',
  'fraud',
  'churn',
  'churned',
  'default',
  'spam',
  'bad',
  'fail',
  'failed',
  'malignant',
  'event',
];

/**
 * The class treated as positive: the usual spellings (1, true, yes, fraud, ...), else the rarer class -
 * monitoring cares about the rare event.
 */
export function inferPositiveClass(profile: LabelProfile): string | undefined {
  const present = profile.values.map((v) => v.value);
  for (const w of POSITIVE_WORDS) {
    const hit = present.find((v) => v.toLowerCase() === w);
    if (hit !== undefined) return hit;
  }
  const sorted = [...profile.values].sort((a, b) => a.count - b.count || (a.value < b.value ? -1 : 1));
  return sorted[0]?.value;
}
