import { beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { loadDataset } from '../../src/lib/ingest';
import { compareVersions } from '../../src/lib/usecases/compare';
import { detectVersions } from '../../src/lib/versions/detect';
import type { Comparison } from '../../src/lib/versions/types';
import { expectClose } from '../helpers/close';
import { testDb } from '../helpers/db';
import { readVersionsFixture, versionsPath } from '../helpers/versions';

vi.setConfig({ testTimeout: 240_000 });

type Metrics = Record<string, number | null>;
interface Paired {
  threshold: number;
  champion: Metrics;
  challenger: Metrics;
  tests: { mcnemar: Record<string, number>; delong: Record<string, number> };
  disagreement: { count: number; rate: number };
  ks: { statistic: number; p_value: number };
  windows: {
    window: string;
    n: number;
    accuracy_champion: number;
    accuracy_challenger: number;
    auc_champion: number;
    auc_challenger: number;
    mcnemar: Record<string, number>;
    delong: Record<string, number>;
  }[];
  slices: { value: string; n: number; mcnemar: Record<string, number> }[];
}
interface Split {
  threshold: number;
  versions: Record<string, Metrics>;
  tests: Record<string, Record<string, number> | null>;
  windows: {
    window: string;
    n: number;
    share_v2: number;
    v1: Metrics;
    v2: Metrics;
    accuracy: Record<string, number> | null;
    auc: Record<string, number> | null;
  }[];
}
const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'roc_auc', 'average_precision', 'log_loss', 'brier'];
const near = (a: number | null | undefined, e: number, what: string) => {
  if (a === null || a === undefined || Math.abs(a - e) > 1e-6 * Math.max(1, Math.abs(e)))
    throw new Error(`${what}: expected ${e}, got ${a}`);
};
function sameMetrics(got: Record<string, number | null>, e: Metrics, what: string, names = METRICS) {
  expect(got['n'], `${what}.n`).toBe(e['n']);
  for (const k of names) {
    if (e[k] === null || e[k] === undefined) expect(got[k], `${what}.${k}`).toBeNull();
    else expectClose(got[k], e[k]!, 1e-9, `${what}.${k}`);
  }
}

let db: Db;
const load = async (name: string, table: string) => loadDataset(db, nodeParquet, await PathSource.open(versionsPath(name)), { table });
beforeAll(async () => {
  db = await testDb();
  await load('paired_log.csv', 'v_paired');
  await load('paired_labels.csv', 'v_paired_labels');
  await load('split_log.csv', 'v_split');
  await load('regression_paired.csv', 'v_reg_paired');
  await load('regression_split.csv', 'v_reg_split');
  await load('one_class_split.csv', 'v_one_class');
});

describe('versions read from the columns', () => {
  it('finds the shadow pair and the canary column, the champion first', async () => {
    expect((await detectVersions(db, 'v_paired'))?.layout).toEqual({ mode: 'paired', champion: 'score_v1', challenger: 'score_v2' });
    expect((await detectVersions(db, 'v_split'))?.layout).toEqual({
      mode: 'split',
      version: 'model_version',
      output: 'score',
      baseline: 'v1',
    });
    expect((await detectVersions(db, 'v_reg_paired'))?.layout).toEqual({
      mode: 'paired',
      champion: 'predicted_v1',
      challenger: 'predicted_v2',
    });
    expect((await detectVersions(db, 'v_reg_split'))?.layout).toMatchObject({ mode: 'split', version: 'model', output: 'prediction' });
  });
});

