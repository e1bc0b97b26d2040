import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { expectClose } from '../helpers/close';

vi.setConfig({ testTimeout: 240_000 });

const path = (name: string) => fileURLToPath(new URL(`../fixtures/validation/${name}`, import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx = JSON.parse(readFileSync(path('validation.json'), 'utf8')) as any;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const junit = join(mkdtempSync(join(tmpdir(), 'lantern-validate-')), 'validation.xml');

describe('lantern validate', () => {
  it('prints every part in the issue shape, equal to the references, and exits 1 on the failing checks', async () => {
    const { code, out, err } = await run([
      'validate',
      '--data',
      path('fair_test.csv'),
      '--train',
      path('fair_train.csv'),
      '--model',
      path('fair_model.json'),
      '--sensitive',
      'age,religious',
      '--label',
      'outcome',
      '--score',
      'affair_score',
      '--json',
      '--junit',
      junit,
    ]);
    expect(err).toBe('');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('tests="6" failures="6" errors="0"');
    expect(xml).toContain('classname="lantern.leakage"');
    expect(code).toBe(1);
    const r = JSON.parse(out);
    const ref = fx.fair.fairness.find((f: { sensitive: string[]; threshold: number }) => f.sensitive.length === 2 && f.threshold === 0.5);
    expect(r.fairness.sensitive).toEqual(['age', 'religious']);
    for (const k of ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio'])
      expectClose(r.fairness[k], ref[k], 1e-9, k);
    expect(r.fairness.groups).toHaveLength(ref.groups.length);
    expect(r.leakage.map((l: { column: string; reason: string }) => `${l.column}:${l.reason}`).sort()).toEqual([
      'affairs:single-feature',
      'case_no:id-copy',
      'case_no:single-feature',
      'respondent_id:shared-ids',
    ]);
    for (const l of r.leakage) expect(l.evidence.length).toBeGreaterThan(20);
    const auc = r.overfitting.metrics.find((m: { metric: string }) => m.metric === 'roc_auc');
    expectClose(auc.gap, fx.fair.overfitting.gaps.roc_auc.gap, 1e-9, 'roc_auc gap');
    expectClose(auc.ci[0], fx.fair.overfitting.gaps.roc_auc.ci[0], 1e-9, 'roc_auc gap lo');
    expect(r.robustness[0].feature).toBe('rate_marriage');
    expect(r.robustness[0].flip_rate).toBe(fx.fair.robustness.features[0].flip_rate);
    expect(r.backtest).toBeUndefined();
    const status = Object.fromEntries(r.checks.map((c: { id: string; status: string }) => [c.id, c.status]));
    expect(status).toEqual({
      'fairness:demographic_parity_difference': 'fail',
      'fairness:equalized_odds_difference': 'fail',
      'leakage:columns': 'fail',
      'leakage:split': 'fail',
      'overfitting:roc_auc': 'fail',
      'robustness:flip_rate': 'fail',
    });
  });

  it('backtests over time folds and finds the overlapping split; real features are not leaks', async () => {
    const { code, out } = await run([
      'validate',
      '--data',
      path('weather_test.csv'),
      '--train',
      path('weather_train.csv'),
      '--label',
      'rain_label',
      '--score',
      'rain_score',
      '--timestamp',
      'date',
      '--json',
    ]);
    expect(code).toBe(1);
    const r = JSON.parse(out);
    expect(r.fairness).toBeUndefined();
    expect(r.robustness).toBeUndefined();
    expect(r.leakage.map((l: { reason: string }) => l.reason).sort()).toEqual(['duplicate-rows', 'shared-ids', 'time-overlap']);
    expect(r.backtest.map((f: { n: number }) => f.n)).toEqual(fx.weather.backtest.folds.map((f: { n: number }) => f.n));
    r.backtest.forEach((f: { roc_auc: number }, i: number) =>
      expectClose(f.roc_auc, fx.weather.backtest.folds[i].roc_auc, 1e-9, `fold ${i}`),
    );
    const failing = r.checks.filter((c: { status: string }) => c.status !== 'pass').map((c: { id: string }) => c.id);
    expect(failing).toEqual(['leakage:split']);
  });

  it('refuses bad input with a message and exit code 2', async () => {
    const bad = await run(['validate', '--data', path('weather_test.csv'), '--sensitive', 'sex']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no column "sex" to compare groups by/);
    const folds = await run(['validate', '--data', path('weather_test.csv'), '--folds', '1']);
    expect(folds.code).toBe(2);
    expect(folds.err).toMatch(/--folds takes a whole number, at least 2/);
  });
});
