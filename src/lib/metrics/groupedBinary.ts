import { ident, join, num, numOrNull, raw, selectKeyed, sql, withCtes, type Decoded, type SqlLike } from '../sql';
import { binaryRates } from './confusion';
import type { BinaryMetrics } from './binary';
import { LOG_LOSS_EPS } from './scoreMetrics';
import { positiveSql, predictedPositiveSql, scoredSql, scoreSql, type PerfSpec } from './spec';
import { defined, undefinedMetric } from './value';

/** A grouping key: a SQL expression and the output column it is named as. */
export interface GroupKey {
  /** A SQL expression: `Sql`, or the text a builder kept (a slice dimension's code). */
  sql: SqlLike;
  as: string;
}

const clip = sql`least(greatest(s, ${LOG_LOSS_EPS}), 1 - ${LOG_LOSS_EPS})`;

/** The sums behind the binary metrics of a group: one row of `binaryByGroupSql`. */
const binarySums = () => ({
  n: num(raw('(sum(pos) + sum(neg))::DOUBLE'), 0),
  positives: num(raw('sum(pos)::DOUBLE'), 0),
  tp: num(raw('sum(pos * pp)::DOUBLE'), 0),
  fp: num(raw('sum(neg * pp)::DOUBLE'), 0),
  tn: num(raw('sum(neg * (1 - pp))::DOUBLE'), 0),
  fn: num(raw('sum(pos * (1 - pp))::DOUBLE'), 0),
  u: num(raw('sum(pos * (neg_below + 0.5 * neg))::DOUBLE'), 0),
  ap_sum: num(raw('fsum(CASE WHEN pos > 0 THEN pos * tp_cum / (tp_cum + fp_cum) ELSE 0 END)::DOUBLE'), 0),
  ll_sum: num(
    sql`fsum(CASE WHEN pos > 0 THEN -pos * ln(${clip}) ELSE 0 END + CASE WHEN neg > 0 THEN -neg * ln(1 - ${clip}) ELSE 0 END)::DOUBLE`,
    0,
  ),
  brier_sum: num(raw('fsum(pos * (1 - s) * (1 - s) + neg * s * s)::DOUBLE'), 0),
  min_s: numOrNull(raw('min(s)::DOUBLE')),
  max_s: num(raw('max(s)::DOUBLE'), 0),
});

export type BinarySums = Decoded<ReturnType<typeof binarySums>>;

/**
 * Binary metrics for every group in one scan, all in DuckDB: rows are grouped by (keys, score, predicted),
 * then window sums give ROC AUC as the Mann-Whitney U with ties counted 1/2 and average precision as
 * sklearn's step sum, per group, without pulling rows out. `where` is an extra SQL filter (a slice).
 */
export function binaryByGroupSql(spec: PerfSpec, keys: GroupKey[], where?: SqlLike) {
  const k = keys.map((g) => ident(g.as));
  const part = k.length ? sql`PARTITION BY ${k} ` : raw('');
  const keyList = k.length ? sql`${k}, ` : raw('');
  const keySelect = join(
    keys.map((g) => sql`${raw(g.sql)} AS ${ident(g.as)}, `),
    '',
  );
  const s = spec.score ? scoreSql(spec) : raw('NULL::DOUBLE');
  const ctes = sql`base AS (
  SELECT ${keySelect}${s} AS s, ${positiveSql(spec)} AS y, ${predictedPositiveSql(spec)} AS pp
  FROM ${ident(spec.table)} WHERE ${scoredSql(spec)}${where ? sql` AND (${raw(where)})` : raw('')}
), grouped AS (
  SELECT ${keyList}s, pp, sum(y)::DOUBLE AS pos, (count(*) - sum(y))::DOUBLE AS neg FROM base GROUP BY ALL
), ranked AS (
  -- Without a score every row has s NULL: pp orders the ties, so that the running sums are the same on every run.
  SELECT *,
    coalesce(sum(neg) OVER (${part}ORDER BY s, pp ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS neg_below,
    sum(pos) OVER (${part}ORDER BY s DESC, pp DESC ROWS UNBOUNDED PRECEDING) AS tp_cum,
    sum(neg) OVER (${part}ORDER BY s DESC, pp DESC ROWS UNBOUNDED PRECEDING) AS fp_cum
  FROM grouped
)`;
  const rest = k.length ? sql`FROM ranked GROUP BY ${k} ORDER BY ${k}` : raw('FROM ranked');
  return withCtes(
    ctes,
    selectKeyed(
      keys.map((g) => ({ expr: ident(g.as), as: g.as })),
      binarySums(),
      rest,
    ),
  );
}

/** Turns one row of binaryByGroupSql into metrics (Wilson intervals on rates; no bootstrap per group). */
export function binaryMetricsFromGroupRow(row: BinarySums, scored: boolean): BinaryMetrics {
  const { n, positives } = row;
  const negatives = n - positives;
  const c = { tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn };
  const probabilities = scored && row.min_s !== null && row.min_s >= 0 && row.max_s <= 1;
  const oneClass = positives === 0 ? 'only the negative class is present' : 'only the positive class is present';
  const noScore = 'needs a score column (predicted probability)';
  return {
    n,
    positives,
    ...binaryRates(c),
    roc_auc: !scored
      ? undefinedMetric(`ROC AUC ${noScore}`)
      : positives > 0 && negatives > 0
        ? defined(row.u / (positives * negatives))
        : undefinedMetric(`ROC AUC needs both classes: ${n === 0 ? 'no labelled rows' : oneClass}`),
    average_precision: !scored
      ? undefinedMetric(`average precision ${noScore}`)
      : positives > 0
        ? defined(row.ap_sum / positives)
        : undefinedMetric('average precision needs positive labels: only the negative class is present'),
    log_loss: !scored
      ? undefinedMetric(`log loss ${noScore}`)
      : n === 0
        ? undefinedMetric('no labelled rows')
        : probabilities
          ? defined(row.ll_sum / n)
          : undefinedMetric('log loss needs probabilities: scores fall outside [0, 1]'),
    brier: !scored
      ? undefinedMetric(`the Brier score ${noScore}`)
      : n === 0
        ? undefinedMetric('no labelled rows')
        : probabilities
          ? defined(row.brier_sum / n)
          : undefinedMetric('the Brier score needs probabilities: scores fall outside [0, 1]'),
  };
}
