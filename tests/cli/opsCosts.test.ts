import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { expectClose, opsFixture, opsFixturePath } from '../helpers/ops';

// Each run opens a fresh engine (DuckDB-WASM takes seconds to instantiate on a loaded 2-core machine).
vi.setConfig({ testTimeout: 240_000 });

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const costs = opsFixture<{
  cases: Record<
    string,
    { costs: Record<string, number>; at: { per_prediction: number }[]; best_threshold: number; best_per_prediction: number }
  >;
}>('costs.json');
const custom = opsFixture<{
  metrics: Record<string, { expression: string; overall: number; by_model_version: { value: string; metric: number }[] }>;
}>('custom.json');
type Stats = Record<string, number | null>;
const ops =
  opsFixture<Record<string, { overall: Stats; windows: (Stats & { start: string })[]; by: (Stats & { value: string })[] }>>('ops.json');
const LOG = opsFixturePath('service_log.csv');
const ROLES = ['--label', 'delayed', '--score', 'score', '--prediction', 'prediction', '--timestamp', 'requested_at', '--id', 'request_id'];

describe('lantern metrics --cost --metric', () => {
  it('adds the cost at the threshold, the cost-optimal threshold and custom metrics, equal to numpy and pandas', async () => {
    const c = costs.cases['fraud_like']!;
    const metrics = Object.entries(custom.metrics).flatMap(([name, m]) => ['--metric', `${name}=${m.expression}`]);
    const { code, out, err } = await run(['metrics', '--data', LOG, ...ROLES, '--cost', 'fp=5,fn=50', ...metrics, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.cost).toMatchObject({ fp: 5, fn: 50, tp: 0, tn: 0, best_threshold: c.best_threshold });
    expectClose(r.cost.per_prediction, c.at[0]!.per_prediction, 'per prediction at 0.3');
    expectClose(r.cost.best_per_prediction, c.best_per_prediction, 'best per prediction');
    for (const [name, m] of Object.entries(custom.metrics)) expectClose(r.custom[name], m.overall, name);
  });

  it('gives custom metrics per --by group, equal to pandas per model version', async () => {
    const m = custom.metrics['delayed_distance_share']!;
    const { code, out } = await run([
      'metrics',
      '--data',
      LOG,
      ...ROLES,
      '--by',
      'model_version',
      '--metric',
      `share=${m.expression}`,
      '--json',
    ]);
    expect(code).toBe(0);
    const r = JSON.parse(out) as { by: { value: string; custom: Record<string, number> }[] };
    expect(r.by.map((b) => b.value)).toEqual(m.by_model_version.map((b) => b.value));
    r.by.forEach((b, i) => expectClose(b.custom['share'], m.by_model_version[i]!.metric, `share for ${b.value}`));
  });

  it('refuses an invalid custom metric with exit code 2, naming the unknown column', async () => {
    const { code, out, err } = await run([
      'metrics',
      '--data',
      LOG,
      ...ROLES,
      '--metric',
      'missed=avg(CASE WHEN delayd = 1 THEN 1 ELSE 0 END)',
    ]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/"missed" uses an unknown column "delayd"/);
    const bad = await run(['metrics', '--data', LOG, '--cost', 'fq=5']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/"fq=5" is not a cost/);
  });
});

describe('lantern ops', () => {
  it('prints overall, per-day and per-origin latency percentiles and error rates equal to numpy', async () => {
    const e = ops['text']!;
    const args = ['ops', '--data', LOG, '--latency', 'latency_ms', '--status', 'status', '--error-values', 'error,failed,timeout'];
    const { code, out, err } = await run([...args, '--timestamp', 'requested_at', '--window', 'day', '--by', 'origin', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out);
    const keys = ['latency_p50', 'latency_p95', 'latency_p99', 'error_rate'];
    expect(r.overall.count).toBe(e.overall['count']);
    for (const k of keys) expectClose(r.overall[k], e.overall[k]!, `overall ${k}`);
    expect(r.windows.map((w: { start: string }) => w.start)).toEqual(e.windows.map((w) => w.start));
    r.windows.forEach((w: Stats, i: number) => {
      expect(w['count']).toBe(e.windows[i]!['count']);
      for (const k of keys) expectClose(w[k], e.windows[i]![k]!, `${e.windows[i]!.start} ${k}`);
    });
    expect(r.by.map((b: { value: string }) => b.value)).toEqual(e.by.map((b) => b.value));
    expect(Object.keys(r.windows[0]).slice(0, 6)).toEqual(['start', 'count', 'latency_p50', 'latency_p95', 'latency_p99', 'error_rate']);
  });

  it('infers the columns and HTTP 5xx as errors; a bad flag exits 2', async () => {
    const { code, out } = await run(['ops', '--data', opsFixturePath('service_http_log.csv'), '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.columns).toEqual({ latency: 'latency_ms', status: 'http_status', timestamp: 'requested_at' });
    expectClose(r.overall.error_rate, ops['http']!.overall['error_rate']!, 'http error rate');
    expect((await run(['ops', '--data', LOG, '--window', 'fortnight'])).code).toBe(2);
    const missing = await run(['ops', '--data', LOG, '--latency', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no column "nope"/);
  });
});

describe('lantern sql', () => {
  it('runs a query over files named after them, as CSV and JSON, and refuses writes', async () => {
    // Counts from pandas: value_counts() of model_version.
    const q = 'SELECT model_version, count(*)::INTEGER AS n FROM service_log GROUP BY ALL ORDER BY 1';
    const csv = await run(['sql', '--data', LOG, q]);
    expect(csv.err).toBe('');
    expect(csv.out).toBe('model_version,n\nv1,6441\nv2,3562\n');
    const json = await run([
      'sql',
      '--data',
      LOG,
      '--data',
      opsFixturePath('service_reference.csv'),
      '--json',
      'SELECT (SELECT count(*) FROM service_log)::INTEGER AS log, (SELECT count(*) FROM service_reference)::INTEGER AS ref',
    ]);
    expect(JSON.parse(json.out)).toEqual([{ log: 10003, ref: 2000 }]);
    const write = await run(['sql', '--data', LOG, 'DROP TABLE service_log']);
    expect(write.code).toBe(2);
    expect(write.err).toMatch(/read-only/);
  });
});

describe('lantern check with cost, custom-metric, latency and error-rate checks', () => {
  it('judges the numbers numpy and pandas give: fails the custom metric and the p99 rise, passes cost and error rate', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'lantern-ops-check-'));
    const c = costs.cases['fraud_like']!;
    const suitePath = join(dir, 'suite.json');
    writeFileSync(
      suitePath,
      JSON.stringify({
        format: 'lantern-check-suite',
        version: 1,
        settings: { label: 'delayed', score: 'score', prediction: 'prediction', id: 'request_id' },
        checks: [
          { id: 'cost', kind: 'cost', costs: { fp: 5, fn: 50 }, max: 20 },
          {
            id: 'missed',
            kind: 'custom-metric',
            metric: { name: 'missed_delays', expression: custom.metrics['missed_delays']!.expression },
            max: 0.1,
          },
          { id: 'p99', kind: 'latency', percentile: 'p99', tolerance: 0.5 },
          { id: 'errors', kind: 'error-rate', margin: 0.05 },
        ],
      }),
    );
    const { code, out } = await run([
      'check',
      '--suite',
      suitePath,
      '--reference',
      opsFixturePath('service_reference.csv'),
      '--current',
      LOG,
      '--json',
    ]);
    expect(code).toBe(1);
    const r = JSON.parse(out) as { results: { id: string; status: string; value: number }[] };
    const by = Object.fromEntries(r.results.map((x) => [x.id, x]));
    expect(by['cost']!.status).toBe('pass');
    expectClose(by['cost']!.value, c.at[0]!.per_prediction, 'cost per prediction at 0.3');
    expect(by['missed']!.status).toBe('fail');
    expectClose(by['missed']!.value, custom.metrics['missed_delays']!.overall, 'missed delays');
    // p99 350.96 against the reference's 192.33: 82% slower (the planted outliers and ORD).
    expect(by['p99']!.status).toBe('fail');
    expectClose(by['p99']!.value, ops['text']!.overall['latency_p99']!, 'p99');
    expect(by['errors']!.status).toBe('pass');
    expectClose(by['errors']!.value, ops['text']!.overall['error_rate']!, 'error rate');
  });
});
