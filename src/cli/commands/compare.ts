import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { nodeParquet, openNodeDb, PathSource } from '../../engine/node';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import { METRIC_NAMES } from '../../lib/metrics/performance';
import type { Task } from '../../lib/metrics/spec';
import { compareVersions } from '../../lib/usecases/compare';
import { parseModel } from '../../lib/model/load';
import type { VersionModel } from '../../lib/versions/models';
import { comparisonJson } from '../../lib/versions/report';
import type { VersionsLayout } from '../../lib/versions/types';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { fmt } from '../perfInput';

export const usage =
  'Usage: lantern compare --data <log> [--labels <file> --id <col>] [--label <col>] --champion <col> --challenger <col> [--json]\n' +
  '       lantern compare --data <log> [--labels <file> --id <col>] [--label <col>] --score <col> --version <col> [--baseline <value>] [--json]\n' +
  '       lantern compare --data <log> [--labels <file> --id <col>] [--label <col>] --model <champion file> --model <challenger file> [--json]\n' +
  '       (without --champion, --version or --model the versions are read from the columns)\n' +
  '       [--timestamp <col>] [--task binary|multiclass|regression] [--positive <class>] [--threshold <t>]';

const OPTIONS = {
  data: { type: 'string' },
  labels: { type: 'string' },
  id: { type: 'string' },
  label: { type: 'string' },
  champion: { type: 'string' },
  challenger: { type: 'string' },
  score: { type: 'string' },
  prediction: { type: 'string' },
  version: { type: 'string' },
  baseline: { type: 'string' },
  timestamp: { type: 'string' },
  task: { type: 'string' },
  positive: { type: 'string' },
  threshold: { type: 'string' },
  model: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

/** `--model a --model b`: two model files, the first the champion; the log is scored with each. */
async function modelsOf(paths: string[] | undefined, values: Record<string, unknown>): Promise<VersionModel[] | undefined> {
  if (!paths) return undefined;
  if (paths.length !== 2)
    throw new LanternError('usage', `--model takes two model files, the champion's then the challenger's (got ${paths.length}).\n${usage}`);
  for (const k of ['champion', 'challenger', 'version', 'score', 'prediction', 'baseline'])
    if (values[k] !== undefined) throw new LanternError('usage', `--model compares two model files; it does not go with --${k}.\n${usage}`);
  return Promise.all(
    paths.map(async (path) => {
      const name = basename(path);
      return { name, model: parseModel(new Uint8Array(await readFile(path)), name) };
    }),
  );
}

function layoutOf(values: Record<string, unknown>): VersionsLayout | undefined {
  const s = (k: string) => values[k] as string | undefined;
  if (s('champion') || s('challenger')) {
    if (!s('champion') || !s('challenger'))
      throw new LanternError('usage', `A paired comparison needs both --champion and --challenger.\n${usage}`);
    if (s('version')) throw new LanternError('usage', `--version goes with --score (a split log), not with --champion.\n${usage}`);
    return { mode: 'paired', champion: s('champion')!, challenger: s('challenger')! };
  }
  if (s('version')) {
    const output = s('score') ?? s('prediction');
    if (!output)
      throw new LanternError('usage', `A split comparison needs the output column: --score <col> (or --prediction <col>).\n${usage}`);
    return { mode: 'split', version: s('version')!, output, baseline: s('baseline') };
  }
  if (s('baseline')) throw new LanternError('usage', `--baseline goes with --version.\n${usage}`);
  return undefined;
}

/** `lantern compare`: the Versions view's comparison of model versions, as JSON or text. */
export async function compare(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  if (positionals.length > 0) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (!values.data) throw new LanternError('usage', `--data <file> is required.\n${usage}`);
  const models = await modelsOf(values.model, values);
  const layout = models ? undefined : layoutOf(values);
  if (values.task !== undefined && !['binary', 'multiclass', 'regression'].includes(values.task))
    throw new LanternError('usage', `--task must be one of binary, multiclass, regression.\n${usage}`);
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!Number.isFinite(threshold)) throw new LanternError('usage', `--threshold must be a number, not "${values.threshold}".`);
  }
  const sources = { data: await PathSource.open(values.data), labels: values.labels ? await PathSource.open(values.labels) : undefined };
  const db = await openNodeDb();
  await loadDataset(db, nodeParquet, sources.data, { table: 'data' });
  if (sources.labels) await loadDataset(db, nodeParquet, sources.labels, { table: 'labels' });
  const c = await compareVersions(
    { db },
    {
      data: 'data',
      labels: sources.labels ? 'labels' : undefined,
      layout,
      models,
      choices: {
        id: values.id,
        label: values.label,
        timestamp: values.timestamp,
        task: values.task as Task | undefined,
        positive: values.positive,
        threshold,
      },
      out: 'compare',
    },
  );
  const json = comparisonJson(c);
  if (values.json) {
    // JSON has no NaN or Infinity: such values print as null.
    io.out(JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    return 0;
  }
  const names = METRIC_NAMES[c.task];
  io.out(`${c.mode} comparison of ${c.versions.map((v) => v.name).join(', ')} (${c.task}${c.scores ? `, threshold ${c.threshold}` : ''})`);
  const width = Math.max(...names.map((n) => n.length), 1);
  io.out(`  ${''.padEnd(width)}  ${c.versions.map((v) => v.name.padStart(12)).join('')}`);
  io.out(`  ${'n'.padEnd(width)}  ${c.versions.map((v) => String(v.n).padStart(12)).join('')}`);
  for (const n of names) io.out(`  ${n.padEnd(width)}  ${c.versions.map((v) => fmt(v.flat[n]).padStart(12)).join('')}`);
  for (const cmp of c.comparisons) {
    io.out(`\n${cmp.challenger} against ${cmp.champion}: ${cmp.verdict.decision.toUpperCase()}`);
    for (const r of cmp.verdict.reasons) io.out(`  - ${r}`);
  }
  if (c.models) {
    const [a, b] = c.models.models;
    io.out(`\nMean |SHAP| per feature on ${c.models.rows} rows`);
    const w = Math.max(...c.models.features.map((f) => f.feature.length), 7);
    io.out(`  ${'feature'.padEnd(w)}  ${a!.padStart(14)}  ${b!.padStart(14)}`);
    for (const f of c.models.features)
      io.out(`  ${f.feature.padEnd(w)}  ${f.values.map((v) => (v === null ? 'not used' : fmt(v)).padStart(14)).join('  ')}`);
  }
  return 0;
}
