import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { loadDataset } from '../../src/lib/ingest';
import { parseModel } from '../../src/lib/model/load';
import { compareVersions } from '../../src/lib/usecases/compare';
import { scoreWithModels, type VersionModel } from '../../src/lib/versions/models';
import { expectClose } from '../helpers/close';
import { testDb } from '../helpers/db';
import { readVersionsFixture, versionsPath } from '../helpers/versions';

type Metrics = Record<string, number | null>;
type Num = Record<string, number>;
interface ModelsFixture {
  threshold: number;
  models: Record<string, { features: string[]; probability: number[]; mean_abs_shap: Record<string, number>; metrics: Metrics }>;
  tests: { mcnemar: Num; delong: Num };
  swapped: { mcnemar: Num; delong: Num };
  one_class: { rows: number; champion: Metrics; challenger: Metrics; mcnemar: Num };
  regression: { champion: Metrics; challenger: Metrics; tests: Record<string, Num> };
  disagreement: { count: number };
}
const fx = readVersionsFixture<ModelsFixture>('models/models.json');
const METRICS = ['accuracy', 'precision', 'recall', 'f1', 'specificity', 'roc_auc', 'average_precision', 'log_loss', 'brier'];
const model = (name: string): VersionModel => ({ name, model: parseModel(readFileSync(versionsPath(`models/${name}`)), name) });

function sameMetrics(got: Record<string, number | null>, e: Metrics, what: string) {
  expect(got['n'], `${what}.n`).toBe(e['n']);
  for (const k of METRICS) {
    if (e[k] === null || e[k] === undefined) expect(got[k], `${what}.${k}`).toBeNull();
    else expectClose(got[k], e[k]!, 1e-9, `${what}.${k}`);
  }
}
function sameTest(got: object | undefined, e: Num, what: string) {
  for (const [k, v] of Object.entries(e)) expectClose((got as Num | undefined)?.[k], v, 1e-9, `${what}.${k}`);
}

let db: Db;
const load = async (name: string, table: string) => loadDataset(db, nodeParquet, await PathSource.open(versionsPath(name)), { table });
const [A, B] = [model('champion.json'), model('challenger.json')];

beforeAll(async () => {
  db = await testDb();
  await load('models/log.csv', 'm_log');
  await load('models/labels.csv', 'm_labels');
  await load('models/precipitation.csv', 'm_precipitation');
  await db.query(`CREATE OR REPLACE TABLE m_dry AS SELECT * FROM m_labels WHERE rain = 1`);
});

