import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import { driftReport, type DriftReport } from '../../src/lib/drift/report';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';
import { uniform } from '../helpers/seeded';
import { createTable } from '../helpers/tables';

const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/large.json', import.meta.url), 'utf8'));
const N: number = fx.rows;

function add(...xs: Float64Array[]): Float64Array {
  const out = new Float64Array(xs[0]!.length);
  for (const x of xs) for (let i = 0; i < out.length; i++) out[i]! += x[i]!;
  return out;
}
const map = (x: Float64Array, f: (v: number) => number) => x.map(f);

/** The same million rows as scripts/fixtures/drift.py's large_case, rebuilt from the shared generator. */
function side(offset: number, shift: number, intScale: number, catScale: number) {
  const u = (seed: number) => uniform(N, seed, offset);
  const [u1, u2, u3, u4] = [u(1), u(2), u(3), u(4)];
  const ih = add(u1, u2, u3, u4);
  return {
    irwin_hall: { kind: 'numerical' as const, values: map(ih, (v) => v + shift) },
    small_shift: { kind: 'numerical' as const, values: map(ih, (v) => v + (shift ? 0.006 : 0)) },
    integers: { kind: 'numerical' as const, values: map(u(5), (v) => Math.floor(v * intScale)) },
    no_drift: {
      kind: 'numerical' as const,
      values: (() => {
        const a = u(6),
          b = u(7);
        return a.map((v, i) => v * b[i]!);
      })(),
    },
    category: { kind: 'categorical' as const, values: Array.from(u(8), (v) => `k${Math.floor(v * catScale)}`) },
  };
}

let db: Db;
let report: DriftReport;
let seconds = 0;
beforeAll(async () => {
  db = await testDb();
  expect(Array.from(uniform(5, 1, 0)).concat(Array.from(uniform(3, 8, N)))).toEqual(fx.uniform_probe);
  await createTable(db, 'big_ref', side(0, 0, 50, 8));
  await createTable(db, 'big_cur', side(N, 0.05, 52, 9));
  const start = performance.now();
  report = await driftReport(db, { reference: 'big_ref', current: 'big_cur' });
  seconds = (performance.now() - start) / 1000;
}, 300_000);

describe('1,000,000 vs 1,000,000 rows against scipy', () => {
  it('reports every column with scipy numbers (statistics 1e-9, p-values 1e-6 relative)', () => {
    expect(report.referenceRows).toBe(N);
    expect(report.currentRows).toBe(N);
    for (const [name, want] of Object.entries(fx.columns) as [string, Record<string, unknown>][]) {
      const got = report.columns.find((c) => c.name === name)!;
      expect(got, name).toBeDefined();
      expect([got.kind, got.method, got.nUnique, got.drifted], name).toEqual([
        want['kind'],
        want['method'],
        want['n_unique'],
        want['drifted'],
      ]);
      closeTo(got.score, want['score'] as number, 1e-9);
      for (const [key, v] of Object.entries(want['stats'] as Record<string, unknown>)) {
        const actual = (got.stats as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) expect(actual, `${name}.${key}`).toEqual(v);
        else closeTo(actual as number, v as number, key.endsWith('p_value') ? 1e-6 : 1e-9, 1e-300);
      }
      if (want['bins']) expect(got.distribution?.edges?.length, name).toBe((want['bins'] as number) + 1);
    }
    expect(report.columns.find((c) => c.name === 'irwin_hall')!.ksMode).toBe('asymp');
    console.log(`drift report, 1M x 1M rows x ${report.columns.length} columns: ${seconds.toFixed(2)} s`);
  });
});
