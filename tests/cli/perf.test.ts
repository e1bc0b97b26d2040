import { spawnSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { expectClose, readFixture } from '../helpers/close';
import { fixturePath } from '../helpers/perf';

// Each run instantiates DuckDB-WASM (seconds on a loaded 2-core machine).
vi.setConfig({ testTimeout: 240_000 });

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

type Expected = Record<string, number | null>;
const BINARY = ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'fpr', 'fnr', 'roc_auc', 'average_precision', 'log_loss', 'brier'];

function expectSame(got: Record<string, unknown>, e: Expected, names: string[], what: string) {
  expect(got['n'], `${what}.n`).toBe(e['n']);
  for (const k of names) {
    if (e[k] === null || e[k] === undefined) expect(got[k], `${what}.${k}`).toBeNull();
    else expectClose(got[k] as number, e[k]!, 1e-12, `${what}.${k}`);
  }
}

describe('lantern metrics', () => {
  it('prints the issue JSON shape for a binary log with labels in the log, overall and --by region', async () => {
    const fx = readFixture<{ overall: Expected; per_region: (Expected & { value: string })[] }>('log.json');
    const { code, out, err } = await run(['metrics', '--data', fixturePath('log.csv'), '--by', 'region', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.task).toBe('binary');
    expect(r.positive_class).toBe('1');
    expectSame(r.overall, fx.overall, BINARY, 'overall');
    expect(r.by.map((b: { value: string }) => b.value)).toEqual(fx.per_region.map((x) => x.value));
    r.by.forEach((b: Record<string, unknown>, i: number) => {
      expect(b['column']).toBe('region');
      expectSame(b, fx.per_region[i]!, BINARY, `by ${b['value']}`);
    });
  });

  it('joins a separate label file by prediction id (roles inferred) and reports the join', async () => {
    const fx = readFixture<Expected & { overall: Expected }>('join.json');
    const { code, out } = await run(['metrics', '--data', fixturePath('predictions.csv'), '--labels', fixturePath('labels.csv'), '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.labels).toMatchObject({
      matched: fx['matched'],
      unlabelled: fx['unlabelled'],
      labelsWithoutPrediction: fx['labelsWithoutPrediction'],
      duplicateLabelIds: fx['duplicateLabelIds'],
    });
    expectSame(r.overall, fx.overall as unknown as Expected, BINARY, 'joined');
  });

  it('reports multiclass and regression metrics under their names, per segment', async () => {
    const mc = readFixture<{ overall: Expected; per_segment: (Expected & { value: string })[] }>('multiclass.json');
    const a = JSON.parse((await run(['metrics', '--data', fixturePath('multiclass.csv'), '--by', 'segment', '--json'])).out);
    expect(a.task).toBe('multiclass');
    expectSame(
      a.overall,
      mc.overall,
      ['accuracy', 'macro_precision', 'macro_recall', 'macro_f1', 'weighted_precision', 'weighted_recall', 'weighted_f1', 'log_loss'],
      'mc',
    );
    a.by.forEach((b: Record<string, unknown>, i: number) =>
      expectSame(b, mc.per_segment[i]!, ['accuracy', 'macro_f1', 'weighted_f1', 'log_loss'], `mc ${b['value']}`),
    );
    const reg = readFixture<{ overall: Expected; per_segment: (Expected & { value: string })[] }>('regression.json');
    const b = JSON.parse((await run(['metrics', '--data', fixturePath('regression.csv'), '--by', 'store', '--json'])).out);
    expect(b.task).toBe('regression');
    const names = ['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'];
    expectSame(b.overall, reg.overall, names, 'reg');
    b.by.forEach((x: Record<string, unknown>, i: number) => expectSame(x, reg.per_segment[i]!, names, `reg ${x['value']}`));
  });

  it('groups by a timestamp part named like timestamp.day_of_week', async () => {
    const fx = readFixture<{ per_dow: (Expected & { value: number })[] }>('log.json');
    const r = JSON.parse((await run(['metrics', '--data', fixturePath('log.csv'), '--by', 'timestamp.day_of_week', '--json'])).out);
    expect(r.by.map((b: { value: number }) => b.value)).toEqual(fx.per_dow.map((x) => x.value));
    r.by.forEach((b: Record<string, unknown>, i: number) => expectSame(b, fx.per_dow[i]!, BINARY, `dow ${b['value']}`));
  });

  it.each([
    [['metrics', '--by', 'region'], /--data/],
    [['metrics', '--data', fixturePath('log.csv'), '--by', 'nope'], /--by nope/],
    [['metrics', '--data', fixturePath('log.csv'), '--label', 'nope'], /no column "nope"/],
    [['metrics', '--data', fixturePath('log.csv'), '--positive', 'yes'], /positive class "yes"/],
    [['metrics', '--data', fixturePath('log.csv'), '--threshold', 'high'], /--threshold/],
    [['metrics', '--data', fixturePath('log.csv'), '--task', 'ranking'], /--task/],
    [['metrics', '--data', fixturePath('log.csv'), '--wat'], /Unknown option/],
    [['metrics', '--data', fixturePath('missing.csv')], /no such file/],
    // The core states the problem; the CLI adds the flag that fixes it (the app says where to click instead).
    [['metrics', '--data', fixturePath('predictions.csv')], /No label column was found.*--label.*--labels/],
    [['slices', '--data', fixturePath('slices.csv'), '--max-depth', '4'], /--max-depth/],
    [['slices', '--data', fixturePath('slices.csv'), '--metric', 'squared_error'], /regression/],
    [['slices', '--data', fixturePath('slices.csv'), '--metric', 'auc'], /--metric must be/],
  ])('usage and input errors exit 2 with a message and nothing on stdout: %j', async (argv, message) => {
    const { code, out, err } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});

describe('lantern slices', () => {
  it('ranks the planted slice first in the issue JSON shape', async () => {
    const fx = readFixture<{ top: { n: number; score: number }[]; min_support: number }>('slices.json');
    const { code, out } = await run([
      'slices',
      '--data',
      fixturePath('slices.csv'),
      '--max-depth',
      '3',
      '--min-support',
      String(fx.min_support),
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.metric).toBe('error_rate');
    expect(r.slices[0].predicates).toEqual([
      { column: 'channel', op: '=', value: 'web' },
      { column: 'device', op: '=', value: 'tablet' },
    ]);
    expect(r.slices[0]).toMatchObject({ n: fx.top[0]!.n, significant: true });
    expect(r.slices[0].metric).toBeGreaterThan(r.slices[0].overall);
    expectClose(r.slices[0].score, fx.top[0]!.score, 1e-12, 'score');
  });

  it('names timestamp-part predicates like timestamp.day_of_week and reports slices that got worse', async () => {
    const r = JSON.parse(
      (await run(['slices', '--data', fixturePath('log.csv'), '--max-depth', '2', '--metric', 'log_loss', '--json'])).out,
    );
    expect(r.dimensions).toEqual(['region', 'amount', 'timestamp.week', 'timestamp.day_of_week', 'timestamp.hour']);
    for (const s of r.slices) for (const p of s.predicates) expect(r.dimensions).toContain(p.column);
    expect(Array.isArray(r.worsened)).toBe(true);
  });

  it('ranks the small severe slice SliceLine misses in the top 3, with the numbers of scipy and statsmodels', async () => {
    const fx = readFixture<{
      min_support: number;
      planted: { column: string; value: string }[];
      null_as_value: { slices: (Expected & { predicates: { column: string; value: string | null }[]; label: string })[]; ranked: string[] };
    }>('ranked.json');
    const { code, out } = await run(['slices', '--data', fixturePath('ranked.csv'), '--metric', 'log_loss', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.min_support).toBe(fx.min_support);
    // DuckDB codes a missing country as a value of its own ("country is missing"): the reference's second family.
    const family = fx.null_as_value;
    expect(r.ranking.tested).toBe(family.slices.length);
    const key = (ps: { column: string; value: unknown }[]) => ps.map((p) => `${p.column}=${String(p.value)}`).join(' & ');
    expect(r.ranked.map((s: { predicates: { column: string; value: unknown }[] }) => key(s.predicates))).toEqual(
      family.ranked.map((label) => key(family.slices.find((s) => s.label === label)!.predicates)),
    );
    expect(r.ranked.slice(0, 3).map((s: { predicates: { column: string; value: unknown }[] }) => key(s.predicates))).toContain(
      key(fx.planted),
    );
    for (const s of r.ranked) {
      const e = family.slices.find((x) => key(x.predicates) === key(s.predicates))!;
      expect(s.n).toBe(e['n']);
      for (const k of ['metric', 'rest_metric', 'difference', 'effect_size', 't', 'excess_error']) expectClose(s[k], e[k]!, 1e-9, k);
      for (const k of ['p_value', 'q_value']) expect(Math.abs(s[k] - e[k]!)).toBeLessThan(1e-6);
    }
    expect(r.slices.map((s: { predicates: { column: string; value: unknown }[] }) => key(s.predicates))).not.toContain(key(fx.planted));
  });

  it.each([
    ['earlier windows', [], 'earlier_windows'],
    ['the reference', ['--reference', fixturePath('windows_reference.csv')], 'reference'],
  ] as const)(
    'reports slices of one or two conditions that got worse than %s, from the onset week, as the reference does',
    async (_baseline, extra, family) => {
      type Run = Expected & { predicates: { column: string; value: string }[]; window: number; window_end: number; windows: number };
      const fx = readFixture<{
        planted: { column: string; value: string }[];
        planted_onset: number;
        earlier_windows: { compared: unknown[]; too_small: number; subsumed: number; runs: Run[] };
        reference: { compared: unknown[]; too_small: number; subsumed: number; runs: Run[] };
      }>('windows.json');
      const { code, out } = await run(['slices', '--data', fixturePath('windows.csv'), ...extra, '--json']);
      expect(code).toBe(0);
      const r = JSON.parse(out);
      const e = fx[family];
      expect(r.worsened_comparisons).toMatchObject({
        baseline: family === 'reference' ? 'reference' : 'earlier windows',
        compared: e.compared.length,
        too_small: e.too_small,
        subsumed: e.subsumed,
        found: e.runs.length,
      });
      const iso = (ms: number) => new Date(ms).toISOString();
      expect(
        r.worsened.map((w: { predicates: { column: string; value: string }[] }) => w.predicates.map((p) => `${p.column}=${p.value}`)),
      ).toEqual(e.runs.map((x) => x.predicates.map((p) => `${p.column}=${p.value}`)));
      r.worsened.forEach((w: Record<string, number & string>, i: number) => {
        const x = e.runs[i]!;
        expect([w.window, w.window_end, w.windows]).toEqual([iso(x.window), iso(x.window_end), x.windows]);
        expect([w.n, w.baseline_n]).toEqual([x['n'], x['baseline_n']]);
        for (const k of ['metric', 'baseline_metric', 'difference', 't']) expectClose(w[k], x[k]!, 1e-9, k);
        for (const k of ['p_value', 'q_value']) expect(Math.abs(Number(w[k]) - x[k]!)).toBeLessThan(1e-6);
      });
      expect(r.worsened[0].predicates).toEqual(fx.planted.map((p) => ({ ...p, op: '=' })));
      expect(r.worsened[0].window).toBe(iso(fx.planted_onset));
    },
  );

  it('runs as a real process through bin/lantern.mjs', () => {
    const p = spawnSync(process.execPath, ['bin/lantern.mjs', 'slices', '--data', fixturePath('slices.csv'), '--max-depth', '2'], {
      encoding: 'utf8',
    });
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/channel = web AND device = tablet/);
  });
});