describe('paired (shadow) log with delayed labels, against sklearn, scipy and a numpy DeLong', () => {
  const fx = readVersionsFixture<Paired>('paired.json');
  let c: Comparison;
  beforeAll(async () => {
    c = await compareVersions(
      { db },
      {
        data: 'v_paired',
        labels: 'v_paired_labels',
        choices: { id: 'flight_id', label: 'late', threshold: fx.threshold },
        out: 'cmp_paired',
      },
    );
  });

  it('gives every metric of each version on the same labelled rows', () => {
    expect(c.mode).toBe('paired');
    expect(c.versions.map((v) => v.name)).toEqual(['score_v1', 'score_v2']);
    sameMetrics(c.versions[0]!.flat, fx.champion, 'champion');
    sameMetrics(c.versions[1]!.flat, fx.challenger, 'challenger');
  });

  it("gives McNemar's and DeLong's tests", () => {
    const t = c.comparisons[0]!.tests;
    expect(t.mcnemar).toMatchObject({ b: fx.tests.mcnemar['b'], c: fx.tests.mcnemar['c'] });
    for (const k of ['statistic', 'p_value', 'exact_p_value'] as const) near(t.mcnemar![k], fx.tests.mcnemar[k]!, `mcnemar.${k}`);
    const d = t.delong as unknown as Record<string, number>;
    for (const k of ['auc_champion', 'auc_challenger', 'difference', 'variance', 'z', 'p_value'])
      near(d[k], fx.tests.delong[k]!, `delong.${k}`);
    expect(t.bootstrap?.['f1']?.lo).toBeLessThan(t.bootstrap!['f1']!.hi);
  });

  it('finds how often and where they disagree, and the distance between their scores', () => {
    const cmp = c.comparisons[0]!;
    expect(cmp.disagreement?.count).toBe(fx.disagreement.count);
    near(cmp.scores!.ks!.statistic, fx.ks.statistic, 'ks');
    near(cmp.scores!.ks!.p_value, fx.ks.p_value, 'ks p');
  });

  it('compares per week with the same tests, and per origin', () => {
    const cmp = c.comparisons[0]!;
    expect(c.windowUnit).toBe('week');
    expect(cmp.windows.map((w) => w.start.slice(0, 10))).toEqual(fx.windows.map((w) => w.window));
    cmp.windows.forEach((w, i) => {
      const e = fx.windows[i]!;
      expect(w.n).toBe(e.n);
      near(w.versions['score_v1']!.accuracy, e.accuracy_champion, `${e.window} acc`);
      near(w.versions['score_v2']!.roc_auc, e.auc_challenger, `${e.window} auc`);
      near(w.primary.p_value, e.delong['p_value']!, `${e.window} delong p`);
      near(w.secondary.p_value, e.mcnemar['exact_p_value']!, `${e.window} mcnemar p`);
    });
    expect(cmp.slicesCompared).toBeGreaterThan(10);
    expect(cmp.verdict.decision).toBe('roll back');
    expect(cmp.verdict.reasons[0]).toMatch(/worse on accuracy/);
  });
});

