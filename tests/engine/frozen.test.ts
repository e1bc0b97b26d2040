import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { frozenFinding, frozenRuns } from '../../src/lib/findings/frozen';
import { testDb } from '../helpers/db';

/**
 * A log of 40 days, 30 rows a day: `score` varies except for days 10-12 (one value, a fallback), `temp`
 * holds one value per day by nature (a daily reading), `rare` is 0 with a 1 now and then, so that a
 * day of zeros is chance, and `feed` freezes for a single day of 30 rows.
 */
let db: Db;

beforeAll(async () => {
  db = await testDb();
  await db.query(`CREATE OR REPLACE TABLE frozen_log AS
    SELECT TIMESTAMP '2024-03-01' + INTERVAL (d) DAY + INTERVAL (r * 40) MINUTE AS ts,
      CASE WHEN d BETWEEN 10 AND 12 THEN 0.4375 ELSE ((d * 31 + r * 17) % 97) / 97.0 END AS score,
      20 + (d % 7) AS temp,
      CASE WHEN (d * 30 + r) % 23 = 0 THEN 1 ELSE 0 END AS rare,
      CASE WHEN r = 7 THEN NULL WHEN d = 30 THEN 5.0 ELSE (d * 7 + r * 3) % 11 END AS feed
    FROM range(40) a(d), range(30) b(r)`);
});

describe('frozen runs of days', () => {
  it('finds a fallback answer of three days and a frozen feed of one, with the chance of each', async () => {
    const runs = await frozenRuns(db, {
      table: 'frozen_log',
      tsSql: 'ts',
      columns: ['score', 'temp', 'rare', 'feed'],
      minRows: 25,
    });
    const byColumn = Object.fromEntries(runs.map((r) => [r.column, r]));
    expect(Object.keys(byColumn).sort()).toEqual(['feed', 'score']);
    const score = byColumn['score']!;
    expect(score).toMatchObject({ value: 0.4375, start: '2024-03-11', end: '2024-03-14', rows: 90, days: 3, elsewhereShare: 0 });
    // 1,110 other rows with no 0.4375 among them: each row of the run counts as one chance in 1,110.
    expect(score.p / Math.exp(90 * Math.log(1 / 1110))).toBeCloseTo(1, 9);
    const feed = byColumn['feed']!;
    // The feed's NULL rows are not values: 29 rows on the frozen day.
    expect(feed).toMatchObject({ value: 5, start: '2024-03-31', end: '2024-04-01', rows: 29, days: 1 });
    // (d * 7 + r * 3) % 11 = 5 elsewhere: counted exactly from the same expression.
    const [check] = await db.query(
      `SELECT (count(*) FILTER (WHERE feed = 5))::DOUBLE / count(feed) AS s FROM frozen_log WHERE CAST(ts AS DATE) <> DATE '2024-03-31'`,
    );
    expect(feed.elsewhereShare).toBeCloseTo(Number(check?.['s']), 12);
    expect(feed.p / Math.pow(feed.elsewhereShare, 29)).toBeCloseTo(1, 9);
  });

  it('needs enough rows: a run shorter than the minimum is not read', async () => {
    const runs = await frozenRuns(db, { table: 'frozen_log', tsSql: 'ts', columns: ['score', 'feed'], minRows: 100 });
    expect(runs).toEqual([]);
  });

  it('says it in words, outputs frozen together as one fallback answer', async () => {
    const runs = await frozenRuns(db, { table: 'frozen_log', tsSql: 'ts', columns: ['score'], minRows: 25 });
    const finding = frozenFinding(runs, { rows: 1200, output: true });
    expect(finding.title).toBe(
      "The model's output score is stuck at 0.44 from 2024-03-11 to 2024-03-13 (90 rows over 3 days), where it never takes that value elsewhere (sd 0.29)",
    );
    expect(finding.window).toEqual({ start: '2024-03-11', end: '2024-03-14' });
    expect(finding.detail).toContain('fallback');
    expect(finding.link).toMatchObject({ view: 'drift', column: 'score' });
  });
});
