/**
 * The report's numerical batches may run on a helper thread (the browser engine's nested worker, the
 * CLI's worker thread) while this thread pulls the next batch, or here when the helper is busy: the
 * report must be the same whoever computed which batch, and a cancel or a helper failure must end it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeStatsThread } from '../../src/engine/nodeStats';
import type { Db } from '../../src/lib/db';
import {
  BatchScheduler,
  numericalBatchDrift,
  type NumericalBatchColumn,
  type NumericalBatchRunner,
} from '../../src/lib/drift/numericalBatch';
import { numericColumnsSql } from '../../src/lib/drift/sides';
import { driftReport } from '../../src/lib/drift/report';
import { LanternError } from '../../src/lib/errors';
import { testDb } from '../helpers/db';

let db: Db;
const t = { reference: 'helper_ref', current: 'helper_cur' };
const columns = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'kind'];
const thread = nodeStatsThread();

beforeAll(async () => {
  db = await testDb();
  const side = (offset: number, rows: number) => `
    SELECT sin(i + ${offset}) * 100 AS a, cos(i * 3 + ${offset}) AS b, (i * 7919 + ${offset}) % 1013 AS c,
           CASE WHEN i % 7 = 0 THEN NULL WHEN i % 11 = 0 THEN 'NaN'::DOUBLE ELSE ln(i + 1 + ${offset}) END AS d,
           (i + ${offset}) % 3 AS e, tan(i + ${offset}) AS f, i * 0.5 + ${offset} AS g, CAST(NULL AS DOUBLE) AS h,
           ['x', 'y', 'z'][1 + (i + ${offset}) % 3] AS kind
    FROM range(${rows}) t(i)`;
  await db.query(`CREATE OR REPLACE TABLE ${t.reference} AS ${side(0, 4000)}`);
  await db.query(`CREATE OR REPLACE TABLE ${t.current} AS ${side(5, 3500)}`);
});
afterAll(() => thread.close());

/** A helper that answers late, so batches pile up and this thread takes some of them. */
const slowHelper =
  (ms: number): NumericalBatchRunner =>
  async (job, signal) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return numericalBatchDrift(job, signal);
  };

describe('numerical batches on a helper thread', () => {
  it('gives the same report whichever thread computes each batch', async () => {
    const here = await driftReport(db, t, { columns, batchValues: 8_000 });
    // 8,000 values per pull: two columns per batch, four batches.
    expect(await driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: slowHelper(50) })).toEqual(here);
    expect(await driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: slowHelper(0) })).toEqual(here);
    expect(await driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: thread.run })).toEqual(here);
    expect(await driftReport(db, t, { columns, runNumericalBatch: thread.run })).toEqual(here);
  });

  it('reports progress for every column once', async () => {
    const seen: number[] = [];
    await driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: slowHelper(20), onProgress: (done) => seen.push(done) });
    expect(seen).toEqual(columns.map((_, i) => i + 1));
  });

  it('ends with a cancel when the signal aborts while the helper works', async () => {
    const controller = new AbortController();
    const runner: NumericalBatchRunner = async (job, signal) => {
      controller.abort();
      return slowHelper(10)(job, signal);
    };
    await expect(
      driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: runner, signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('fails with the helper failure, not with a hang or a partial report', async () => {
    const broken: NumericalBatchRunner = async () => {
      throw new LanternError('worker-failed', 'The statistics thread stopped (test). Run the report again.');
    };
    await expect(driftReport(db, t, { columns, batchValues: 8_000, runNumericalBatch: broken })).rejects.toMatchObject({
      code: 'worker-failed',
    });
  });

  it('computes batches here when the queue passes its byte limit, and drains what the helper has not started', async () => {
    const jobs = await Promise.all(
      [
        ['a', 'b'],
        ['c', 'd'],
        ['e', 'f'],
        ['g', 'h'],
      ].map(async (columns) => ({
        reference: await db.queryArrow(numericColumnsSql(t.reference, columns)),
        current: await db.queryArrow(numericColumnsSql(t.current, columns)),
        columns,
        settings: {},
      })),
    );
    const expected = jobs.flatMap((job) => numericalBatchDrift({ ...job }));
    const byHelper: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const helper: NumericalBatchRunner = async (job) => {
      byHelper.push(...job.columns);
      await gate;
      return numericalBatchDrift(job);
    };
    const got: NumericalBatchColumn[] = [];
    // Room for one queued batch: the third add computes the second batch here.
    const oneBatch = jobs[1]!.reference.byteLength + jobs[1]!.current.byteLength;
    const scheduler = new BatchScheduler(helper, (cols) => got.push(...cols), undefined, oneBatch);
    for (const job of jobs) scheduler.add(job);
    expect(byHelper).toEqual(['a', 'b']);
    expect(got.map((c) => c.drift.name)).toEqual(['c', 'd', 'e', 'f']);
    const finished = scheduler.finish();
    // The helper is still busy with its first batch: the last one is drained here.
    expect(got.map((c) => c.drift.name)).toEqual(['c', 'd', 'e', 'f', 'g', 'h']);
    release();
    await finished;
    const byName = (cols: NumericalBatchColumn[]) => Object.fromEntries(cols.map((c) => [c.drift.name, c]));
    expect(byName(got)).toEqual(byName(expected));
  });
});
