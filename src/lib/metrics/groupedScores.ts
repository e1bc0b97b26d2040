import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { ident, join, raw, sql, type SqlLike } from '../sql';
import { binaryMetricsAt, thresholdFreeMetrics, type BinaryMetrics, type ThresholdFreeMetrics } from './binary';
import { scoreTableFromCounts, type ScoreTable } from './scoreTable';
import { labelledSql, positiveSql, scoreSql, type PerfSpec } from './spec';

/**
 * One group (time window, segment value, heatmap cell) of a binary classifier with scores, reduced to its
 * counts per distinct score: the labelled rows as a score table (positives and negatives per score) and
 * every scored row, labelled or not (for CBPE). Any threshold's confusion matrix is then exact prefix sums
 * (sklearn predicts positive at score >= threshold, and all rows of one score fall on the same side), and
 * the threshold-free metrics are computed once.
 */
export interface ScoreCountGroup {
  /** The group's key values, in the order of the key expressions. */
  key: number[];
  /** Labelled rows with a finite score; absent when the group has none. */
  table?: ScoreTable;
  free?: ThresholdFreeMetrics;
  /** Every row with a finite score: distinct scores ascending and the number of rows at each. */
  all: { scores: Float64Array; counts: Float64Array };
}

/**
 * GROUP BY (keys, score) with labelled positives, labelled negatives and all rows; keys must be numeric.
 * Pulled as Arrow: columns k0, k1, ... (the keys), s, pos, neg, n.
 */
export function groupedScoreCountsSql(spec: PerfSpec, keys: readonly SqlLike[], where?: SqlLike): string {
  const s = scoreSql(spec);
  const y = positiveSql(spec);
  const labelled = labelledSql(spec);
  const keySelect = join(
    keys.map((k, i) => sql`CAST(${raw(k)} AS DOUBLE) AS ${keyColumn(i)}, `),
    '',
  );
  const order = [...keys.map((_, i) => keyColumn(i)), raw('s')];
  return sql`SELECT ${keySelect}${s} AS s, (count(*) FILTER (WHERE ${labelled} AND ${y} = 1))::DOUBLE AS pos, (count(*) FILTER (WHERE ${labelled} AND ${y} = 0))::DOUBLE AS neg, count(*)::DOUBLE AS n FROM ${ident(spec.table)} WHERE isfinite(${s})${where ? sql` AND (${raw(where)})` : raw('')} GROUP BY ALL ORDER BY ${order}`
    .text;
}

/** The Arrow column of key i. */
const keyName = (i: number) => `k${i}`;
const keyColumn = (i: number) => ident(keyName(i));

/**
 * Pulls the per-(group, score) counts once through Arrow (typed arrays, no row objects) and splits them
 * into groups. Rows whose key is NULL are left out.
 */
export async function loadGroupedScoreCounts(
  db: Db,
  spec: PerfSpec,
  keys: readonly SqlLike[],
  options: { where?: SqlLike; signal?: AbortSignal } = {},
): Promise<ScoreCountGroup[]> {
  const table = tableFromIPC(await db.queryArrow(groupedScoreCountsSql(spec, keys, options.where), { signal: options.signal }));
  const column = (name: string) => Float64Array.from(table.getChild(name)?.toArray() ?? []);
  const keyColumns = keys.map((_, i) => {
    const child = table.getChild(keyName(i));
    const values = column(keyName(i));
    // Arrow leaves a NULL's slot undefined in the value buffer: mark it NaN.
    if (child && child.nullCount > 0) for (let r = 0; r < values.length; r++) if (!child.isValid(r)) values[r] = NaN;
    return values;
  });
  return splitGroups(keyColumns, column('s'), column('pos'), column('neg'), column('n'));
}

/** Splits rows sorted by (keys, score) into groups (exported for tests). */
export function splitGroups(
  keyColumns: Float64Array[],
  s: Float64Array,
  pos: Float64Array,
  neg: Float64Array,
  n: Float64Array,
): ScoreCountGroup[] {
  const groups: ScoreCountGroup[] = [];
  const sameKey = (a: number, b: number) => keyColumns.every((k) => k[a] === k[b]);
  for (let start = 0; start < s.length;) {
    let end = start + 1;
    while (end < s.length && sameKey(start, end)) end++;
    const key = keyColumns.map((k) => k[start]!);
    if (key.every((v) => !Number.isNaN(v)))
      groups.push(makeGroup(key, s.subarray(start, end), pos.subarray(start, end), neg.subarray(start, end), n.subarray(start, end)));
    start = end;
  }
  return groups;
}

function makeGroup(key: number[], s: Float64Array, pos: Float64Array, neg: Float64Array, n: Float64Array): ScoreCountGroup {
  const group: ScoreCountGroup = { key, all: { scores: Float64Array.from(s), counts: Float64Array.from(n) } };
  let labelled = 0;
  for (let i = 0; i < s.length; i++) if (pos[i]! + neg[i]! > 0) labelled++;
  if (labelled === 0) return group;
  const ls = new Float64Array(labelled);
  const lp = new Float64Array(labelled);
  const ln = new Float64Array(labelled);
  for (let i = 0, j = 0; i < s.length; i++) {
    if (pos[i]! + neg[i]! === 0) continue;
    ls[j] = s[i]!;
    lp[j] = pos[i]!;
    ln[j++] = neg[i]!;
  }
  group.table = scoreTableFromCounts(ls, lp, ln);
  group.free = thresholdFreeMetrics(group.table);
  return group;
}

/** Every group's metrics at a threshold: a binary search per group, no query (groups without labels are skipped). */
export function groupMetricsAt(groups: readonly ScoreCountGroup[], threshold: number): { key: number[]; metrics: BinaryMetrics }[] {
  const out: { key: number[]; metrics: BinaryMetrics }[] = [];
  for (const g of groups) if (g.table) out.push({ key: g.key, metrics: binaryMetricsAt(g.table, threshold, g.free) });
  return out;
}