describe('two model files as two versions (seattle-weather 2014-2015, two xgboost models)', () => {
  it("scores every row of the log with each model, in the log's order, as xgboost's leaves summed in double", async () => {
    const columns = await scoreWithModels(db, 'm_log', [A, B], 'm_scored');
    expect(columns).toEqual(['champion.json', 'challenger.json']);
    const rows = await db.query(`SELECT "date", "champion.json" AS a, "challenger.json" AS b FROM m_scored`);
    const order = await db.query(`SELECT "date" FROM m_log`);
    expect(rows.map((r) => String(r['date']))).toEqual(order.map((r) => String(r['date'])));
    const pa = fx.models['champion.json']!.probability;
    expect(new Set(pa).size).toBeLessThan(pa.length / 3);
    const pb = fx.models['challenger.json']!.probability;
    expect(rows).toHaveLength(pa.length);
    rows.forEach((r, i) => {
      expect(Math.abs((r['a'] as number) - pa[i]!)).toBeLessThan(1e-12);
      expect(Math.abs((r['b'] as number) - pb[i]!)).toBeLessThan(1e-12);
    });
    await db.query('DROP TABLE m_scored');
    // In batches of 100 rows (8 batches, the last one short): the same outputs in the same order.
    await scoreWithModels(db, 'm_log', [A, B], 'm_batched', undefined, 100);
    const batched = await db.query(`SELECT "date", "champion.json" AS a, "challenger.json" AS b FROM m_batched`);
    expect(batched).toEqual(rows);
    const left = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'm_batched_%'`);
    expect(left).toEqual([]);
    await db.query('DROP TABLE m_batched');
    // An empty log: an empty table with both output columns, and a comparison that says there is nothing to compare.
    await db.query('CREATE OR REPLACE TABLE m_empty AS SELECT * FROM m_log LIMIT 0');
    await scoreWithModels(db, 'm_empty', [A, B], 'm_empty_scored');
    expect(await db.query('SELECT count(*)::INTEGER AS n, count("challenger.json")::INTEGER AS s FROM m_empty_scored')).toEqual([
      { n: 0, s: 0 },
    ]);
    await expect(
      compareVersions(
        { db },
        { data: 'm_empty', labels: 'm_labels', models: [A, B], choices: { id: 'prediction_id', label: 'rain' }, out: 'm_e' },
      ),
    ).rejects.toThrow(/No prediction has a label yet/);
  });

  // The champion's 730 scores take 195 values only (a shallow tree ensemble): AUC and DeLong meet ties by midranks.
  it('compares them paired on the labelled rows: every metric equals sklearn, McNemar and DeLong scipy/numpy', async () => {
    const c = await compareVersions(
      { db },
      {
        data: 'm_log',
        labels: 'm_labels',
        models: [A, B],
        choices: { id: 'prediction_id', label: 'rain', threshold: fx.threshold },
        out: 'm_cmp',
      },
    );
    expect(c.mode).toBe('paired');
    expect(c.layout).toEqual({ mode: 'paired', champion: 'champion.json', challenger: 'challenger.json' });
    expect(c.scores).toBe(true);
    sameMetrics(c.versions[0]!.flat, fx.models['champion.json']!.metrics, 'champion');
    sameMetrics(c.versions[1]!.flat, fx.models['challenger.json']!.metrics, 'challenger');
    const cmp = c.comparisons[0]!;
    sameTest(cmp.tests.mcnemar, fx.tests.mcnemar, 'mcnemar');
    sameTest(cmp.tests.delong, fx.tests.delong, 'delong');
    expect(cmp.disagreement?.count).toBe(fx.disagreement.count);
    // Nothing is significant on these rows: hold.
    expect(cmp.verdict.decision).toBe('hold');
    // Side-by-side SHAP: mean |SHAP| per feature equals xgboost's pred_contribs (float32) to 1e-5 relative.
    const imp = c.models!;
    expect(imp.models).toEqual(['champion.json', 'challenger.json']);
    expect(imp.rows).toBe(fx.models['champion.json']!.probability.length);
    const features = new Set([...fx.models['champion.json']!.features, ...fx.models['challenger.json']!.features]);
    expect(new Set(imp.features.map((f) => f.feature))).toEqual(features);
    for (const f of imp.features)
      ['champion.json', 'challenger.json'].forEach((name, i) => {
        const e = fx.models[name]!.mean_abs_shap[f.feature];
        if (e === undefined) expect(f.values[i], `${name} ${f.feature}`).toBeNull();
        else expectClose(f.values[i], e, 1e-5, `${name} ${f.feature}`);
      });
    // Most important first.
    expect(imp.features[0]!.feature).toBe('temp_max');
    // Nothing the comparison made is left behind.
    const left = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'm_cmp%'`);
    expect(left).toEqual([]);
  });

  it('swaps champion and challenger: the tests turn around', async () => {
    const c = await compareVersions(
      { db },
      {
        data: 'm_log',
        labels: 'm_labels',
        models: [B, A],
        choices: { id: 'prediction_id', label: 'rain', threshold: fx.threshold },
        out: 'm_swap',
      },
    );
    expect(c.comparisons[0]!.champion).toBe('challenger.json');
    sameMetrics(c.versions[0]!.flat, fx.models['challenger.json']!.metrics, 'champion');
    sameTest(c.comparisons[0]!.tests.mcnemar, fx.swapped.mcnemar, 'mcnemar');
    sameTest(c.comparisons[0]!.tests.delong, fx.swapped.delong, 'delong');
    expect(c.models!.models).toEqual(['challenger.json', 'champion.json']);
  });

  it('with one class labelled: no AUC and no DeLong test, McNemar still equals scipy', async () => {
    const c = await compareVersions(
      { db },
      {
        data: 'm_log',
        labels: 'm_dry',
        models: [A, B],
        choices: { id: 'prediction_id', label: 'rain', threshold: fx.threshold },
        out: 'm_dry_cmp',
      },
    );
    expect(c.versions[0]!.n).toBe(fx.one_class.rows);
    expect(c.versions[0]!.flat['roc_auc']).toBeNull();
    for (const k of ['accuracy', 'recall', 'log_loss', 'brier']) {
      expectClose(c.versions[0]!.flat[k], fx.one_class.champion[k]!, 1e-9, k);
      expectClose(c.versions[1]!.flat[k], fx.one_class.challenger[k]!, 1e-9, k);
    }
    const cmp = c.comparisons[0]!;
    expect(cmp.tests.delong).toMatchObject({ defined: false });
    sameTest(cmp.tests.mcnemar, fx.one_class.mcnemar, 'mcnemar');
  });

  it('the same model file twice: b + c = 0, the same ranking (DeLong z = 0, p = 1), no disagreement, hold', async () => {
    const c = await compareVersions(
      { db },
      {
        data: 'm_log',
        labels: 'm_labels',
        models: [A, A],
        choices: { id: 'prediction_id', label: 'rain', threshold: fx.threshold },
        out: 'm_same',
      },
    );
    expect(c.layout).toEqual({ mode: 'paired', champion: 'champion.json', challenger: 'champion.json (2)' });
    const cmp = c.comparisons[0]!;
    expect(cmp.tests.mcnemar).toMatchObject({ b: 0, c: 0, statistic: 0, p_value: 1, exact_p_value: 1 });
    expect(cmp.tests.delong).toMatchObject({ difference: 0, z: 0, p_value: 1 });
    expect(cmp.disagreement?.count).toBe(0);
    expect(cmp.verdict.decision).toBe('hold');
  });

  it('says which features a model misses instead of scoring', async () => {
    await db.query(`CREATE OR REPLACE TABLE m_no_doy AS SELECT * EXCLUDE (doy) FROM m_log`);
    await expect(
      compareVersions(
        { db },
        { data: 'm_no_doy', labels: 'm_labels', models: [A, B], choices: { id: 'prediction_id', label: 'rain' }, out: 'm_bad' },
      ),
    ).rejects.toThrow(/"challenger.json": The model does not fit this data: the data has no column for model feature "doy"/);
    await expect(compareVersions({ db }, { data: 'm_log', models: [A], choices: { label: 'rain' }, out: 'm_one' })).rejects.toThrow(
      /takes two of them/,
    );
  });

  it('two regressors: every metric equals sklearn, the paired t-test and Wilcoxon on the errors scipy', async () => {
    const c = await compareVersions(
      { db },
      {
        data: 'm_log',
        labels: 'm_precipitation',
        models: [model('rain_v1.json'), model('rain_v2.json')],
        choices: { id: 'prediction_id', label: 'precipitation' },
        out: 'm_reg',
      },
    );
    expect(c.task).toBe('regression');
    const e = fx.regression;
    for (const [i, side] of (['champion', 'challenger'] as const).entries()) {
      expect(c.versions[i]!.flat['n']).toBe(e[side]['n']);
      for (const k of ['mae', 'rmse', 'r2', 'mean_error', 'max_error'])
        expectClose(c.versions[i]!.flat[k], e[side][k]!, 1e-9, `${side}.${k}`);
    }
    const errors = c.comparisons[0]!.tests.errors!;
    for (const name of ['absolute_error', 'squared_error'] as const) {
      const ref = e.tests[name]!;
      const t = errors[name].t as unknown as Num;
      const w = errors[name].wilcoxon as unknown as Num;
      expectClose(t['mean_difference'], ref['mean_difference']!, 1e-9, `${name}.mean_difference`);
      expectClose(t['t'], ref['t']!, 1e-9, `${name}.t`);
      expectClose(t['p_value'], ref['t_p_value']!, 1e-6, `${name}.t p`);
      expectClose(w['statistic'], ref['wilcoxon_statistic']!, 1e-9, `${name}.wilcoxon`);
      expectClose(w['p_value'], ref['wilcoxon_p_value']!, 1e-6, `${name}.wilcoxon p`);
    }
    // The challenger's absolute errors are significantly lower (p = 0.007): promote unless worse somewhere.
    expect(c.comparisons[0]!.verdict.reasons.join(' ')).toMatch(/mae/);
  });
});
