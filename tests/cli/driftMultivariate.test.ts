import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { closeTo } from '../helpers/close';

interface Window {
  start: number;
  rows: number;
  error: number;
  drifted: boolean;
}
interface Case {
  name: string;
  columns: string[];
  time: string | null;
  reference: Record<string, (number | string | null)[]>;
  current: Record<string, (number | string | null)[]>;
  expected: {
    columns: string[];
    components: number;
    reference_error: number;
    current_error: number;
    current_windows: Window[];
    threshold: { lower: number; upper: number };
    drifted: boolean;
  };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/reconstruction.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byName = (n: string) => fx.cases.find((c) => c.name === n)!;
const dir = mkdtempSync(join(tmpdir(), 'lantern-mv-cli-'));

function writeCsv(file: string, columns: Case['reference']): string {
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const lines = [names.join(',')];
  for (let r = 0; r < n; r++) lines.push(names.map((c) => (columns[c]![r] === null ? '' : String(columns[c]![r]))).join(','));
  const path = join(dir, file);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function expectMatches(json: Record<string, unknown>, c: Case, calendar: boolean) {
  const mv = json['multivariate'] as Record<string, unknown> & { windows: { start: string | number; error: number; drifted: boolean }[] };
  const e = c.expected;
  expect(mv['method']).toBe('pca_reconstruction');
  expect(mv['columns']).toEqual(e.columns);
  expect(mv['components']).toBe(e.components);
  closeTo(mv['reference_error'] as number, e.reference_error, 1e-9);
  closeTo(mv['current_error'] as number, e.current_error, 1e-9);
  const t = mv['threshold'] as { lower: number; upper: number };
  closeTo(t.upper, e.threshold.upper, 1e-9);
  closeTo(t.lower, e.threshold.lower, 1e-9, 1e-12);
  expect(mv['drifted']).toBe(e.drifted);
  expect(mv.windows.map((w) => w.start)).toEqual(e.current_windows.map((w) => (calendar ? new Date(w.start).toISOString() : w.start)));
  mv.windows.forEach((w, i) => closeTo(w.error, e.current_windows[i]!.error, 1e-9));
  expect(mv.windows.map((w) => w.drifted)).toEqual(e.current_windows.map((w) => w.drifted));
}

describe('lantern drift --multivariate', () => {
  it('reports the reconstruction error per month as scikit-learn computes it', async () => {
    const c = byName('planted joint drift');
    const ref = writeCsv('seattle_ref.csv', c.reference);
    const cur = writeCsv('seattle_planted.csv', c.current);
    const r = await run([
      'drift',
      '--reference',
      ref,
      '--current',
      cur,
      '--multivariate',
      '--timestamp',
      'date',
      '--window',
      'month',
      '--json',
    ]);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out) as Record<string, unknown> & { columns: { drifted: boolean }[] };
    expectMatches(json, c, true);
    const classifier = (json['multivariate'] as { domain_classifier: Record<string, unknown> }).domain_classifier as {
      auc: number;
      drifted: boolean;
      features: { name: string }[];
      windows: { start: string; auc: number }[];
    };
    expect(classifier.auc).toBeGreaterThan(0.8);
    expect(classifier.drifted).toBe(true);
    expect(
      classifier.features
        .slice(0, 2)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['temp_max', 'temp_min']);
    expect(classifier.windows.map((w) => w.start)).toEqual(c.expected.current_windows.map((w) => new Date(w.start).toISOString()));
    // Every column keeps its distribution: only the multivariate test sees the change.
    expect(json.columns.some((x) => x.drifted)).toBe(false);
    expect(r.code).toBe(0);
    const failing = await run([
      'drift',
      '--reference',
      ref,
      '--current',
      cur,
      '--multivariate',
      '--timestamp',
      'date',
      '--window',
      'month',
      '--fail-on-drift',
    ]);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/Multivariate drift \(PCA reconstruction error\): YES/);
    expect(failing.out).toMatch(/2 of 4 components kept/);
    expect(failing.out).toMatch(/Domain classifier: YES \(cross-validated ROC AUC/);
  });

  it('cuts files without a time column into chunks in file order, NULLs at the reference mean', async () => {
    const c = byName('cars in chunks');
    const ref = writeCsv('cars_ref.csv', c.reference);
    const cur = writeCsv('cars_cur.csv', c.current);
    const r = await run(['drift', '--reference', ref, '--current', cur, '--multivariate', '--json']);
    expect(r.err).toBe('');
    expectMatches(JSON.parse(r.out) as Record<string, unknown>, c, false);
    const seven = byName('cars 90% in 7 chunks');
    const r7 = await run([
      'drift',
      '--reference',
      ref,
      '--current',
      cur,
      '--multivariate',
      '--chunks',
      '7',
      '--explained-variance',
      '0.9',
      '--sigmas',
      '2',
      '--json',
    ]);
    expectMatches(JSON.parse(r7.out) as Record<string, unknown>, seven, false);
  });

  it('runs as a check: fails the planted pair, passes the reference against itself, explains what it cannot judge', async () => {
    const c = byName('planted joint drift');
    const ref = writeCsv('check_ref.csv', c.reference);
    const cur = writeCsv('check_planted.csv', c.current);
    const suite = join(dir, 'mv-suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        format: 'lantern-check-suite',
        version: 1,
        checks: [
          { id: 'together', kind: 'multivariate-drift', timestamp: 'date', window: 'month' },
          { id: 'one-chunk', kind: 'multivariate-drift', chunks: 1 },
        ],
      }),
    );
    type Result = { id: string; status: string; value: number | null; message: string };
    const results = (out: string) => (JSON.parse(out) as { results: Result[] }).results;
    const planted = await run(['check', '--suite', suite, '--reference', ref, '--current', cur, '--json']);
    expect(planted.err).toBe('');
    expect(planted.code).toBe(1);
    const [together, oneChunk] = results(planted.out);
    expect(together!.status).toBe('fail');
    closeTo(together!.value, c.expected.current_error, 1e-9);
    expect(oneChunk!.status).toBe('not-evaluated');
    expect(oneChunk!.message).toMatch(/one window/);
    const same = await run(['check', '--suite', suite, '--reference', ref, '--current', ref, '--json']);
    expect(results(same.out)[0]!.status).toBe('pass');
    // The report carries the windows' errors as a table and a chart.
    const html = join(dir, 'mv-report.html');
    const data = join(dir, 'mv-report.json');
    const report = await run(['report', '--suite', suite, '--reference', ref, '--current', cur, '--out', html, '--json', data]);
    expect(report.err).toBe('');
    const json = JSON.parse(readFileSync(data, 'utf8')) as {
      tables: { title: string; rows: (string | number | boolean | null)[][] }[];
      charts: { title: string }[];
    };
    const table = json.tables.find((t) => t.title.startsWith('Columns together'))!;
    const current = table.rows.filter((r) => r[0] === 'current');
    expect(current.map((r) => r[1])).toEqual(c.expected.current_windows.map((w) => new Date(w.start).toISOString().slice(0, 10)));
    current.forEach((r, i) => closeTo(r[3] as number, c.expected.current_windows[i]!.error, 1e-9));
    expect(json.charts.some((x) => x.title.startsWith('Mean reconstruction error per current window'))).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('Columns together');
  });

  it('refuses flags that do not fit', async () => {
    const c = byName('cars in chunks');
    const ref = writeCsv('cars_ref2.csv', c.reference);
    const cases: [string[], RegExp][] = [
      [['--timestamp', 'date'], /applies to --multivariate/],
      [['--multivariate', '--window', 'month'], /go together/],
      [['--multivariate', '--timestamp', 'd', '--window', 'year'], /--window must be one of/],
      [['--multivariate', '--explained-variance', '1.5'], /above 0 and at most 1/],
      [['--multivariate', '--chunks', '0'], /whole number/],
      [['--classifier-sample', '100'], /applies to --multivariate/],
      [['--multivariate', '--classifier-sample', '5'], /at least 10/],
      [['--multivariate', '--timestamp', 'when', '--window', 'day'], /no column "when"/],
    ];
    for (const [flags, message] of cases) {
      const r = await run(['drift', '--reference', ref, '--current', ref, ...flags]);
      expect(r.code, flags.join(' ')).not.toBe(0);
      expect(r.err, flags.join(' ')).toMatch(message);
    }
  });
});
