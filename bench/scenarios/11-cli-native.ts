/**
 * The CLI on native DuckDB against native DuckDB doing the bare minimum on the same Parquet files: load,
 * drift, metrics and slices at the analysis log's size (1M rows) and the largest (10M). Both sides are
 * whole processes timed from spawn to exit, as a CI step would run them: `node bin/lantern.mjs <command>`
 * (tsx compiling the command's part of the core included) against `node bench/native/minimal.mjs <mode>`
 * (a plain script). Peak memory is each process's maximum RSS (GNU time's %M).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DRIFT_COLUMNS, SEGMENTS } from '../lib/data';
import type { BenchContext, Case, Measurement, Scenario } from '../lib/scenario';

type Analysis = 'load' | 'drift' | 'metrics' | 'slices';
const ANALYSES: Analysis[] = ['load', 'drift', 'metrics', 'slices'];

function timed(ctx: BenchContext, argv: string[], marker?: string): Measurement {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'BENCH_MAXRSS_KB=%M', process.execPath, ...argv], {
    cwd: ctx.root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, LANTERN_ENGINE: 'native' },
  });
  const ms = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`${argv.slice(0, 2).join(' ')} exited ${run.status}: ${(run.stderr || run.stdout).split('\n').slice(-3).join(' ')}`);
  const kb = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(run.stderr)?.[1] ?? 0);
  const detail: Record<string, unknown> = {};
  if (marker) {
    const line = run.stdout.split('\n').find((l) => l.startsWith(marker));
    if (line) Object.assign(detail, JSON.parse(line.slice(marker.length)));
  } else detail['stdoutBytes'] = run.stdout.length;
  return { ms, peakBytes: kb * 1024, peakHow: 'maximum RSS of the process (GNU time %M)', detail };
}

function lanternArgs(a: Analysis, p: Record<string, unknown>): string[] {
  const log = String(p['log']);
  switch (a) {
    case 'load':
      return ['inspect', log, '--json'];
    case 'drift':
      return ['drift', '--reference', String(p['reference']), '--current', log, '--columns', DRIFT_COLUMNS.join(','), '--json'];
    case 'metrics':
      return ['metrics', '--data', log, '--label', 'label', '--score', 'score', '--json'];
    case 'slices':
      return ['slices', '--data', log, '--label', 'label', '--score', 'score', '--max-depth', '2', '--json'];
  }
}

function nativeArgs(a: Analysis, p: Record<string, unknown>): string[] {
  const log = String(p['log']);
  switch (a) {
    case 'load':
      return [log];
    case 'drift':
      return [String(p['reference']), log, DRIFT_COLUMNS.join(',')];
    case 'metrics':
      return [log];
    case 'slices':
      return [log, SEGMENTS.join(',')];
  }
}

const scenario: Scenario = {
  id: 'cli-native',
  title: 'CLI on native DuckDB (whole process)',
  aim: 'scale issue: within 1.5x of native DuckDB doing the bare minimum (load, drift, metrics, slices; 1M and 10M rows)',
  pending: async () => null,
  cases: (ctx) => {
    const sizes = [ctx.files.analysisLog, Object.entries(ctx.files.log).sort((a, b) => b[1].rows - a[1].rows)[0]![0]];
    const cases: Case[] = [];
    for (const size of [...new Set(sizes)]) {
      const log = ctx.files.log[size]!;
      const rows = log.rows.toLocaleString('en-US');
      for (const analysis of ANALYSES) {
        const what = {
          load: `lantern inspect: ${rows} rows x 31 columns (parquet)`,
          drift: `lantern drift: ${ctx.files.reference.rows.toLocaleString('en-US')} reference vs ${rows} current rows, ${DRIFT_COLUMNS.length} columns (parquet)`,
          metrics: `lantern metrics: ${rows} rows (parquet), binary, labels in the log`,
          slices: `lantern slices --max-depth 2: ${rows} rows (parquet), 10 segment columns and the features`,
        }[analysis];
        cases.push({
          key: `${analysis}-${size}`,
          label: what,
          heavy: size !== ctx.files.analysisLog,
          params: { analysis, log: log.parquet, reference: ctx.files.reference.parquet, rows: log.rows },
        });
      }
    }
    return cases;
  },
  lantern: {
    name: 'lantern CLI (node bin/lantern.mjs, native DuckDB via @duckdb/node-api, all cores)',
    run: async (ctx, params) => timed(ctx, ['bin/lantern.mjs', ...lanternArgs(params['analysis'] as Analysis, params)]),
  },
  native: {
    name: 'native DuckDB, the bare minimum (node bench/native/minimal.mjs: read_parquet, exact KS / value counts, confusion + AUC/AP, GROUPING SETS)',
    run: async (ctx, params) =>
      timed(
        ctx,
        [join('bench', 'native', 'minimal.mjs'), params['analysis'] as Analysis, ...nativeArgs(params['analysis'] as Analysis, params)],
        'MINIMAL ',
      ),
  },
};

export default scenario;
