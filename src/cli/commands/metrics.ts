import { LanternError } from '../../lib/errors';
import type { Profile } from '../../lib/profiles/format';
import { profileMetricsJson } from '../../lib/profiles/output';
import { flatMetrics, metricsByGroup, overallPerformance, undefinedReasons, METRIC_NAMES } from '../../lib/metrics/performance';
import { distinctCountSql, findDimension, sliceDimensions, type Dimension } from '../../lib/slices/dimensions';
import { ident, oneOf, type SqlLike } from '../../lib/sql';
import { parseCostText } from '../../lib/metrics/costs';
import { customMetricsBy, type CustomMetric } from '../../lib/metrics/custom';
import { valueOrNull } from '../../lib/metrics/value';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { readProfileIfAny } from '../profileInput';
import { fmt, loadPerfInput, ROLE_OPTIONS, ROLE_USAGE, type PerfInput } from '../perfInput';

export const usage = `Usage: lantern metrics ${ROLE_USAGE}\n       [--by <col>] [--cost fp=5,fn=50[,tp=0,tn=0]] [--metric 'name=<SQL aggregate>']...`;

/** `name=<SQL aggregate>`: the name is up to the first "=" (the expression may hold more). */
function parseMetricFlag(text: string): CustomMetric {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new LanternError(
      'usage',
      `--metric "${text}": write name=<SQL aggregate>, e.g. --metric 'missed=avg(CASE WHEN label = 1 AND prediction = 0 THEN 1 ELSE 0 END)'.`,
    );
  return { name: text.slice(0, at).trim(), expression: text.slice(at + 1).trim() };
}

/** The grouping for --by: a column's own values, its quantile bins (numbers with many values), or a timestamp part. */
async function byDimension(input: PerfInput, by: string): Promise<{ sql: SqlLike; value: (key: unknown) => unknown }> {
  const { db, spec, columns } = input;
  const timeParts = input.timestampSql && spec.timestamp && by.startsWith(`${spec.timestamp}.`);
  const column = columns.find((c) => c.name === by);
  if (column && !timeParts) {
    if (column.kind === 'numeric') {
      if ((await oneOf(db, distinctCountSql(spec.table, by))).distinct > 50) {
        const [dim] = await sliceDimensions(db, spec.table, [column], { [by]: 'feature' });
        return codes(dim!);
      }
    }
    return { sql: ident(by), value: (k) => (k instanceof Date ? k.toISOString() : k) };
  }
  if (timeParts) {
    const dims = await sliceDimensions(db, spec.table, [], {}, { timestamp: { column: spec.timestamp!, sql: input.timestampSql! } });
    const dim = findDimension(dims, by);
    if (dim) return codes(dim);
  }
  throw new LanternError(
    'usage',
    `--by ${by}: no such column${spec.timestamp ? ` or timestamp part (${['month', 'week', 'day_of_week', 'hour'].map((p) => `${spec.timestamp}.${p}`).join(', ')})` : ''}.`,
  );
}

function codes(dim: Dimension) {
  return {
    sql: dim.codeSql,
    value: (k: unknown) => {
      const v = dim.values[Number(k) - 1];
      return v ? (v.predicate.op === '=' ? v.predicate.value : v.label) : null;
    },
  };
}

