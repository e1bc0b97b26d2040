import { beforeAll, describe, expect, it } from 'vitest';
import { consoleApi } from '../../src/engine/api/console';
import { nodeParquet } from '../../src/engine/node';
import { csvFromIpc } from '../../src/lib/console/csv';
import { chartChoices } from '../../src/lib/console/chart';
import { consoleQuerySql } from '../../src/lib/console/readOnly';
import { testDb } from '../helpers/db';
import { loadOpsFixture } from '../helpers/ops';
import { ctx, testScheduler } from '../helpers/scheduler';

const TABLES = [{ name: 'service_log', table: 'console_log' }];

describe('SQL console', () => {
  let api: ReturnType<typeof consoleApi>;
  beforeAll(async () => {
    await loadOpsFixture('service_log.csv', 'console_log');
    api = consoleApi(await testScheduler(), nodeParquet);
  });

  it('runs a query over tables by their file names into a result it charts and exports', async () => {
    // Counts from pandas: value_counts() of model_version.
    const r = await api.runConsoleQuery(
      ctx('q'),
      'SELECT model_version, count(*)::INTEGER AS n, avg(latency_ms) AS mean_latency FROM service_log GROUP BY ALL ORDER BY 1; -- per version',
      TABLES,
    );
    expect(r.rows).toBe(2);
    expect(r.columns.map((c) => c.name)).toEqual(['model_version', 'n', 'mean_latency']);
    expect(chartChoices(r.columns)[0]).toEqual({ kind: 'bar', x: 'model_version', y: 'n' });
    const chart = await api.consoleChart(ctx('c'), r.table, { kind: 'bar', x: 'model_version', y: 'n' });
    expect(chart).toMatchObject({
      kind: 'bar',
      bars: [
        { x: 'v1', value: 6441 },
        { x: 'v2', value: 3562 },
      ],
      more: 0,
    });
    const csv = new TextDecoder().decode(await api.exportConsoleResult(ctx('e'), r.table, 'csv'));
    expect(csv.split('\n').slice(0, 2)).toEqual(['model_version,n,mean_latency', expect.stringMatching(/^v1,6441,/)]);
    const parquet = await api.exportConsoleResult(ctx('p'), r.table, 'parquet');
    expect(new TextDecoder().decode(parquet.slice(0, 4))).toBe('PAR1');
  });

  it('a histogram of a number and a line over time', async () => {
    const r = await api.runConsoleQuery(ctx('h'), 'SELECT requested_at, latency_ms FROM service_log WHERE latency_ms < 1000', TABLES);
    const choices = chartChoices(r.columns);
    expect(choices.map((c) => c.kind)).toEqual(['line', 'histogram']);
    const hist = await api.consoleChart(ctx('hc'), r.table, { kind: 'histogram', x: 'latency_ms' });
    if (hist.kind !== 'histogram') throw new Error('not a histogram');
    const [n] = await (await testDb()).query('SELECT count(latency_ms)::DOUBLE AS n FROM console_log WHERE latency_ms < 1000');
    expect(hist.bins.reduce((s, b) => s + b.count, 0)).toBe(Number(n!['n']));
  });

  const refused: [string, RegExp][] = [
    ['DROP TABLE service_log', /read-only: DROP/],
    ['SELECT 1; DROP TABLE service_log', /one statement at a time/],
    ["COPY service_log TO 'x.csv'", /read-only: COPY/],
    ['SELECT 1) UNION (SELECT 2', /not complete/],
    ['INSERT INTO service_log SELECT * FROM service_log', /read-only: INSERT/],
    ['', /Write a query first/],
  ];
  for (const [text, message] of refused)
    it(`refuses ${JSON.stringify(text)} and leaves the datasets as they were`, async () => {
      await expect(api.runConsoleQuery(ctx('bad'), text, TABLES)).rejects.toThrow(message);
      const [n] = await (await testDb()).query('SELECT count(*)::DOUBLE AS n FROM console_log');
      expect(Number(n!['n'])).toBe(10003);
    });

  it('a string with a ) or ; inside is data, not the end of the query', async () => {
    const r = await api.runConsoleQuery(ctx('s'), "SELECT ');DROP TABLE x;--' AS s", TABLES);
    expect(r.rows).toBe(1);
    expect(consoleQuerySql("SELECT ')' AS s", TABLES).text).toContain('AS NOT MATERIALIZED');
  });

  it('creates a dataset from a result only when asked, under a new table', async () => {
    const r = await api.runConsoleQuery(ctx('k'), "SELECT * FROM service_log WHERE status = 'timeout'", TABLES);
    const made = await api.createTableFromResult(ctx('t'), r.table, 'ds_91', 'timeouts');
    expect(made).toMatchObject({ table: 'ds_91', name: 'timeouts', rows: r.rows });
    await expect(api.createTableFromResult(ctx('t2'), r.table, 'ds_91', 'again')).rejects.toThrow(/exists already/);
    await expect(api.createTableFromResult(ctx('t3'), 'console_log', 'ds_92', 'x')).rejects.toThrow(/Run the query again/);
    expect(csvFromIpc(await (await testDb()).queryArrow('SELECT count(*)::INTEGER AS n FROM ds_91'))).toBe(`n\n${r.rows}\n`);
  });
});
