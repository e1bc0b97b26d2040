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
  const ranking = findings.ranked;
  const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const worsenedJson = (list: WorsenedSlice[]) =>
    list.map((w) => ({
      predicates: w.predicates,
      window: day(w.window),
      n: w.n,
      metric: w.metric,
      baseline_n: w.baseline_n,
      baseline_metric: w.baseline_metric,
      difference: w.difference,
      p_value: w.p_value,
      q_value: w.q_value,
    }));
  const runs = findings.worsenedRuns;
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
    /** Slices of one or two conditions significantly worse than the rest by at least a small effect, by severity then added error. */
    ranked: ranking.slices.map((s) => ({
      predicates: s.predicates,
      n: s.n,
      metric: s.metric,
      rest_metric: s.rest_metric,
      difference: s.difference,
      // Infinite when neither the slice nor the rest has any spread (JSON has no infinity).
      effect_size: finite(s.effect_size),
      severity: s.severity,
      t: finite(s.t),
      p_value: s.p_value,
      q_value: s.q_value,
      excess_error: s.excess_error,
      excess_share: s.excess_share,
    })),
    ranking: {
      tested: ranking.tested,
      significant: ranking.significant,
      below_effect: ranking.belowEffect,
      subsumed: ranking.subsumed,
      fdr: ranking.fdr,
      min_effect: ranking.minEffect,
    },
    /**
     * Slices of one or two conditions significantly worse than their baseline (the reference with
     * --reference, else earlier windows) in consecutive windows: from `window` (the onset) to `window_end`.
     */
    worsened: (runs?.runs ?? []).map((w) => ({
      predicates: w.predicates,
      window: day(w.window),
      window_end: day(w.window_end),
      windows: w.byWindow.length,
      n: w.n,
      metric: w.metric,
      baseline_n: w.baseline_n,
      baseline_metric: w.baseline_metric,
      difference: w.difference,
      t: finite(w.t),
      p_value: w.p_value,
      q_value: w.q_value,
    })),
    worsened_comparisons: runs
      ? {
          baseline: runs.baseline,
          compared: runs.compared,
          too_small: runs.tooSmall,
          subsumed: runs.subsumed,
          found: runs.found,
          min_support: runs.minSupport,
          fdr: runs.fdr,
        }
      : null,
    /** One-condition slices worse over the whole log than in the reference (with --reference). */
    worsened_vs_reference: findings.worsenedVsReference ? worsenedJson(findings.worsenedVsReference) : null,
  };
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `${found.metric} over ${found.rows.toLocaleString('en-US')} labelled rows: overall ${fmt(found.overall)}; slices of at least ${found.minSupport} rows, up to ${maxDepth} conditions`,
  );
  const q = (v: number | null) => (v === null ? '-' : v.toExponential(1));
  io.out('\nworst slices (SliceLine):');
  for (const s of found.slices) {
    io.out(
      `  ${s.label}\n      n=${s.n}  ${found.metric}=${fmt(s.metric)}  (+${fmt(s.difference)})  q=${q(s.q_value)}${s.significant ? '' : '  not significant'}`,
    );
  }
  io.out(
    `\nslices clearly worse than the rest (one or two conditions; effect size >= ${ranking.minEffect}, q < ${ranking.fdr}; by severity, then added error):`,
  );
  if (!ranking.slices.length) io.out(`  none of ${ranking.tested} slices tested`);
  for (const s of ranking.slices) {
    io.out(
      `  ${s.label}\n      n=${s.n} (${fmt((100 * s.n) / ranking.rows)}% of rows)  ${found.metric}=${fmt(s.metric)} vs ${fmt(s.rest_metric)}  effect ${fmt(s.effect_size)} (${s.severity})  adds ${fmt(100 * s.excess_share)}% of the error  q=${q(s.q_value)}`,
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
  if (runs) {
    io.out(
      `\nslices that got worse than ${runs.baseline === 'reference' ? 'in the reference' : 'in earlier windows'} (one or two conditions):`,
    );
    if (!runs.runs.length) io.out(`  none of ${runs.compared} comparisons (${runs.tooSmall} slice x window cells too small to compare)`);
    for (const w of runs.runs) {
      const from = w.window === null ? '' : ` since the window of ${new Date(w.window).toISOString().slice(0, 10)}`;
      const to = w.window_end !== null && w.window_end !== w.window ? ` through ${new Date(w.window_end).toISOString().slice(0, 10)}` : '';
      io.out(`  ${w.label}${from}${to}: ${fmt(w.baseline_metric)} -> ${fmt(w.metric)} (n=${w.n}, q=${q(w.q_value)})`);
    }
  }
  print('slices that got worse than in the reference over the whole log', findings.worsenedVsReference ?? []);
  return 0;
}