export async function metrics(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...ROLE_OPTIONS, by: { type: 'string' }, cost: { type: 'string' }, metric: { type: 'string', multiple: true } },
    usage,
  );
  if (positionals.length > 0) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  const profile = values.data ? await readProfileIfAny(values.data) : null;
  if (profile) return metricsOfProfile(profile, values.json ?? false, io);
  let costs;
  try {
    costs = values.cost === undefined ? null : parseCostText(values.cost);
  } catch (error) {
    throw new LanternError('usage', `--cost: ${(error as Error).message}`);
  }
  const custom = (values.metric ?? []).map(parseMetricFlag);
  const input = await loadPerfInput(values, usage);
  const { db, spec } = input;
  const overall = await input.session.overall({ db }, spec.threshold, { pointOnly: true });
  const result: Record<string, unknown> = {
    task: spec.task,
    ...(spec.task === 'binary' ? { positive_class: spec.positive, threshold: spec.score ? spec.threshold : null } : {}),
    columns: { label: spec.label, score: spec.score ?? null, prediction: spec.prediction ?? null, timestamp: spec.timestamp ?? null },
    labels: input.join,
    overall: flatMetrics(spec.task, overall.metrics),
    undefined: undefinedReasons(spec.task, overall.metrics),
    by: [] as unknown[],
    warnings: input.warnings,
  };
  if (input.reference)
    result['reference'] = flatMetrics(spec.task, (await overallPerformance(db, input.reference, { pointOnly: true })).metrics);
  if (costs) {
    const report = await input.session.costs({ db }, costs, spec.threshold);
    result['cost'] = {
      fp: costs.fp,
      fn: costs.fn,
      tp: costs.tp,
      tn: costs.tn,
      ...(costs.perClass ? { per_class: costs.perClass } : {}),
      per_prediction: report.at.perPrediction,
      best_threshold: report.best?.threshold ?? null,
      best_per_prediction: report.best?.perPrediction ?? null,
    };
  }
  if (custom.length) {
    const r = await input.session.customMetrics({ db }, custom);
    result['custom'] = Object.fromEntries(custom.map((m) => [m.name, valueOrNull(r.overall.values[m.name])]));
  }
  if (values.by) {
    const dim = await byDimension(input, values.by);
    const groups = await metricsByGroup(db, spec, [{ sql: dim.sql, as: 'value' }]);
    result['by'] = groups.map((g) => ({ column: values.by, value: dim.value(g.key['value']), ...flatMetrics(spec.task, g.metrics) }));
    if (custom.length) {
      // The same groups' custom metrics, matched by the group's key (the metrics' check ran above).
      const byKey = new Map(
        (await customMetricsBy(db, spec, custom, typeof dim.sql === 'string' ? dim.sql : dim.sql.text)).map((g) => [
          String(g.key),
          g.values,
        ]),
      );
      result['by'] = groups.map((g, i) => {
        const values = byKey.get(String(g.key['value']));
        const row = (result['by'] as Record<string, unknown>[])[i]!;
        return { ...row, custom: Object.fromEntries(custom.map((m) => [m.name, valueOrNull(values?.[m.name])])) };
      });
    }
  }
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const names = METRIC_NAMES[spec.task];
  const o = result['overall'] as Record<string, number | null>;
  io.out(
    `${spec.task} model, ${input.join.matched.toLocaleString('en-US')} of ${input.join.predictions.toLocaleString('en-US')} predictions labelled`,
  );
  if (spec.task === 'binary') io.out(`positive class ${spec.positive}${spec.score ? `, threshold ${spec.threshold}` : ''}`);
  const width = Math.max(...names.map((n) => n.length));
  for (const n of names)
    io.out(
      `  ${n.padEnd(width)}  ${fmt(o[n])}${(result['undefined'] as Record<string, string>)[n] ? `  (${(result['undefined'] as Record<string, string>)[n]})` : ''}`,
    );
  const cost = result['cost'] as Record<string, number | null> | undefined;
  if (cost)
    io.out(
      `cost per prediction ${fmt(cost['per_prediction'])}${cost['best_threshold'] !== null ? `; least at threshold ${cost['best_threshold']}: ${fmt(cost['best_per_prediction'])}` : ''}`,
    );
  for (const [name, v] of Object.entries((result['custom'] ?? {}) as Record<string, number | null>)) io.out(`  ${name}  ${fmt(v)}`);
  if (values.by) {
    const rows = result['by'] as Record<string, unknown>[];
    io.out(`\nby ${values.by}:`);
    io.out(['value', 'n', ...names].join('\t'));
    for (const r of rows) io.out([String(r['value']), fmt(r['n'] as number), ...names.map((n) => fmt(r[n] as number | null))].join('\t'));
  }
  for (const w of input.warnings) io.out(`warning: ${w}`);
  return 0;
}

/** Metrics of a profile (recognised by content): the label, score and threshold are the profile's own. */
function metricsOfProfile(profile: Profile, json: boolean, io: CliIo): number {
  const result = profileMetricsJson(profile);
  if (json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const o = result['overall'] as Record<string, number | null>;
  io.out(`binary model from a profile, ${o['n']!.toLocaleString('en-US')} labelled predictions`);
  io.out(`positive class ${String(result['positive_class'])}, threshold ${String(result['threshold'])}`);
  const names = METRIC_NAMES.binary;
  const width = Math.max(...names.map((n) => n.length));
  for (const n of names) io.out(`  ${n.padEnd(width)}  ${o[n] === null ? 'undefined' : fmt(o[n]!)}`);
  const bounds = result['error_bounds'] as { roc_auc?: number };
  io.out(
    result['approximate']
      ? `ROC AUC and average precision come from the score sketch (ROC AUC within ±${(bounds.roc_auc ?? 0).toPrecision(2)}); the other figures are exact.`
      : 'Every figure is exact (the profile kept exact score values).',
  );
  return 0;
}
