import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { loadDataset } from '../../src/lib/ingest';
import type { Profile } from '../../src/lib/profiles/format';
import { profileDriftReport } from '../../src/lib/profiles/drift';
import { batchesOf, historyReport } from '../../src/lib/profiles/history';
import { mergeProfiles } from '../../src/lib/profiles/merge';
import { profileMetrics, type ProfileMetrics } from '../../src/lib/profiles/metrics';
import { profileTable, type ProfileOptions } from '../../src/lib/profiles/profileTable';
import { partQuality } from '../../src/lib/profiles/quality';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';
import { plantedPath } from '../helpers/planted';

/** scikit-learn and pandas on the flights-late training log (scripts/fixtures/profiles.py). */
const fx = JSON.parse(readFileSync(new URL('../fixtures/profiles/quality_metrics.json', import.meta.url), 'utf8')).flights_late as {
  metrics: { all: Record<string, number>; by_month: Record<string, Record<string, number>> };
  quality: Record<
    string,
    Record<string, { missing_reference: number; missing: number; out_of_range: number | null; unseen: number | null }>
  >;
};

let db: Db;
const BY_MONTH: ProfileOptions = {
  roles: { flight_id: 'id', flagged: 'prediction' },
  time: { column: 'departed_at', window: 'month' },
  performance: { label: 'was_late', score: 'p_late', positive: 1, threshold: 0.5 },
};
let sketched: Profile;
let exact: Profile;

const EXACT_FIGURES = [
  'n',
  'positives',
  'tp',
  'fp',
  'tn',
  'fn',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'specificity',
  'fpr',
  'fnr',
  'log_loss',
  'brier',
] as const;

function checkMetrics(got: ProfileMetrics, expected: Record<string, number>, exactScores: boolean) {
  for (const k of EXACT_FIGURES) closeTo(got[k], expected[k]!, 1e-9, 1e-12);
  if (exactScores) {
    expect(got.approximate).toBe(false);
    closeTo(got.roc_auc, expected['roc_auc']!, 1e-9);
    closeTo(got.average_precision, expected['average_precision']!, 1e-9);
  } else {
    expect(got.approximate).toBe(true);
    // The stated bound holds, and is small at the default accuracy.
    expect(Math.abs(got.roc_auc! - expected['roc_auc']!)).toBeLessThanOrEqual(got.bounds.roc_auc! + 1e-12);
    expect(got.bounds.roc_auc!).toBeLessThan(0.002);
    expect(Math.abs(got.average_precision! - expected['average_precision']!)).toBeLessThan(0.002);
  }
}

beforeAll(async () => {
  db = await testDb();
  await loadDataset(db, nodeParquet, await PathSource.open(plantedPath('flights-late', 'flights_2001Q1_training.csv.gz')), {
    table: 'flights',
  });
  sketched = await profileTable(db, 'flights', BY_MONTH);
  exact = await profileTable(db, 'flights', { ...BY_MONTH, caps: { numericValues: 100_000, textValues: 2048 } });
});

const month = (p: Profile, m: string) => p.parts.find((x) => x.window === m && x.segment === null)!;
const whole = (p: Profile) => p.parts.find((x) => x.window === null && x.segment === null)!;

describe('metrics from profiles of the flights-late log, against scikit-learn on the rows', () => {
  it('exact score values: every figure to 1e-9, all rows and each month', () => {
    checkMetrics(profileMetrics(whole(exact).performance!, exact.sketch.alpha), fx.metrics.all, true);
    for (const [m, expected] of Object.entries(fx.metrics.by_month))
      checkMetrics(profileMetrics(month(exact, m).performance!, exact.sketch.alpha), expected, true);
  });

  it('sketched scores: counts, log loss and Brier exact; ROC AUC within the stated bound, AP within 0.002', () => {
    const all = profileMetrics(whole(sketched).performance!, sketched.sketch.alpha);
    checkMetrics(all, fx.metrics.all, false);
    console.log(
      `flights-late ROC AUC from the sketch ${all.roc_auc} vs ${fx.metrics.all['roc_auc']} (bound ${all.bounds.roc_auc}), AP ${all.average_precision} vs ${fx.metrics.all['average_precision']}`,
    );
    for (const [m, expected] of Object.entries(fx.metrics.by_month))
      checkMetrics(profileMetrics(month(sketched, m).performance!, sketched.sketch.alpha), expected, false);
  });

  it('merging the months gives the metrics of all rows', () => {
    const months = Object.keys(fx.metrics.by_month).map((m) => ({ ...exact, parts: [{ ...month(exact, m), window: null }] }));
    const merged = mergeProfiles(months);
    const got = profileMetrics(whole(merged).performance!, merged.sketch.alpha);
    checkMetrics(got, fx.metrics.all, true);
  });
});

describe('data quality from profiles, against pandas', () => {
  it('missing, out-of-range and unseen shares of February and March against January', () => {
    for (const [m, expected] of Object.entries(fx.quality)) {
      const got = partQuality(month(sketched, '2001-01-01'), month(sketched, m), sketched.sketch.alpha);
      for (const [column, e] of Object.entries(expected)) {
        const q = got.find((x) => x.column === column)!;
        expect(q, column).toBeDefined();
        closeTo(q.missing, e.missing, 1e-12, 1e-15);
        closeTo(q.missingReference, e.missing_reference, 1e-12, 1e-15);
        if (e.unseen !== null) closeTo(q.unseen, e.unseen, 1e-12, 1e-15);
        if (e.out_of_range !== null) {
          // Exact with exact values; from the sketch a lower bound (buckets wholly outside the range).
          if (q.exact) closeTo(q.outOfRange, e.out_of_range, 1e-12, 1e-15);
          else expect(q.outOfRange!).toBeLessThanOrEqual(e.out_of_range + 1e-15);
        }
      }
    }
  });
});

