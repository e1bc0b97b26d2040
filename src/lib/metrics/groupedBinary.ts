import { ident, literal, type Sql } from '../sql';
import { binaryRates } from './confusion';
import type { BinaryMetrics } from './binary';
import { LOG_LOSS_EPS } from './scoreMetrics';
import { positiveSql, predictedPositiveSql, scoredSql, scoreSql, type PerfSpec } from './spec';
import { defined, undefinedMetric } from './value';

/** A grouping key: a SQL expression and the output column it is named as. */
export interface GroupKey {
  /** A SQL expression (older builders pass text; `Sql` prints itself). */
  sql: string | Sql;
  as: string;
}

/**
 * Binary metrics for every group in one scan, all in DuckDB: rows are grouped by (keys, score, predicted),
 * then window sums give ROC AUC as the Mann-Whitney U with ties counted 1/2 and average precision as
 * sklearn's step sum, per group, without pulling rows out. `where` is an extra SQL filter (a slice).
 */
export function binaryByGroupSql(spec: PerfSpec, keys: GroupKey[], where?: string): string {
  const k = keys.map((g) => ident(g.as));
  const part = k.length ? `PARTITION BY ${k.join(', ')} ` : '';
  const keyList = k.length ? `${k.join(', ')}, ` : '';
  const keySelect = keys.map((g) => `${g.sql} AS ${ident(g.as)}, `).join('');
  const scored = Boolean(spec.score);
  const s = scored ? scoreSql(spec) : 'NULL::DOUBLE';
  const eps = literal(LOG_LOSS_EPS);
  const clip = `least(greatest(s, ${eps}), 1 - ${eps})`;
  return `WITH base AS (
  SELECT ${keySelect}${s} AS s, ${positiveSql(spec)} AS y, ${predictedPositiveSql(spec)} AS pp
  FROM ${ident(spec.table)} WHERE ${scoredSql(spec)}${where ? ` AND (${where})` : ''}
), grouped AS (
  SELECT ${keyList}s, pp, sum(y)::DOUBLE AS pos, (count(*) - sum(y))::DOUBLE AS neg FROM base GROUP BY ALL
), ranked AS (
  SELECT *,
    coalesce(sum(neg) OVER (${part}ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS neg_below,
    sum(pos) OVER (${part}ORDER BY s DESC ROWS UNBOUNDED PRECEDING) AS tp_cum,
    sum(neg) OVER (${part}ORDER BY s DESC ROWS UNBOUNDED PRECEDING) AS fp_cum
  FROM grouped
)
SELECT ${keyList}
  (sum(pos) + sum(neg))::DOUBLE AS n, sum(pos)::DOUBLE AS positives,
  sum(pos * pp)::DOUBLE AS tp, sum(neg * pp)::DOUBLE AS fp, sum(neg * (1 - pp))::DOUBLE AS tn, sum(pos * (1 - pp))::DOUBLE AS fn,
  sum(pos * (neg_below + 0.5 * neg))::DOUBLE AS u,
  fsum(CASE WHEN pos > 0 THEN pos * tp_cum / (tp_cum + fp_cum) ELSE 0 END)::DOUBLE AS ap_sum,
  fsum(CASE WHEN pos > 0 THEN -pos * ln(${clip}) ELSE 0 END + CASE WHEN neg > 0 THEN -neg * ln(1 - ${clip}) ELSE 0 END)::DOUBLE AS ll_sum,
  fsum(pos * (1 - s) * (1 - s) + neg * s * s)::DOUBLE AS brier_sum,
  min(s)::DOUBLE AS min_s, max(s)::DOUBLE AS max_s
FROM ranked${k.length ? ` GROUP BY ${k.join(', ')} ORDER BY ${k.join(', ')}` : ''}`;
}

/** Turns one row of binaryByGroupSql into metrics (Wilson intervals on rates; no bootstrap per group). */
export function binaryMetricsFromGroupRow(row: Record<string, unknown>, scored: boolean): BinaryMetrics {
  const num = (name: string) => Number(row[name] ?? 0);
  const n = num('n');
  const positives = num('positives');
  const negatives = n - positives;
  const c = { tp: num('tp'), fp: num('fp'), tn: num('tn'), fn: num('fn') };
  const probabilities = scored && row['min_s'] !== null && num('min_s') >= 0 && num('max_s') <= 1;
  const oneClass = positives === 0 ? 'only the negative class is present' : 'only the positive class is present';
  const noScore = 'needs a score column (predicted probability)';
  return {
    n,
    positives,
    ...binaryRates(c),
    roc_auc: !scored
      ? undefinedMetric(`ROC AUC ${noScore}`)
      : positives > 0 && negatives > 0
        ? defined(num('u') / (positives * negatives))
        : undefinedMetric(`ROC AUC needs both classes: ${n === 0 ? 'no labelled rows' : oneClass}`),
    average_precision: !scored
      ? undefinedMetric(`average precision ${noScore}`)
      : positives > 0
        ? defined(num('ap_sum') / positives)
        : undefinedMetric('average precision needs positive labels: only the negative class is present'),
    log_loss: !scored
      ? undefinedMetric(`log loss ${noScore}`)
      : n === 0
        ? undefinedMetric('no labelled rows')
        : probabilities
          ? defined(num('ll_sum') / n)
          : undefinedMetric('log loss needs probabilities: scores fall outside [0, 1]'),
    brier: !scored
      ? undefinedMetric(`the Brier score ${noScore}`)
      : n === 0
        ? undefinedMetric('no labelled rows')
        : probabilities
          ? defined(num('brier_sum') / n)
          : undefinedMetric('the Brier score needs probabilities: scores fall outside [0, 1]'),
  };
}
