import { beforeAll, describe, expect, it } from 'vitest';
import { opsApi } from '../../src/engine/api/ops';
import type { OpsStats } from '../../src/lib/ops/health';
import { opsRegressions } from '../../src/lib/ops/regressions';
import { inferSetup } from '../../src/lib/setup/infer';
import { investigate } from '../../src/lib/usecases/investigate';
import { testDb } from '../helpers/db';
import { ctx, testScheduler } from '../helpers/scheduler';
import { expectClose, iso, loadOpsFixture, opsFixture } from '../helpers/ops';

type Stats = {
  count: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
  error_rate: number | null;
};
interface OpsCase {
  status: string;
  error_values: (string | number)[];
  overall: Stats;
  windows: ({ start: string } & Stats)[];
  by: ({ value: string } & Stats)[];
}
const fixture = opsFixture<Record<'text' | 'text_timeout_only' | 'http' | 'reference', OpsCase>>('ops.json');

function expectStats(actual: OpsStats | undefined, expected: Stats, what: string): void {
  expect(actual, what).toBeDefined();
  expect(actual!.count, `${what} count`).toBe(expected.count);
  expectClose(actual!.latency_p50, expected.latency_p50, `${what} p50`);
  expectClose(actual!.latency_p95, expected.latency_p95, `${what} p95`);
  expectClose(actual!.latency_p99, expected.latency_p99, `${what} p99`);
  expectClose(actual!.error_rate, expected.error_rate, `${what} error rate`);
}