describe('segments', () => {
  it('each segment value and window x segment part equals the profile of those rows alone', async () => {
    const bySegment = await profileTable(db, 'flights', { ...BY_MONTH, segments: ['dep_period'] });
    const periods = (await db.query(`SELECT DISTINCT dep_period AS v FROM flights ORDER BY 1`)).map((r) => String(r['v']));
    expect(periods.length).toBeGreaterThan(2);
    const jan = month(bySegment, '2001-01-01');
    // Two of the periods keep the test quick; each is checked in full.
    for (const period of periods.slice(0, 2)) {
      await db.query(`CREATE OR REPLACE TABLE seg AS SELECT * FROM flights WHERE dep_period = '${period}'`);
      const alone = await profileTable(db, 'seg', { ...BY_MONTH, time: null });
      const part = bySegment.parts.find((p) => p.window === null && p.segment?.value === period)!;
      const feb = bySegment.parts.find((p) => p.window === '2001-02-01' && p.segment?.value === period)!;
      expect(part.rows).toBe(whole(alone).rows);
      // Drift of the segment's February against all of January: from the segment part, and from a profile of those rows.
      await db.query(
        `CREATE OR REPLACE TABLE seg_feb AS SELECT * FROM seg WHERE departed_at >= TIMESTAMP '2001-02-01' AND departed_at < TIMESTAMP '2001-03-01'`,
      );
      const febAlone = await profileTable(db, 'seg_feb', { ...BY_MONTH, time: null });
      const a = profileDriftReport(bySegment, bySegment, { referencePart: jan, currentPart: feb });
      const b = profileDriftReport(bySegment, febAlone, { referencePart: jan });
      expect(a.columns.length).toBeGreaterThan(5);
      a.columns.forEach((c, i) => closeTo(c.score, b.columns[i]!.score, 1e-9, 1e-12));
      closeTo(profileMetrics(part.performance!, 0.001).accuracy, profileMetrics(whole(alone).performance!, 0.001).accuracy, 1e-12);
    }
  });
});

describe('history of daily batches', () => {
  it('a week of days against January: no regression until the planted one, which starts on 2001-02-08', async () => {
    // Scores inverted and a feature half missing from 2001-02-08 on.
    await db.query(`CREATE OR REPLACE TABLE week AS
      SELECT * REPLACE (
        CASE WHEN departed_at >= TIMESTAMP '2001-02-08' THEN 1 - p_late ELSE p_late END AS p_late,
        CASE WHEN departed_at >= TIMESTAMP '2001-02-08' AND dep_hour % 2 = 0 THEN NULL ELSE origin_recent_delay_min END AS origin_recent_delay_min)
      FROM flights WHERE departed_at >= TIMESTAMP '2001-02-05' AND departed_at < TIMESTAMP '2001-02-12'`);
    await db.query(`CREATE OR REPLACE TABLE january AS SELECT * FROM flights WHERE departed_at < TIMESTAMP '2001-02-01'`);
    const reference = await profileTable(db, 'january', { ...BY_MONTH, time: null });
    const days = await profileTable(db, 'week', { ...BY_MONTH, time: { column: 'departed_at', window: 'day' } });
    const batches = batchesOf([{ name: 'week.lprofile', profile: days }]);
    expect(batches.map((b) => b.name)).toEqual([
      '2001-02-05',
      '2001-02-06',
      '2001-02-07',
      '2001-02-08',
      '2001-02-09',
      '2001-02-10',
      '2001-02-11',
    ]);
    const report = historyReport({ name: 'january', profile: reference }, batches);
    expect(report.firstRegression).toBe('2001-02-08');
    for (const b of report.batches) {
      const planted = b.name >= '2001-02-08';
      expect(
        b.regressions.some((r) => r.kind === 'metric' && r.subject === 'roc_auc'),
        b.name,
      ).toBe(planted);
      expect(
        b.regressions.some((r) => r.kind === 'missing' && r.subject === 'origin_recent_delay_min'),
        b.name,
      ).toBe(planted);
    }
    // Each batch's figures are those of its own rows profiled alone.
    await db.query(`CREATE OR REPLACE TABLE one_day AS SELECT * FROM week WHERE CAST(departed_at AS DATE) = DATE '2001-02-09'`);
    const alone = await profileTable(db, 'one_day', { ...BY_MONTH, time: null });
    const single = historyReport({ name: 'january', profile: reference }, batchesOf([{ name: 'day', profile: alone }]));
    const b = report.batches.find((x) => x.name === '2001-02-09')!;
    expect(single.batches[0]!.rows).toBe(b.rows);
    single.batches[0]!.drift.columns.forEach((c, i) => closeTo(c.score, b.drift.columns[i]!.score, 1e-9, 1e-12));
    closeTo(single.batches[0]!.metrics!.roc_auc, b.metrics!.roc_auc, 1e-9);
  });

  it('a batch with few rows is a volume regression; none without batches', () => {
    const batches = batchesOf([{ name: 'all', profile: sketched }]);
    const report = historyReport({ name: 'jan', profile: { ...sketched, parts: [{ ...month(sketched, '2001-01-01'), window: null }] } }, [
      ...batches.slice(0, 2),
      { ...batches[2]!, part: { ...month(sketched, '2001-03-01'), rows: 10 } },
    ]);
    expect(report.batches.map((b) => b.regressions.filter((r) => r.kind === 'volume').length)).toEqual([0, 0, 1]);
    expect(historyReport({ name: 'jan', profile: sketched }, []).batches).toEqual([]);
  });
});
