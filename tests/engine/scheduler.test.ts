import { describe, expect, it } from 'vitest';
import { performanceApi } from '../../src/engine/api/performance';
import { Scheduler } from '../../src/engine/scheduler';
import { errorCode } from '../../src/rpc/errors';
import { loadFixture } from '../helpers/perf';
import { ctx } from '../helpers/scheduler';
import { testDb, testEngine } from '../helpers/db';

/** A query that runs for many seconds in DuckDB-WASM unless cancelled. */
const LONG = 'SELECT sum(i * i)::DOUBLE AS s FROM range(20000000000) t(i)';
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: errorCode(error) ?? String(error) }),
  );

describe('the engine scheduler (real DuckDB)', () => {
  it('cancels a job in the middle of a long query, and the engine serves the next job at once', async () => {
    const scheduler = new Scheduler(await testDb());
    const started = performance.now();
    const long = outcome(scheduler.run(ctx('long'), ({ db }) => db.query(LONG)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    scheduler.cancel('long');
    expect(await long).toEqual({ error: 'cancelled' });
    const [row] = await scheduler.run(ctx('next'), ({ db }) => db.query('SELECT 42 AS x'));
    expect(row?.['x']).toBe(42);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(scheduler.active).toBe(0);
  });

  it('runs calls with the same key once, and a cached result again without running', async () => {
    const scheduler = new Scheduler(await testDb());
    let runs = 0;
    const work = async ({ db }: { db: { query: (sql: string) => Promise<unknown[]> } }) => {
      runs++;
      return (await db.query('SELECT 7 AS x')).length;
    };
    const options = { key: 'k', cache: true, tables: ['t_one'] };
    const [a, b] = await Promise.all([scheduler.run(ctx('a'), work, options), scheduler.run(ctx('b'), work, options)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(await scheduler.run(ctx('c'), work, options)).toBe(1);
    expect(runs).toBe(1);
    scheduler.invalidate('t_other');
    await scheduler.run(ctx('d'), work, options);
    expect(runs).toBe(1);
    scheduler.invalidate('t_one');
    await scheduler.run(ctx('e'), work, options);
    expect(runs).toBe(2);
  });

  it('keeps a shared run going while one caller remains, and stops it when the last one cancels', async () => {
    const scheduler = new Scheduler(await testDb());
    const options = { key: 'shared-long' };
    const first = outcome(scheduler.run(ctx('s1'), ({ db }) => db.query(LONG), options));
    const second = outcome(scheduler.run(ctx('s2'), ({ db }) => db.query(LONG), options));
    await new Promise((resolve) => setTimeout(resolve, 50));
    scheduler.cancel('s1');
    expect(await first).toEqual({ error: 'cancelled' });
    expect(scheduler.active).toBe(1);
    scheduler.cancel('s2');
    expect(await second).toEqual({ error: 'cancelled' });
    expect(scheduler.active).toBe(0);
  });

  it('starts a new run for a caller who comes while the last caller of the same key is leaving', async () => {
    const scheduler = new Scheduler(await testDb());
    let runs = 0;
    const work = async ({ db }: { db: { query: (sql: string) => Promise<unknown[]> } }) => {
      runs++;
      await db.query(runs === 1 ? LONG : 'SELECT 1 AS x');
      return runs;
    };
    const first = outcome(scheduler.run(ctx('first'), work, { key: 'same' }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The page cancels a run and asks for the same one again at once (the same setup investigated again).
    scheduler.cancel('first');
    const second = outcome(scheduler.run(ctx('second'), work, { key: 'same' }));
    expect(await first).toEqual({ error: 'cancelled' });
    expect(await second).toEqual({ value: 2 });
  });

  it('lets a user job pass a background job: the background query is interrupted, run again, and exact', async () => {
    const scheduler = new Scheduler(await testDb());
    const finished: string[] = [];
    // Long enough to be running when the user job arrives: native DuckDB scans ten times faster.
    const n = testEngine() === 'native' ? 600_000_000 : 60_000_000;
    const sql = `SELECT sum(i % 7)::DOUBLE AS s FROM range(${n}) t(i)`;
    const background = scheduler.run(ctx('bg', 'background'), async ({ db }) => {
      const [r] = await db.query(sql);
      finished.push('background');
      return r?.['s'];
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const user = scheduler.run(ctx('user', 'user'), async ({ db }) => {
      const [r] = await db.query('SELECT 1 AS x');
      finished.push('user');
      return r?.['x'];
    });
    expect(await user).toBe(1);
    // range(n) holds floor(n / 7) full cycles of 0..6 (21 each) and n % 7 more values (0, 1, ...).
    const rest = n % 7;
    expect(await background).toBe(Math.floor(n / 7) * 21 + (rest * (rest - 1)) / 2);
    expect(finished).toEqual(['user', 'background']);
  });
});

describe('performance sessions', () => {
  it('changing the task or the positive class ten times leaves the same tables and memory as one change', async () => {
    await loadFixture('log.csv', 'leak_small');
    const db = await testDb();
    // 200,000 rows, so that one leaked copy of the joined log shows in DuckDB's memory.
    await db.query(
      `CREATE OR REPLACE TABLE leak_log AS SELECT l.* REPLACE (l.prediction_id || '-' || r.i AS prediction_id) FROM leak_small l, range(50) r(i)`,
    );
    const api = performanceApi(new Scheduler(db));
    const tables = async () =>
      (await db.query(`SELECT table_name AS t FROM information_schema.tables ORDER BY 1`)).map((r) => String(r['t']));
    const memory = async () => Number((await db.query(`SELECT sum(memory_usage_bytes)::DOUBLE AS m FROM duckdb_memory()`))[0]?.['m']);
    const choices = { label: 'label', score: 'score', timestamp: 'timestamp', id: 'prediction_id' };
    const first = await api.preparePerformance(ctx('p0'), { data: 'leak_log', choices });
    const afterOne = await tables();
    const memoryAfterOne = await memory();
    let last = first.id;
    for (let i = 1; i <= 10; i++) {
      const positive = i % 2 === 0 ? '1' : '0';
      const task = i % 3 === 0 ? ('regression' as const) : ('binary' as const);
      last = (
        await api.preparePerformance(ctx(`p${i}`), {
          data: 'leak_log',
          choices: { ...choices, task, ...(task === 'binary' ? { positive } : {}) },
        })
      ).id;
    }
    const afterTen = await tables();
    expect(afterTen.filter((t) => t.startsWith('perf_'))).toHaveLength(1);
    expect(afterTen.length).toBe(afterOne.length);
    expect(api.performanceTables(ctx('t'))).toEqual([`${last}_rows`]);
    // Ten leaked copies of the joined log would more than double this; allow DuckDB's own block reuse slack.
    expect(await memory()).toBeLessThanOrEqual(memoryAfterOne * 1.2);
    await api.disposePerformance(ctx('d'), last);
    expect((await tables()).filter((t) => t.startsWith('perf_'))).toHaveLength(0);
  });
});
