import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { ident, raw, sql, type SqlLike } from '../sql';
import type { Confusion } from './confusion';
import { positiveSql, scoredSql, scoreSql, type PerfSpec } from './spec';

/**
 * Labelled rows of a binary classifier grouped by distinct score: ascending scores with the count of
 * positive and negative labels at each. Every score metric (AUC, AP, log loss, Brier, curves, any
 * threshold's confusion matrix) is a function of this table, so a threshold change never rescans the
 * rows: GROUP BY score, label once in DuckDB, then binary search here.
 */
export interface ScoreTable {
  scores: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
  /** cumPos[i] = positives with score below scores[i]; length groups + 1. */
  cumPos: Float64Array;
  cumNeg: Float64Array;
  positives: number;
  negatives: number;
}

export function scoreTableFromCounts(scores: ArrayLike<number>, pos: ArrayLike<number>, neg: ArrayLike<number>): ScoreTable {
  const g = scores.length;
  const cumPos = new Float64Array(g + 1);
  const cumNeg = new Float64Array(g + 1);
  for (let i = 0; i < g; i++) {
    if (i > 0 && !(scores[i]! > scores[i - 1]!)) throw new Error('scores must be distinct and ascending');
    cumPos[i + 1] = cumPos[i]! + pos[i]!;
    cumNeg[i + 1] = cumNeg[i]! + neg[i]!;
  }
  return {
    scores: Float64Array.from(scores),
    pos: Float64Array.from(pos),
    neg: Float64Array.from(neg),
    cumPos,
    cumNeg,
    positives: cumPos[g]!,
    negatives: cumNeg[g]!,
  };
}

/** Builds a score table from raw rows (tests, small data); y is 1 for the positive class. */
export function scoreTableFromRows(scores: ArrayLike<number>, y: ArrayLike<number>): ScoreTable {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const s: number[] = [];
  const p: number[] = [];
  const n: number[] = [];
  for (const i of order) {
    const score = scores[i]!;
    if (s.length === 0 || s[s.length - 1] !== score) {
      s.push(score);
      p.push(0);
      n.push(0);
    }
    if (y[i]) p[p.length - 1]!++;
    else n[n.length - 1]!++;
  }
  return scoreTableFromCounts(s, p, n);
}

/** Per distinct score, the labelled positives and negatives (pulled as Arrow: columns s, pos, neg). */
export function scoreTableSql(spec: PerfSpec, where?: SqlLike): string {
  const y = positiveSql(spec);
  return sql`SELECT ${scoreSql(spec)} AS s, sum(${y})::DOUBLE AS pos, (count(*) - sum(${y}))::DOUBLE AS neg FROM ${ident(spec.table)} WHERE ${scoredSql(spec)}${where ? sql` AND (${raw(where)})` : raw('')} GROUP BY 1 ORDER BY 1`
    .text;
}

/** Pulls the score table through Arrow: a million distinct scores are three typed arrays, not a million objects. */
export async function loadScoreTable(db: Db, spec: PerfSpec, options: { where?: SqlLike; signal?: AbortSignal } = {}): Promise<ScoreTable> {
  const bytes = await db.queryArrow(scoreTableSql(spec, options.where), { signal: options.signal });
  const table = tableFromIPC(bytes);
  const column = (name: string) => Float64Array.from(table.getChild(name)?.toArray() ?? []);
  return scoreTableFromCounts(column('s'), column('pos'), column('neg'));
}

/** First index whose score is >= threshold. */
export function firstAtOrAbove(table: ScoreTable, threshold: number): number {
  let lo = 0;
  let hi = table.scores.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (table.scores[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The confusion matrix when rows with score >= threshold are predicted positive: O(log groups). */
export function confusionAt(table: ScoreTable, threshold: number): Confusion {
  const i = firstAtOrAbove(table, threshold);
  const fn = table.cumPos[i]!;
  const tn = table.cumNeg[i]!;
  return { tp: table.positives - fn, fp: table.negatives - tn, tn, fn };
}