describe('operational health equals numpy: latency percentiles (linear) and error rates per day and per group', () => {
  let api: ReturnType<typeof opsApi>;
  beforeAll(async () => {
    await loadOpsFixture('service_log.csv', 'ops_log');
    await loadOpsFixture('service_reference.csv', 'ops_ref');
    api = opsApi(await testScheduler());
  });

  const cases: [keyof typeof fixture, string, string][] = [
    ['text', 'ops_log', 'origin'],
    ['text_timeout_only', 'ops_log', 'model_version'],
    ['http', 'ops_log', 'model_version'],
    ['reference', 'ops_ref', 'origin'],
  ];
  for (const [name, table, by] of cases) {
    it(`${name}: ${fixture[name].status} with errors ${fixture[name].error_values.join(', ')}, by day and by ${by}`, async () => {
      const c = fixture[name];
      const r = await api.opsReport(ctx(name), {
        table,
        latency: 'latency_ms',
        status: c.status,
        errorValues: c.error_values.map(String),
        timestamp: 'requested_at',
        unit: 'day',
        by,
      });
      expectStats(r.overall, c.overall, 'overall');
      expect(r.windows.map((w) => iso(w.start))).toEqual(c.windows.map((w) => w.start));
      c.windows.forEach((w, i) => expectStats(r.windows[i], w, w.start));
      const groups = new Map(r.by!.groups.map((g) => [g.value, g]));
      expect(groups.size).toBe(c.by.length);
      for (const g of c.by) expectStats(groups.get(g.value), g, `${by} ${g.value}`);
    });
  }

  it('infers latency, status, the error values (words and HTTP 5xx), the time column and the window', async () => {
    const r = await api.opsReport(ctx('inferred'), { table: 'ops_log', reference: 'ops_ref' });
    expect(r.latency).toBe('latency_ms');
    expect(r.status).toBe('status');
    expect([...r.errorValues].sort()).toEqual(['ERROR', 'failed', 'timeout']);
    expect(r.errorValuesInferred).toBe(true);
    expect(r.timestamp).toBe('requested_at');
    expect(r.unit).toBe('day');
    expectStats(r.overall, fixture.text.overall, 'overall inferred');
    expectStats(r.reference!, fixture.reference.overall, 'reference baseline');

    await loadOpsFixture('service_http_log.csv', 'ops_http');
    const http = await api.opsReport(ctx('http'), { table: 'ops_http' });
    expect(http.status).toBe('http_status');
    expect([...http.errorValues].sort()).toEqual(['500', '502', '504']);
    expectStats(http.overall, fixture.http.overall, 'http overall');
  });

  it('edge windows: one request, and a window whose latencies are all missing (percentiles undefined, not 0)', async () => {
    const r = await api.opsReport(ctx('edges'), { table: 'ops_log', timestamp: 'requested_at', unit: 'day' });
    const byDay = new Map(r.windows.map((w) => [iso(w.start), w]));
    const one = fixture.text.windows.find((w) => w.count === 1)!;
    expect(byDay.get(one.start)!.count).toBe(1);
    const blind = fixture.text.windows.find((w) => w.latency_p50 === null)!;
    expect(byDay.get(blind.start)!.latency_p50).toBeNull();
    expect(byDay.get(blind.start)!.error_rate).toBe(blind.error_rate);
  });

  it('refuses a missing or non-numeric latency column with a message naming it', async () => {
    await expect(api.opsReport(ctx('bad1'), { table: 'ops_log', latency: 'nope' })).rejects.toThrow(/no column "nope"/);
    await expect(api.opsReport(ctx('bad2'), { table: 'ops_log', latency: 'origin' })).rejects.toThrow(/"origin" is not numeric/);
  });

  it('finds the planted slower origin against its own baseline and the slow days, and nothing in the reference against itself', async () => {
    const r = await api.opsReport(ctx('reg'), {
      table: 'ops_log',
      reference: 'ops_ref',
      timestamp: 'requested_at',
      unit: 'day',
      by: 'origin',
    });
    const found = opsRegressions(r);
    const segments = found.filter((f) => f.scope === 'segment');
    // From 2001-03-10 on, ORD's requests take four times as long: its p95 against ORD's own in the reference.
    expect(segments.map((f) => [f.metric, f.key])).toEqual([['latency_p95', 'ORD']]);
    const ord = r.referenceBy!.find((g) => g.value === 'ORD')!;
    expect(segments[0]!.baseline).toBe(ord.latency_p95);
    const slowDays = found.filter((f) => f.scope === 'window' && f.metric === 'latency_p95').map((f) => iso(f.key as number));
    expect(slowDays.filter((d) => d >= '2001-03-10').length).toBeGreaterThanOrEqual(15);
    expect(slowDays.filter((d) => d < '2001-03-01').length).toBeLessThanOrEqual(1);
    for (const f of found) expect(f.change).toBeGreaterThan(f.metric === 'latency_p95' ? 0.25 : 0.01);
    // The reference judged against itself: nothing.
    const self = await api.opsReport(ctx('self'), {
      table: 'ops_ref',
      reference: 'ops_ref',
      timestamp: 'requested_at',
      unit: 'day',
      by: 'origin',
    });
    expect(opsRegressions(self).filter((f) => f.scope !== 'window')).toEqual([]);
  });

  it("joins the investigation's findings: the log's requests got slower than in the reference, from 2001-03-10", async () => {
    const db = await testDb();
    const setup = await inferSetup(db, [
      { table: 'ops_ref', name: 'service_reference.csv' },
      { table: 'ops_log', name: 'service_log.csv', userRoles: { delayed: 'label' } },
    ]);
    expect(setup.current).toBe('ops_log');
    const inv = await investigate({ db }, { setup });
    expect(inv.steps.find((s) => s.step === 'operations')?.status).toBe('done');
    const slow = inv.findings.find((f) => f.id === 'ops-latency_p95');
    expect(slow?.kind).toBe('operations');
    expect(slow!.title).toMatch(/^Requests got slower: p95 latency/);
    expect(slow!.link.view).toBe('operations');
    const days = slow!.parts.filter((p) => p.scope === 'window').map((p) => p.window!.start);
    // The investigation's windows are weeks here: every slow week overlaps the slowdown (2001-03-10 on).
    expect(inv.windowUnit).toBe('week');
    expect(days.length).toBeGreaterThanOrEqual(3);
    for (const d of days) expect(d >= '2001-03-04', d).toBe(true);
    expect(slow!.severity).toBeGreaterThan(0);
  });
});
