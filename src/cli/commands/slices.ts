import { LanternError } from '../../lib/errors';
import { SLICE_DEFAULTS } from '../../lib/slices/defaults';
import { ROW_ERRORS, type RowErrorName } from '../../lib/slices/rowError';
import type { WorsenedSlice } from '../../lib/slices/worsened';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { fmt, loadPerfInput, ROLE_OPTIONS, ROLE_USAGE } from '../perfInput';

export const usage = `Usage: lantern slices ${ROLE_USAGE}\n       [--metric ${Object.keys(ROW_ERRORS).join('|')}] [--max-depth 1-3] [--top K] [--min-support N]`;

function integer(value: string | undefined, name: string, lo: number, hi: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < lo || n > hi)
    throw new LanternError('usage', `--${name} must be a whole number from ${lo} to ${hi}, not "${value}".\n${usage}`);
  return n;
}

export async function slices(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...ROLE_OPTIONS,
      metric: { type: 'string' },
      'max-depth': { type: 'string' },
      top: { type: 'string' },
      'min-support': { type: 'string' },
    },
    usage,
  );
  if (positionals.length > 0) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (values.metric !== undefined && !(values.metric in ROW_ERRORS))
    throw new LanternError('usage', `--metric must be one of ${Object.keys(ROW_ERRORS).join(', ')}.\n${usage}`);
  const maxDepth = integer(values['max-depth'], 'max-depth', 1, 3, SLICE_DEFAULTS.maxDepth);
  const k = integer(values.top, 'top', 1, 1000, SLICE_DEFAULTS.k);
  const minSupport =
    values['min-support'] === undefined ? undefined : integer(values['min-support'], 'min-support', 1, Number.MAX_SAFE_INTEGER, 1);
  const input = await loadPerfInput(values, usage);
  const { db, spec, session } = input;
  const dims = session.dims;
  if (dims.length === 0) throw new LanternError('usage', 'No column to slice by: slices need feature or segment columns (or a timestamp).');
  // The same search, with the same defaults, as the app's Performance view.
  const findings = await session.findSlices(
    { db },
    { metric: values.metric as RowErrorName | undefined, maxDepth, k, minSupport, threshold: spec.threshold },
  );
  const found = findings.discovery;
  const worsenedJson = (list: WorsenedSlice[]) =>
    list.map((w) => ({
      predicates: w.predicates,
      window: w.window === null ? null : new Date(w.window).toISOString(),
      n: w.n,
      metric: w.metric,
      baseline_n: w.baseline_n,
      baseline_metric: w.baseline_metric,
      difference: w.difference,
      p_value: w.p_value,
      q_value: w.q_value,
    }));
  const worsened = findings.worsened;
  const result = {
    task: spec.task,
    metric: found.metric,
    overall: found.overall,
    rows: found.rows,
    min_support: found.minSupport,
    max_depth: maxDepth,
    dimensions: dims.map((d) => d.name),
    slices: found.slices.map((s) => ({
      predicates: s.predicates,
      n: s.n,
      metric: s.metric,
      overall: s.overall,
      difference: s.difference,
      score: s.score,
      p_value: s.p_value,
      q_value: s.q_value,
      significant: s.significant,
    })),
    /** Slices worse in a window than in the earlier windows. */
    worsened: worsenedJson(worsened),
    /** Slices worse over the whole log than in the reference (with --reference). */
    worsened_vs_reference: findings.worsenedVsReference ? worsenedJson(findings.worsenedVsReference) : null,
  };
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `${found.metric} over ${found.rows.toLocaleString('en-US')} labelled rows: overall ${fmt(found.overall)}; slices of at least ${found.minSupport} rows, up to ${maxDepth} conditions`,
  );
  io.out('\nworst slices:');
  for (const s of found.slices) {
    io.out(
      `  ${s.label}\n      n=${s.n}  ${found.metric}=${fmt(s.metric)}  (+${fmt(s.difference)})  q=${s.q_value === null ? '-' : s.q_value.toExponential(1)}${s.significant ? '' : '  not significant'}`,
    );
  }
  const print = (title: string, list: WorsenedSlice[]) => {
    if (!list.length) return;
    io.out(`\n${title}:`);
    for (const w of list)
      io.out(
        `  ${w.label}${w.window === null ? '' : ` from ${new Date(w.window).toISOString().slice(0, 10)}`}: ${fmt(w.baseline_metric)} -> ${fmt(w.metric)} (n=${w.n}, q=${w.q_value.toExponential(1)})`,
      );
  };
  print('slices that got worse than in earlier windows', worsened);
  print('slices that got worse than in the reference', findings.worsenedVsReference ?? []);
  return 0;
}
