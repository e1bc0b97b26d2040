import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { timestampSql } from '../../src/lib/metrics/time';
import { parseModel } from '../../src/lib/model/load';
import type { ColumnInfo } from '../../src/lib/schema';
import { sliceDimensions } from '../../src/lib/slices/dimensions';
import { backtestAt, loadBacktest } from '../../src/lib/validation/backtest';
import { fairnessAt, loadFairnessCounts } from '../../src/lib/validation/fairness';
import { leakageReport } from '../../src/lib/validation/leakage';
import { loadOverfitting, overfittingAt } from '../../src/lib/validation/overfitting';
import { robustnessReport } from '../../src/lib/validation/robustness';
import { validationTables } from '../../src/lib/validation/reportTables';
import { valueOrNull, type MetricValue } from '../../src/lib/metrics/value';
import { reportHtml } from '../../src/lib/report/html';
import { openPerformance } from '../../src/lib/usecases/performance';
import { openValidation } from '../../src/lib/usecases/validate';
import { expectClose } from '../helpers/close';
import { testDb } from '../helpers/db';

const dir = (name: string) => fileURLToPath(new URL(`../fixtures/validation/${name}`, import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fx = JSON.parse(readFileSync(dir('validation.json'), 'utf8')) as any;

async function load(name: string, table: string): Promise<ColumnInfo[]> {
  const ds = await loadDataset(await testDb(), nodeParquet, await PathSource.open(dir(name)), { table });
  return ds.columns;
}

const kind = (cols: ColumnInfo[], name: string) => cols.find((c) => c.name === name)!.kind;

function fairSpec(table: string, cols: ColumnInfo[], threshold = 0.5): PerfSpec {
  return { table, label: 'outcome', labelKind: kind(cols, 'outcome'), score: 'affair_score', task: 'binary', positive: '1', threshold };
}

let fairTrain: ColumnInfo[];
let fairTest: ColumnInfo[];
let weatherTest: ColumnInfo[];

beforeAll(async () => {
  fairTrain = await load('fair_train.csv', 'fair_train');
  fairTest = await load('fair_test.csv', 'fair_test');
  await load('weather_train.csv', 'weather_train');
  weatherTest = await load('weather_test.csv', 'weather_test');
});

describe('fairness equals fairlearn definitions computed in pandas', () => {
  for (const ref of fx.fair.fairness) {
    it(`${ref.sensitive.join(' x ')} at threshold ${ref.threshold}`, async () => {
      const db = await testDb();
      const counts = await loadFairnessCounts(db, fairSpec('fair_test', fairTest), ref.sensitive);
      const r = fairnessAt(counts, ref.threshold, fx.defaults.min_group);
      for (const k of ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio']) {
        const m = (r as unknown as Record<string, { defined: boolean; value?: number }>)[k]!;
        expect(m.defined, k).toBe(true);
        expectClose(m.value, ref[k], 1e-9, k);
      }
      expect(r.groups).toHaveLength(ref.groups.length);
      const byKey = new Map(r.groups.map((g) => [JSON.stringify(g.values.map(Number)), g]));
      for (const e of ref.groups) {
        const g = byKey.get(JSON.stringify(e.values))!;
        expect(g, JSON.stringify(e.values)).toBeDefined();
        expect(g.n).toBe(e.n);
        expect(g.ranked).toBe(e.ranked);
        for (const rate of ['selection_rate', 'tpr', 'fpr', 'precision'] as const) {
          const m = g[rate];
          if (e[rate] === null) {
            expect(m.defined, rate).toBe(false);
            continue;
          }
          expect(m.defined, rate).toBe(true);
          if (!m.defined) continue;
          expectClose(m.value, e[rate].value, 1e-12, `${g.label} ${rate}`);
          expectClose(m.interval!.lo, e[rate].ci[0], 1e-9, `${g.label} ${rate} lo`);
          expectClose(m.interval!.hi, e[rate].ci[1], 1e-9, `${g.label} ${rate} hi`);
        }
        const metrics = g.metrics as unknown as Record<string, { defined: boolean; value?: number }>;
        expectClose(metrics['accuracy']!.value, e.accuracy, 1e-12, `${g.label} accuracy`);
        if (e.roc_auc === null) expect(metrics['roc_auc']!.defined).toBe(false);
        else expectClose(metrics['roc_auc']!.value, e.roc_auc, 1e-12, `${g.label} roc_auc`);
      }
    });
  }

  it('keeps groups below the minimum size out of the differences, and says why when too few remain', async () => {
    const db = await testDb();
    const counts = await loadFairnessCounts(db, fairSpec('fair_test', fairTest), ['age', 'religious']);
    const r = fairnessAt(counts, 0.5, 100_000);
    expect(r.groups.every((g) => !g.ranked)).toBe(true);
    expect(r.demographic_parity_difference.defined).toBe(false);
    if (!r.demographic_parity_difference.defined) expect(r.demographic_parity_difference.reason).toMatch(/fewer than two groups/);
  });

  it('rejects a sensitive column that is not there, naming the columns', async () => {
    const db = await testDb();
    await expect(loadFairnessCounts(db, fairSpec('fair_test', fairTest), ['gender'])).rejects.toThrow(/no column "gender"/);
  });
});

describe('leakage', () => {
  const candidates = [
    'case_no',
    'rate_marriage',
    'age',
    'yrs_married',
    'children',
    'religious',
    'educ',
    'occupation',
    'occupation_husb',
    'affairs',
  ];

  it('flags the planted leaks with evidence and not the real strong features; single-column numbers equal sklearn', async () => {
    const db = await testDb();
    const r = await leakageReport(db, {
      spec: fairSpec('fair_train', fairTrain),
      measuredOn: 'training',
      candidates,
      id: 'respondent_id',
      evaluation: 'fair_test',
      training: 'fair_train',
      evaluationId: 'respondent_id',
      outputs: ['affair_score'],
    });
    const ref = fx.fair.single_feature_train;
    expectClose(r.baselineAccuracy, ref.baseline_accuracy, 1e-12, 'baseline');
    for (const s of r.columns) {
      const e = ref.columns[s.column];
      if (e.roc_auc !== undefined) expectClose(s.roc_auc, e.roc_auc, 1e-9, `${s.column} roc_auc`);
      if (e.mapping_accuracy !== undefined) expectClose(s.mapping_accuracy, e.mapping_accuracy, 1e-12, `${s.column} mapping`);
      else expect(s.mapping_accuracy).toBeNull();
      expectClose(s.label_agreement, e.label_agreement, 1e-12, `${s.column} agreement`);
    }
    const leaking = new Set(r.findings.filter((f) => f.column !== null && f.reason !== 'shared-ids').map((f) => f.column));
    expect([...leaking].sort()).toEqual(['affairs', 'case_no']);
    // rate_marriage is the model's strongest real feature (AUC 0.68 reversed): not a leak.
    expect(r.columns.find((c) => c.column === 'rate_marriage')!.leak).toBe(false);
    const affairs = r.findings.find((f) => f.column === 'affairs')!;
    expect(affairs.reason).toBe('single-feature');
    expect(affairs.evidence).toMatch(/^on its own it separates the label with ROC AUC 1;.* in the training data$/);
    expect(r.findings.find((f) => f.column === 'case_no' && f.reason === 'id-copy')).toBeDefined();
    const lk = fx.fair.leakage;
    expect(r.split.sharedIds!.count).toBe(lk.shared_ids);
    expect(r.split.duplicates!.count).toBe(lk.duplicate_rows);
    expect(r.split.duplicates!.columns.sort()).toEqual([...lk.duplicate_columns].sort());
    expect(r.findings.find((f) => f.reason === 'shared-ids')!.evidence).toMatch(/^25 of the evaluation data's 1,935 ids/);
    // 25 of 1,935 rows is 1.3%: below the share where identical rows stop being chance.
    expect(r.findings.some((f) => f.reason === 'duplicate-rows')).toBe(false);
  });

  it('gives every column of a wide table the signals it has in a narrow one', async () => {
    const db = await testDb();
    // 210 columns of noise beside the real ones: past the width where columns are read from narrow copies.
    const noise = Array.from({ length: 210 }, (_, i) => `(hash(respondent_id, ${i}) % 100)::DOUBLE AS "noise ${i}"`);
    await db.query(`CREATE OR REPLACE TABLE fair_wide AS SELECT *, ${noise.join(', ')} FROM fair_train`);
    const input = (table: string, extra: string[]) => ({
      spec: fairSpec(table, fairTrain),
      measuredOn: 'training' as const,
      candidates: [...candidates, ...extra],
      id: 'respondent_id',
      evaluation: 'fair_test',
      outputs: ['affair_score'],
    });
    const narrow = await leakageReport(db, input('fair_train', []));
    const wide = await leakageReport(
      db,
      input(
        'fair_wide',
        Array.from({ length: 210 }, (_, i) => `noise ${i}`),
      ),
    );
    const real = (r: typeof wide) =>
      r.columns.filter((c) => candidates.includes(c.column)).sort((a, b) => a.column.localeCompare(b.column));
    expect(real(wide)).toEqual(real(narrow));
    expect(wide.columns).toHaveLength(candidates.length + 210);
    expect(
      wide.columns
        .filter((c) => c.leak)
        .map((c) => c.column)
        .sort(),
    ).toEqual(['affairs', 'case_no']);
    // The narrow copies are gone.
    expect((await db.query(`SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE table_name LIKE '%__leakage'`))[0]!['n']).toBe(0);
  });

  it('finds a training period that overlaps the evaluation period, and shared days', async () => {
    const db = await testDb();
    const spec: PerfSpec = {
      table: 'weather_train',
      label: 'rain_label',
      labelKind: kind(weatherTest, 'rain_label'),
      score: 'rain_score',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    const r = await leakageReport(db, {
      spec,
      measuredOn: 'training',
      candidates: ['temp_max', 'temp_min', 'wind', 'precip_yesterday'],
      id: 'obs_id',
      evaluation: 'weather_test',
      training: 'weather_train',
      evaluationId: 'obs_id',
      timestamp: 'date',
      outputs: ['rain_score'],
    });
    const lk = fx.weather.leakage;
    expect(r.split.time!.trainingLater).toBe(lk.train_later);
    expect(r.split.time!.evaluationEarlier).toBe(lk.test_earlier);
    expect(r.split.sharedIds!.count).toBe(lk.shared_ids);
    expect(r.split.duplicates!.count).toBe(lk.duplicate_rows);
    expect(r.findings.map((f) => f.reason).sort()).toEqual(['duplicate-rows', 'shared-ids', 'time-overlap']);
    for (const s of r.columns) expectClose(s.roc_auc, fx.weather.single_feature_train.columns[s.column].roc_auc, 1e-9, s.column);
  });
});

describe('over-fitting', () => {
  it('train and held-out metrics, gaps and intervals equal sklearn, statsmodels and DeLong by midranks', async () => {
    const db = await testDb();
    const dims = await sliceDimensions(
      db,
      'fair_test',
      fairTest.filter((c) => ['rate_marriage', 'religious'].includes(c.name)),
      { rate_marriage: 'segment', religious: 'segment' },
    );
    const cache = await loadOverfitting(db, fairSpec('fair_train', fairTrain), fairSpec('fair_test', fairTest), dims);
    const r = overfittingAt(cache, 0.5, { minRows: 1, top: 100 });
    const ref = fx.fair.overfitting.gaps;
    for (const [name, e] of Object.entries(ref) as [string, { train: number; test: number; gap: number; ci?: number[] }][]) {
      const m = r.metrics.find((x) => x.metric === name)!;
      expectClose(m.train, e.train, 1e-9, `${name} train`);
      expectClose(m.test, e.test, 1e-9, `${name} test`);
      // Lantern's gap is "how much worse held-out is": for losses test - train.
      const lower = name === 'log_loss' || name === 'brier';
      expectClose(m.gap, lower ? -e.gap : e.gap, 1e-9, `${name} gap`);
      if (e.ci) {
        const [lo, hi] = lower ? [-e.ci[1]!, -e.ci[0]!] : [e.ci[0]!, e.ci[1]!];
        expectClose(m.interval!.lo, lo, 1e-9, `${name} lo`);
        expectClose(m.interval!.hi, hi, 1e-9, `${name} hi`);
      }
    }
    for (const e of fx.fair.overfitting.slices.filter((s: { column: string }) => ['rate_marriage', 'religious'].includes(s.column))) {
      if (!e.roc_auc) continue;
      const s = r.slices.find((x) => x.predicate.column === e.column && Number(x.predicate.value) === e.value)!;
      expect(s, `${e.column}=${e.value}`).toBeDefined();
      expect([s.trainRows, s.testRows]).toEqual([e.train_n, e.test_n]);
      expectClose(s.gap, e.roc_auc.gap, 1e-9, `${s.label} gap`);
      expectClose(s.interval!.lo, e.roc_auc.ci[0], 1e-9, `${s.label} lo`);
    }
    for (let i = 1; i < r.slices.length; i++) expect(r.slices[i - 1]!.gap).toBeGreaterThanOrEqual(r.slices[i]!.gap);
  });
});

describe('robustness', () => {
  it('flip rate and score change per feature equal the same perturbations replayed with xgboost', async () => {
    const db = await testDb();
    const model = parseModel(new Uint8Array(readFileSync(dir('fair_model.json'))), 'fair_model.json');
    const r = await robustnessReport(db, model, 'fair_test', { threshold: 0.5 });
    const ref = fx.fair.robustness;
    expect(r.rows).toBe(ref.rows);
    for (const e of ref.features) {
      const f = r.features.find((x) => x.feature === e.feature)!;
      expect(f.perturbation, e.feature).toBe(e.perturbation);
      expect(f.flip_rate, e.feature).toBe(e.flip_rate);
      expectClose(f.mean_abs_change, e.mean_abs_change, 1e-6, `${e.feature} mean |change|`);
      expectClose(f.mean_change, e.mean_change, 1e-6, `${e.feature} mean change`);
    }
  });
});

describe('backtest', () => {
  it('metrics per time fold and the heterogeneity tests equal sklearn and scipy', async () => {
    const db = await testDb();
    const spec: PerfSpec = {
      table: 'weather_test',
      label: 'rain_label',
      labelKind: kind(weatherTest, 'rain_label'),
      score: 'rain_score',
      timestamp: 'date',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    const cache = await loadBacktest(db, spec, timestampSql('date', kind(weatherTest, 'date')), { folds: 5 });
    const r = backtestAt(cache, 0.5);
    const ref = fx.weather.backtest;
    expect(r.folds).toHaveLength(ref.folds.length);
    r.folds.forEach((f, i) => {
      const e = ref.folds[i];
      expect(f.n).toBe(e.n);
      expect(f.start.slice(0, 10)).toBe(e.start);
      expect(f.end.slice(0, 10)).toBe(e.end);
      const m = f.metrics as unknown as Record<string, { value?: number }>;
      for (const k of ['accuracy', 'roc_auc', 'average_precision', 'log_loss', 'brier'])
        expectClose(m[k]!.value, e[k], 1e-9, `fold ${i} ${k}`);
    });
    expectClose(r.spread, ref.roc_auc_spread, 1e-9, 'spread');
    expectClose(r.heterogeneity!.statistic, ref.roc_auc_heterogeneity.statistic, 1e-9, 'Q');
    expectClose(r.heterogeneity!.pValue, ref.roc_auc_heterogeneity.p_value, 1e-9, 'p');
  });
  it('a regression model: MAE, RMSE and R2 per fold equal sklearn, the ANOVA of absolute errors equals scipy', async () => {
    const db = await testDb();
    const cols = await load('weather_regression.csv', 'weather_regression');
    const spec: PerfSpec = {
      table: 'weather_regression',
      label: 'temp_max',
      labelKind: kind(cols, 'temp_max'),
      prediction: 'temp_max_pred',
      predictionKind: kind(cols, 'temp_max_pred'),
      timestamp: 'date',
      task: 'regression',
      threshold: 0.5,
    };
    const r = backtestAt(await loadBacktest(db, spec, timestampSql('date', kind(cols, 'date'))), null);
    const ref = fx.weather.regression_backtest;
    expect(r.metric).toBe('mae');
    expect(r.folds.map((f) => f.n)).toEqual(ref.folds.map((f: { n: number }) => f.n));
    r.folds.forEach((f, i) => {
      const m = f.metrics as unknown as Record<string, MetricValue>;
      for (const k of ['mae', 'rmse', 'r2']) expectClose(valueOrNull(m[k]), ref.folds[i][k], 1e-9, `fold ${i} ${k}`);
    });
    expectClose(r.spread, ref.mae_spread, 1e-9, 'spread');
    expect(r.heterogeneity!.test).toBe('anova');
    expectClose(r.heterogeneity!.statistic, ref.anova.statistic, 1e-9, 'F');
    expectClose(r.heterogeneity!.pValue, ref.anova.p_value, 1e-9, 'p');
    expect(r.stable).toBe(false);
  });
});

describe('the validation use case', () => {
  it('answers a threshold move from its cached counts, judges the checks and writes the report section', async () => {
    const db = await testDb();
    const perf = await openPerformance(
      { db },
      {
        data: 'fair_test',
        reference: 'fair_train',
        out: 'validation_perf',
        choices: { label: 'outcome', score: 'affair_score', id: 'respondent_id' },
      },
    );
    try {
      const session = await openValidation({ db }, perf, { sensitive: ['religious'] });
      const at05 = session.at();
      const at03 = session.at(0.3);
      for (const [r, t] of [
        [at05, 0.5],
        [at03, 0.3],
      ] as const) {
        const ref = fx.fair.fairness.find(
          (f: { sensitive: string[]; threshold: number }) => f.sensitive.join() === 'religious' && f.threshold === t,
        );
        expect(r.threshold).toBe(t);
        expectClose(valueOrNull(r.fairness!.demographic_parity_difference), ref.demographic_parity_difference, 1e-9, `dp at ${t}`);
        expectClose(valueOrNull(r.fairness!.equalized_odds_ratio), ref.equalized_odds_ratio, 1e-9, `eo ratio at ${t}`);
      }
      // The slider's trade-off: the sweep at 0.30 and 0.50 is the report at those thresholds.
      for (const [r, t] of [
        [at05, 0.5],
        [at03, 0.3],
      ] as const) {
        const p = at05.fairnessSweep.find((x) => x.threshold === t)!;
        expect(p.demographic_parity_difference).toBe(valueOrNull(r.fairness!.demographic_parity_difference));
        expect(p.equalized_odds_difference).toBe(valueOrNull(r.fairness!.equalized_odds_difference));
      }
      expect(at05.fairnessSweep).toHaveLength(99);
      expectClose(
        at05.fairnessSweep.find((x) => x.threshold === 0.5)!.accuracy,
        fx.fair.overfitting.gaps.accuracy.test,
        1e-12,
        'sweep accuracy',
      );
      // Threshold-free gaps are the same object at any threshold; accuracy moves with it.
      const auc = (r: typeof at05) => r.overfitting!.metrics.find((m) => m.metric === 'roc_auc')!;
      expect(auc(at03)).toBe(auc(at05));
      expect(at03.overfitting!.metrics.find((m) => m.metric === 'accuracy')!.train).not.toBe(
        at05.overfitting!.metrics.find((m) => m.metric === 'accuracy')!.train,
      );
      expect(at05.robustness).toBeNull();
      expect(at05.missing.robustness).toMatch(/model file/);
      expect(at05.checks.map((c) => [c.id, c.status])).toEqual([
        ['fairness:demographic_parity_difference', 'fail'],
        ['fairness:equalized_odds_difference', 'fail'],
        ['leakage:columns', 'fail'],
        ['leakage:split', 'fail'],
        ['overfitting:roc_auc', 'fail'],
      ]);
      const tables = validationTables(at05);
      expect(tables.map((t) => t.id)).toEqual([
        'validation-checks',
        'validation-fairness',
        'validation-groups',
        'validation-leakage',
        'validation-gaps',
        'validation-slice-gaps',
      ]);
      const html = reportHtml({
        format: 'lantern-report',
        version: 1,
        title: 'validation',
        generated: '2026-12-06 00:00:00 UTC',
        reference: { name: 'fair_train.csv', rows: 4456, columns: 13 },
        current: { name: 'fair_test.csv', rows: 1935, columns: 13 },
        checks: { name: null, results: [], counts: { pass: 0, warn: 0, fail: 0, 'not-evaluated': 0 }, status: 'pass' },
        overview: { drift: null, quality: null, performance: null, worstSlices: [], failing: [] },
        tables,
        charts: [],
      });
      expect(html).toContain('Fairness across religious');
      expect(html).toContain('give the label away');
    } finally {
      await perf.dispose({ db });
    }
  });
});

describe('edge cases on the Palmer penguins', () => {
  let cols: ColumnInfo[];
  const pf = () => fx.penguins;
  const adelie = (threshold = 0.5): PerfSpec => ({
    table: 'penguins',
    label: 'is_adelie',
    labelKind: kind(cols, 'is_adelie'),
    score: 'adelie_score',
    task: 'binary',
    positive: '1',
    threshold,
  });

  beforeAll(async () => {
    cols = await load('penguins.csv', 'penguins');
  });

  it('missing values form a group of their own; tiny groups are listed, not compared; a one-class group has no FPR', async () => {
    const db = await testDb();
    for (const ref of pf().fairness.binary) {
      const counts = await loadFairnessCounts(db, adelie(ref.threshold), ref.sensitive);
      const r = fairnessAt(counts, ref.threshold, fx.defaults.min_group);
      const what = `${ref.sensitive[0]} at ${ref.threshold}`;
      for (const k of ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference', 'equalized_odds_ratio'])
        expectClose(valueOrNull((r as unknown as Record<string, MetricValue>)[k]), ref[k], 1e-9, `${what} ${k}`);
      expect(r.groups.map((g) => g.values[0] ?? null).sort()).toEqual(ref.groups.map((g: { value: string | null }) => g.value).sort());
      for (const e of ref.groups) {
        const g = r.groups.find((x) => (x.values[0] ?? null) === e.value)!;
        expect([g.n, g.ranked], `${what} ${e.value}`).toEqual([e.n, e.ranked]);
        for (const k of ['selection_rate', 'tpr', 'fpr', 'precision'] as const) {
          if (e[k] === null) expect(g[k].defined, `${what} ${e.value} ${k}`).toBe(false);
          else expectClose(valueOrNull(g[k]), e[k].value, 1e-12, `${what} ${e.value} ${k}`);
        }
        const auc = (g.metrics as unknown as Record<string, MetricValue>)['roc_auc']!;
        if (e.roc_auc === null) expect(auc.defined).toBe(false);
        else expectClose(valueOrNull(auc), e.roc_auc, 1e-12, `${what} ${e.value} roc_auc`);
      }
      if (ref.sensitive[0] === 'sex') expect(r.groups.find((g) => g.values[0] === null)!.label).toBe('sex is missing');
    }
  });

  it('regression: per-group errors equal sklearn, and the parity measures say they need a classifier', async () => {
    const db = await testDb();
    const spec: PerfSpec = {
      table: 'penguins',
      label: 'body_mass',
      labelKind: kind(cols, 'body_mass'),
      prediction: 'body_mass_pred',
      predictionKind: kind(cols, 'body_mass_pred'),
      task: 'regression',
      threshold: 0.5,
    };
    const r = fairnessAt(await loadFairnessCounts(db, spec, ['island']), null);
    expect(r.demographic_parity_difference.defined).toBe(false);
    if (!r.demographic_parity_difference.defined) expect(r.demographic_parity_difference.reason).toMatch(/binary classifiers/);
    for (const e of pf().fairness.regression_by_island) {
      const g = r.groups.find((x) => x.values[0] === e.value)!;
      expect(g.n).toBe(e.n);
      const m = g.metrics as unknown as Record<string, MetricValue>;
      expectClose(valueOrNull(m['mae']), e.mae, 1e-9, `${e.value} mae`);
      expectClose(valueOrNull(m['rmse']), e.rmse, 1e-9, `${e.value} rmse`);
    }
  });

  it('flags the species column, not beak length (ROC AUC 0.98 reversed), with text and NULL columns', async () => {
    const db = await testDb();
    const candidates = ['species', 'island', 'sex', 'beak_length', 'beak_depth', 'flipper_length', 'body_mass'];
    const r = await leakageReport(db, {
      spec: adelie(),
      measuredOn: 'evaluation',
      candidates,
      id: 'bird',
      evaluation: 'penguins',
      outputs: ['adelie_score'],
    });
    const ref = pf().single_feature;
    expectClose(r.baselineAccuracy, ref.baseline_accuracy, 1e-12, 'baseline');
    for (const s of r.columns) {
      const e = ref.columns[s.column];
      if (e.roc_auc !== undefined) expectClose(s.roc_auc, e.roc_auc, 1e-9, `${s.column} roc_auc`);
      else expect(s.roc_auc).toBeNull();
      expectClose(s.mapping_accuracy, e.mapping_accuracy, 1e-12, `${s.column} mapping`);
    }
    expect(r.findings.map((f) => `${f.column}:${f.reason}`)).toEqual(['species:single-feature']);
    expect(r.split).toEqual({ sharedIds: null, duplicates: null, time: null });
  });
});

describe('over-fitting of a regression model', () => {
  it('train and held-out MAE, RMSE and R2, their gaps and intervals equal sklearn, Welch and the delta method', async () => {
    const db = await testDb();
    const cols = await load('penguins.csv', 'penguins_all');
    for (const [table, rest] of [
      ['penguins_train', 1],
      ['penguins_test', 0],
    ] as const)
      await db.query(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM penguins_all WHERE CAST(substr(bird, 2) AS INTEGER) % 2 = ${rest}`);
    const spec = (table: string): PerfSpec => ({
      table,
      label: 'body_mass',
      labelKind: kind(cols, 'body_mass'),
      prediction: 'body_mass_pred',
      predictionKind: kind(cols, 'body_mass_pred'),
      task: 'regression',
      threshold: 0.5,
    });
    const r = overfittingAt(await loadOverfitting(db, spec('penguins_train'), spec('penguins_test'), []), null);
    const ref = fx.penguins.regression_overfitting;
    expect(r.sliceMetric).toBe('mae');
    for (const name of ['mae', 'rmse', 'r2']) {
      const m = r.metrics.find((x) => x.metric === name)!;
      expectClose(m.train, ref.train[name], 1e-9, `${name} train`);
      expectClose(m.test, ref.test[name], 1e-9, `${name} test`);
      expectClose(m.gap, ref.gaps[name].gap, 1e-9, `${name} gap`);
      if (ref.gaps[name].ci) {
        expectClose(m.interval!.lo, ref.gaps[name].ci[0], 1e-9, `${name} lo`);
        expectClose(m.interval!.hi, ref.gaps[name].ci[1], 1e-9, `${name} hi`);
      } else expect(m.interval).toBeNull();
    }
  });
});
