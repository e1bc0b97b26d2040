import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { driftOverTime, timeWindows } from '../../src/lib/drift/overTime';
import { dataQuality } from '../../src/lib/drift/quality';
import { driftReport, type DriftReport } from '../../src/lib/drift/report';
import { driftBySegment } from '../../src/lib/drift/segments';
import { loadDataset } from '../../src/lib/ingest';
import { describeTable } from '../../src/lib/schema';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';

const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/demo.json', import.meta.url), 'utf8'));
const t = { reference: 'demo_training', current: 'demo_production' };
const amount = { name: 'amount', kind: 'numerical' as const, method: 'ks' as const, threshold: 0.05 };

let db: Db;
let report: DriftReport;
beforeAll(async () => {
  db = await testDb();
  const path = (f: string) => new URL(`../../public/demo/${f}`, import.meta.url).pathname;
  await loadDataset(db, nodeParquet, await PathSource.open(path('training.csv')), { table: t.reference });
  await loadDataset(db, nodeParquet, await PathSource.open(path('production.csv')), { table: t.current });
  report = await driftReport(db, t);
}, 120_000);

describe('the bundled demo against scipy', () => {
  it('gives every shared column scipy / Evidently numbers', () => {
    expect(report.schema.missingColumns).toEqual(['is_fraud']);
    expect(report.schema.newColumns).toEqual(['prediction_id', 'prediction']);
    for (const [name, want] of Object.entries(fx.columns) as [string, Record<string, unknown>][]) {
      const got = report.columns.find((c) => c.name === name)!;
      expect([got.method, got.drifted, got.nRef, got.nCur, got.nUnique], name).toEqual([
        want['method'],
        want['drifted'],
        want['n_ref'],
        want['n_cur'],
        want['n_unique'],
      ]);
      closeTo(got.score, want['score'] as number, 1e-9);
      for (const [k, v] of Object.entries(want['stats'] as Record<string, unknown>)) {
        const actual = (got.stats as unknown as Record<string, unknown>)[k];
        if (Array.isArray(v)) expect(actual).toEqual(v);
        else closeTo(actual as number, v as number, k.endsWith('p_value') ? 1e-6 : 1e-9, 1e-300);
      }
    }
    expect(report.outputs.map((c) => c.name)).toEqual(['score']);
    expect(report.notTested.map((n) => n.name)).toEqual(['timestamp']);
  });

  it('computes weekly windows and equal chunks of amount against the whole reference', async () => {
    for (const [spec, want] of [
      [{ unit: 'week' as const }, fx.weeks],
      [{ chunks: 6 }, fx.chunks],
    ] as const) {
      const windows = await timeWindows(db, t.current, 'timestamp', spec);
      expect(windows.map((w) => w.rows)).toEqual(want.map((w: { n_cur: number }) => w.n_cur));
      if ('unit' in spec)
        expect(windows.map((w) => new Date(w.start).toISOString().slice(0, 19))).toEqual(want.map((w: { start: string }) => w.start));
      const drift = await driftOverTime(db, t, amount, windows);
      drift.forEach((d, i) => {
        const stats = d.drift.stats as { ks_statistic: number; ks_p_value: number; wasserstein_normed: number };
        closeTo(stats.ks_statistic, want[i].ks_statistic, 1e-9);
        closeTo(stats.ks_p_value, want[i].ks_p_value, 1e-6);
        closeTo(stats.wasserstein_normed, want[i].wasserstein_normed, 1e-9);
      });
      // The demo planted the shift from 2026-09-28 on: the first three weeks pass, the last three drift.
      if ('unit' in spec) expect(drift.map((d) => d.drift.drifted)).toEqual([false, false, false, true, true, true]);
    }
  });

  it('finds region = north as the root cause, and when it started', async () => {
    const windows = await timeWindows(db, t.current, 'timestamp', { unit: 'week' });
    const segments = await driftBySegment(db, t, amount, ['region', 'channel'], { windows, topWithTime: 1 });
    expect([segments[0]!.segment, segments[0]!.value]).toEqual(['region', 'north']);
    for (const want of fx.segments) {
      const got = segments.find((s) => s.segment === 'region' && s.value === want.value)!;
      expect([got.refRows, got.curRows]).toEqual([want.ref_rows, want.cur_rows]);
      const stats = got.drift.stats as { ks_statistic: number; ks_p_value: number; wasserstein_normed: number };
      closeTo(stats.ks_statistic, want.ks_statistic, 1e-9);
      closeTo(stats.ks_p_value, want.ks_p_value, 1e-6);
      closeTo(stats.wasserstein_normed, want.wasserstein_normed, 1e-9);
    }
    expect(segments[0]!.overTime!.map((w) => w.drift.drifted)).toEqual([false, false, false, true, true, true]);
    expect(segments.filter((s) => s.segment === 'channel').every((s) => s.severity < segments[0]!.severity)).toBe(true);
  });

  it('reports data quality of production against training', async () => {
    const q = await dataQuality(db, t, await describeTable(db, t.reference), await describeTable(db, t.current), { id: 'prediction_id' });
    expect(q.currentRows).toBe(30000);
    const range = q.issues.find((i) => i.check === 'out-of-range' && i.column === 'amount');
    const [{ n }] = (await db.query(
      `SELECT count(*)::DOUBLE AS n FROM ${t.current} WHERE amount > (SELECT max(amount) FROM ${t.reference}) OR amount < (SELECT min(amount) FROM ${t.reference})`,
    )) as [{ n: number }];
    expect(range?.count ?? 0).toBe(n);
    if (n) expect(range!.examples.length).toBe(Math.min(5, n));
    expect(q.issues.some((i) => i.check === 'duplicate-ids')).toBe(false);
  });
});
