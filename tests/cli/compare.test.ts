import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { expectClose } from '../helpers/close';
import { readVersionsFixture, versionsPath } from '../helpers/versions';

vi.setConfig({ testTimeout: 240_000 });

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const near = (a: number, e: number, what: string) => {
  if (Math.abs(a - e) > 1e-6 * Math.max(1, Math.abs(e))) throw new Error(`${what}: expected ${e}, got ${a}`);
};
const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'average_precision', 'log_loss', 'brier'];

describe('lantern compare', () => {
  it('prints the paired JSON: metrics of both versions, McNemar and DeLong', async () => {
    const fx = readVersionsFixture<{
      champion: Record<string, number>;
      challenger: Record<string, number>;
      tests: { mcnemar: Record<string, number>; delong: Record<string, number> };
    }>('paired.json');
    const { code, out, err } = await run([
      'compare',
      '--data',
      versionsPath('paired_log.csv'),
      '--labels',
      versionsPath('paired_labels.csv'),
      '--id',
      'flight_id',
      '--label',
      'late',
      '--champion',
      'score_v1',
      '--challenger',
      'score_v2',
      '--threshold',
      '0.3',
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe('paired');
    for (const m of METRICS) {
      expectClose(r.champion[m], fx.champion[m]!, 1e-9, `champion.${m}`);
      expectClose(r.challenger[m], fx.challenger[m]!, 1e-9, `challenger.${m}`);
    }
    for (const k of ['b', 'c', 'statistic', 'p_value', 'exact_p_value']) near(r.tests.mcnemar[k], fx.tests.mcnemar[k]!, `mcnemar.${k}`);
    for (const k of ['auc_champion', 'auc_challenger', 'difference', 'z', 'p_value'])
      near(r.tests.delong[k], fx.tests.delong[k]!, `delong.${k}`);
    expect(Array.isArray(r.slices)).toBe(true);
    expect(['promote', 'hold', 'roll back']).toContain(r.verdict.decision);
  });

  it('prints the split JSON: each version with n, the z-test and DeLong for independent AUCs', async () => {
    const fx = readVersionsFixture<{ versions: Record<string, Record<string, number>>; tests: Record<string, Record<string, number>> }>(
      'split.json',
    );
    const { code, out } = await run([
      'compare',
      '--data',
      versionsPath('split_log.csv'),
      '--label',
      'late',
      '--score',
      'score',
      '--version',
      'model_version',
      '--baseline',
      'v1',
      '--threshold',
      '0.3',
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe('split');
    expect(Object.keys(r.versions)).toEqual(['v1', 'v2']);
    for (const v of ['v1', 'v2']) {
      expect(r.versions[v].n).toBe(fx.versions[v]!['n']);
      for (const m of METRICS) expectClose(r.versions[v][m], fx.versions[v]![m]!, 1e-9, `${v}.${m}`);
    }
    for (const k of ['difference', 'z', 'p_value']) {
      near(r.tests.accuracy[k], fx.tests['accuracy']![k]!, `accuracy.${k}`);
      near(r.tests.auc[k], fx.tests['auc']![k]!, `auc.${k}`);
    }
    expect(r.verdict.decision).toBe('roll back');
  });

  it('reads the versions from the columns and prints a verdict as text', async () => {
    const { code, out } = await run(['compare', '--data', versionsPath('split_log.csv'), '--label', 'late', '--threshold', '0.3']);
    expect(code).toBe(0);
    expect(out).toMatch(/split comparison of v1, v2/);
    expect(out).toMatch(/v2 against v1: ROLL BACK/);
  });

  it('exits 2 on a half-given pair or a missing column', async () => {
    const half = await run(['compare', '--data', versionsPath('split_log.csv'), '--champion', 'score']);
    expect(half.code).toBe(2);
    expect(half.err).toMatch(/--challenger/);
    const missing = await run([
      'compare',
      '--data',
      versionsPath('split_log.csv'),
      '--label',
      'late',
      '--score',
      'nope',
      '--version',
      'model_version',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no column "nope"/);
  });
});

describe('version checks in lantern check (CI)', () => {
  it('fails the canary on accuracy, per slice too, and passes a wide margin', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'lantern-versions-'));
    const suite = {
      format: 'lantern-check-suite',
      version: 1,
      settings: { label: 'late', threshold: 0.3, versions: { mode: 'split', version: 'model_version', output: 'score', baseline: 'v1' } },
      checks: [
        { id: 'v:acc', kind: 'version-not-worse', metric: 'accuracy', margin: 0.01 },
        { id: 'v:auc', kind: 'version-not-worse', metric: 'roc_auc', margin: 0.5 },
        { id: 'v:acc:ORD', kind: 'version-not-worse', metric: 'accuracy', margin: 1, slice: { column: 'origin', value: 'ORD' } },
      ],
    };
    const path = join(dir, 'suite.json');
    await writeFile(path, JSON.stringify(suite));
    const log = versionsPath('split_log.csv');
    const { code, out } = await run(['check', '--suite', path, '--reference', log, '--current', log, '--json']);
    const r = JSON.parse(out);
    const status = Object.fromEntries(r.results.map((x: { id: string; status: string }) => [x.id, x.status]));
    expect(status).toEqual({ 'v:acc': 'fail', 'v:auc': 'pass', 'v:acc:ORD': 'pass' });
    expect(r.results[0].title).toBe('Challenger not worse than champion on accuracy by more than 0.01');
    expect(r.results[0].view).toBe('versions');
    expect(code).toBe(1);
  });
  it('compares two model files (--model twice, the champion first) with the paired JSON and SHAP importance side by side', async () => {
    type M = { metrics: Record<string, number>; mean_abs_shap: Record<string, number> };
    const fx = readVersionsFixture<{
      models: Record<string, M>;
      tests: { mcnemar: Record<string, number>; delong: Record<string, number> };
    }>('models/models.json');
    const args = [
      '--data',
      versionsPath('models/log.csv'),
      '--labels',
      versionsPath('models/labels.csv'),
      '--id',
      'prediction_id',
      '--label',
      'rain',
    ];
    const models = ['--model', versionsPath('models/champion.json'), '--model', versionsPath('models/challenger.json')];
    const { code, out, err } = await run(['compare', ...args, ...models, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.mode).toBe('paired');
    expect(r.columns).toEqual({ mode: 'paired', champion: 'champion.json', challenger: 'challenger.json' });
    for (const m of METRICS) {
      expectClose(r.champion[m], fx.models['champion.json']!.metrics[m]!, 1e-9, `champion.${m}`);
      expectClose(r.challenger[m], fx.models['challenger.json']!.metrics[m]!, 1e-9, `challenger.${m}`);
    }
    for (const k of ['b', 'c', 'statistic', 'p_value', 'exact_p_value']) near(r.tests.mcnemar[k], fx.tests.mcnemar[k]!, `mcnemar.${k}`);
    for (const k of ['auc_champion', 'auc_challenger', 'difference', 'z', 'p_value'])
      near(r.tests.delong[k], fx.tests.delong[k]!, `delong.${k}`);
    expect(r.models.champion).toBe('champion.json');
    const doy = r.models.importance.features.find((f: { feature: string }) => f.feature === 'doy');
    expect(doy.champion).toBeNull();
    expectClose(doy.challenger, fx.models['challenger.json']!.mean_abs_shap['doy']!, 1e-5, 'doy');
    // The same JSON as a shadow log holding both models' outputs as columns, plus the models.
    const log = readFileSync(versionsPath('models/log.csv'), 'utf8').trim().split('\n');
    const pa = (fx.models['champion.json'] as M & { probability: number[] }).probability;
    const pb = (fx.models['challenger.json'] as M & { probability: number[] }).probability;
    const shadow = join(mkdtempSync(join(tmpdir(), 'lantern-compare-')), 'shadow.csv');
    writeFileSync(
      shadow,
      log.map((line, i) => (i === 0 ? `${line},champion.json,challenger.json` : `${line},${pa[i - 1]},${pb[i - 1]}`)).join('\n'),
    );
    const paired = await run([
      'compare',
      ...args.slice(2),
      '--data',
      shadow,
      '--champion',
      'champion.json',
      '--challenger',
      'challenger.json',
      '--json',
    ]);
    // Equal to 12 significant digits: score means are summed in another order.
    const rounded = (x: unknown) =>
      JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
    const { models: _models, ...rest } = r;
    expect(rounded(rest)).toEqual(rounded(JSON.parse(paired.out)));
  });

  it('says what is wrong with --model', async () => {
    const one = await run(['compare', '--data', versionsPath('models/log.csv'), '--model', versionsPath('models/champion.json')]);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/--model takes two model files/);
    const mixed = await run([
      'compare',
      '--data',
      versionsPath('models/log.csv'),
      '--model',
      versionsPath('models/champion.json'),
      '--model',
      versionsPath('models/challenger.json'),
      '--champion',
      'x',
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/does not go with --champion/);
  });
});