describe('split (canary) log, against sklearn and statsmodels', () => {
  const fx = readVersionsFixture<Split>('split.json');
  let c: Comparison;
  beforeAll(async () => {
    c = await compareVersions({ db }, { data: 'v_split', choices: { label: 'late', threshold: fx.threshold }, out: 'cmp_split' });
  });

  it("gives each version's metrics on its own rows", () => {
    expect(c.versions.map((v) => v.name)).toEqual(['v1', 'v2']);
    sameMetrics(c.versions[0]!.flat, fx.versions['v1']!, 'v1');
    sameMetrics(c.versions[1]!.flat, fx.versions['v2']!, 'v2');
  });

  it('gives the pooled z-tests of the rates and DeLong for independent AUCs', () => {
    const t = c.comparisons[0]!.tests;
    for (const rate of ['accuracy', 'precision', 'recall', 'specificity']) {
      const got = t.rates![rate] as unknown as Record<string, number>;
      for (const k of ['difference', 'z', 'p_value']) near(got[k], fx.tests[rate]![k]!, `${rate}.${k}`);
    }
    const auc = t.auc as unknown as Record<string, number>;
    for (const k of ['difference', 'variance', 'z', 'p_value']) near(auc[k], fx.tests['auc']![k]!, `auc.${k}`);
  });

  it('shows the canary degrade in the weeks it broke, and rolls it back', () => {
    const cmp = c.comparisons[0]!;
    expect(cmp.windows.map((w) => w.start.slice(0, 10))).toEqual(fx.windows.map((w) => w.window));
    cmp.windows.forEach((w, i) => {
      const e = fx.windows[i]!;
      near(w.share!['v2'], e.share_v2, `${e.window} share`);
      near(w.versions['v2']!.roc_auc, e.v2['roc_auc']!, `${e.window} auc v2`);
      if (e.auc) near(w.primary.p_value, e.auc['p_value']!, `${e.window} auc p`);
      if (e.accuracy) near(w.secondary.p_value, e.accuracy['p_value']!, `${e.window} accuracy p`);
    });
    const worse = cmp.windows.filter((w) => w.worse).map((w) => w.start.slice(0, 10));
    expect(worse).toContain('2001-03-19');
    expect(cmp.verdict.decision).toBe('roll back');
  });

  it('tests accuracy and leaves AUC undefined when a version saw one class', async () => {
    const one = await compareVersions({ db }, { data: 'v_one_class', choices: { label: 'label', threshold: 0.5 }, out: 'cmp_one' });
    const t = one.comparisons[0]!.tests;
    expect(t.auc).toMatchObject({ defined: false });
    expect(one.versions[1]!.flat['roc_auc']).toBeNull();
    const e = readVersionsFixture<{ one_class: { accuracy: Record<string, number> } }>('edge.json').one_class.accuracy;
    near((t.rates!['accuracy'] as unknown as Record<string, number>)['p_value'], e['p_value']!, 'one-class accuracy p');
  });
});

describe('regression versions: paired tests on per-row errors', () => {
  it('matches ttest_rel and wilcoxon, and every metric', async () => {
    const fx = readVersionsFixture<{ champion: Metrics; challenger: Metrics; tests: Record<string, Record<string, number>> }>(
      'regression_paired.json',
    );
    const c = await compareVersions({ db }, { data: 'v_reg_paired', choices: { label: 'temp_max' }, out: 'cmp_reg' });
    expect(c.task).toBe('regression');
    const names = ['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'];
    sameMetrics(c.versions[0]!.flat, fx.champion, 'champion', names);
    sameMetrics(c.versions[1]!.flat, fx.challenger, 'challenger', names);
    for (const e of ['absolute_error', 'squared_error'] as const) {
      const got = c.comparisons[0]!.tests.errors![e];
      const want = fx.tests[e]!;
      near((got.t as unknown as Record<string, number>)['t'], want['t']!, `${e} t`);
      near((got.t as unknown as Record<string, number>)['p_value'], want['t_p_value']!, `${e} t p`);
      near((got.wilcoxon as unknown as Record<string, number>)['statistic'], want['wilcoxon_statistic']!, `${e} W`);
      near((got.wilcoxon as unknown as Record<string, number>)['p_value'], want['wilcoxon_p_value']!, `${e} W p`);
    }
  });

  it("matches Welch's test for a split", async () => {
    const fx = readVersionsFixture<{ versions: Record<string, Metrics>; tests: Record<string, Record<string, number>> }>(
      'regression_split.json',
    );
    const c = await compareVersions(
      { db },
      {
        data: 'v_reg_split',
        layout: { mode: 'split', version: 'model', output: 'prediction', baseline: 'linear' },
        choices: { label: 'temp_max' },
        out: 'cmp_reg_split',
      },
    );
    sameMetrics(c.versions[1]!.flat, fx.versions['boosted']!, 'boosted', ['mae', 'rmse', 'r2']);
    const got = c.comparisons[0]!.tests.errorsWelch!.absolute_error as unknown as Record<string, number>;
    near(got['t'], fx.tests['absolute_error']!['t']!, 't');
    near(got['p_value'], fx.tests['absolute_error']!['p_value']!, 'p');
  });

  it('leaves no table behind', async () => {
    const rows = await db.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'cmp_%'");
    expect(rows).toEqual([]);
  });
});
