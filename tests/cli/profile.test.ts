import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { decodeProfile } from '../../src/lib/profiles/codec';
import type { Profile } from '../../src/lib/profiles/format';
import { closeTo } from '../helpers/close';
import { testDb, testEngine } from '../helpers/db';
import { plantedPath } from '../helpers/planted';

const fx = JSON.parse(readFileSync(new URL('../fixtures/profiles/quality_metrics.json', import.meta.url), 'utf8')).flights_late as {
  metrics: { all: Record<string, number>; by_month: Record<string, Record<string, number>> };
};

const dir = mkdtempSync(join(tmpdir(), 'lantern-profile-cli-'));
const at = (name: string) => join(dir, name);
const ROLES = ['--label', 'was_late', '--score', 'p_late', '--timestamp', 'departed_at'];

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function ok(argv: string[]) {
  const r = await run(argv);
  expect(r.err, argv.join(' ')).toBe('');
  expect(r.code, r.out).toBe(0);
  return r.out;
}

/** Equal, numbers to 1e-12 relative (sums may add up in another order). */
function sameUpToSummation(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') closeTo(a, b, 1e-12, 1e-12);
  else if (a && typeof a === 'object') {
    expect(Object.keys(b as object), path).toEqual(Object.keys(a));
    for (const [k, v] of Object.entries(a)) sameUpToSummation(v, (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(b, path).toEqual(a);
}

const read = (name: string): Profile => decodeProfile(new Uint8Array(readFileSync(at(name))));
const whole = (p: Profile) => p.parts.find((x) => x.window === null && x.segment === null)!;

/** The real flights-late training log, whole and by month, as CSV files. */
beforeAll(() => {
  const text = gunzipSync(readFileSync(plantedPath('flights-late', 'flights_2001Q1_training.csv.gz'))).toString('utf8');
  const [header, ...lines] = text.trim().split('\n');
  writeFileSync(at('all.csv'), text);
  for (const m of ['01', '02', '03'])
    writeFileSync(at(`m${m}.csv`), [header, ...lines.filter((l) => l.split(',')[1]!.startsWith(`2001-${m}`))].join('\n') + '\n');
});

// The CLI's commands on native DuckDB, its engine: each profiles up to 40,000 real rows, which on the WASM
// fallback takes minutes for the file. The profile query and every analysis also run on WASM in
// tests/engine/profileDrift.test.ts and profileAnalyses.test.ts, and the CLI on WASM below.
describe.runIf(testEngine() === 'native')('lantern profile', { timeout: 180_000 }, () => {
  it('profiles a file by month with metrics; lantern metrics on it matches scikit-learn', async () => {
    const out = JSON.parse(
      await ok(['profile', '--data', at('all.csv'), ...ROLES, '--window', 'month', '--out', at('all.lprofile'), '--json']),
    );
    expect(out.rows).toBe(40000);
    expect(out.parts).toBe(4);
    const m = JSON.parse(await ok(['metrics', '--data', at('all.lprofile'), '--json']));
    expect(m.task).toBe('binary');
    expect(m.approximate).toBe(true);
    for (const k of ['n', 'accuracy', 'precision', 'recall', 'f1', 'log_loss', 'brier']) closeTo(m.overall[k], fx.metrics.all[k]!, 1e-9);
    expect(Math.abs(m.overall.roc_auc - fx.metrics.all['roc_auc']!)).toBeLessThanOrEqual(m.error_bounds.roc_auc);
    expect(m.by.map((b: { value: string }) => b.value)).toEqual(Object.keys(fx.metrics.by_month));
    m.by.forEach((b: Record<string, number>, i: number) =>
      closeTo(b['accuracy'], Object.values(fx.metrics.by_month)[i]!['accuracy']!, 1e-9),
    );
    expect(await ok(['metrics', '--data', at('all.lprofile')])).toMatch(/from the score sketch/);
  });

  it('merging the profiles of the months equals the profile of the whole file', async () => {
    for (const m of ['01', '02', '03'])
      await ok(['profile', '--data', at(`m${m}.csv`), ...ROLES, '--window', 'month', '--out', at(`m${m}.lprofile`)]);
    await ok(['profile', 'merge', at('m01.lprofile'), at('m02.lprofile'), at('m03.lprofile'), '--out', at('merged.lprofile')]);
    const [merged, all] = [read('merged.lprofile'), read('all.lprofile')];
    expect(merged.parts.map((p) => [p.window, p.rows])).toEqual(all.parts.map((p) => [p.window, p.rows]));
    const a = JSON.parse(await ok(['drift', '--reference', at('m01.lprofile'), '--current', at('merged.lprofile'), '--json']));
    const b = JSON.parse(await ok(['drift', '--reference', at('m01.lprofile'), '--current', at('all.lprofile'), '--json']));
    expect(a.columns.length).toBeGreaterThan(5);
    a.columns.forEach((c: { name: string; score: number }, i: number) => closeTo(c.score, b.columns[i].score, 1e-9, 1e-12));
  });

  it('drift accepts a profile on either side and prints the file JSON with approximate and error bounds', async () => {
    const files = JSON.parse(await ok(['drift', '--reference', at('m01.csv'), '--current', at('m03.csv'), '--json']));
    const mixed = JSON.parse(await ok(['drift', '--reference', at('m01.lprofile'), '--current', at('m03.csv'), '--json']));
    for (const key of Object.keys(files)) expect(mixed, key).toHaveProperty(key);
    expect(mixed.approximate).toBe(true);
    for (const c of files.columns) {
      const p = mixed.columns.find((x: { name: string }) => x.name === c.name);
      expect(p, c.name).toBeDefined();
      expect([p.method, p.drifted]).toEqual([c.method, c.drifted]);
      if (!p.approximate) closeTo(p.score, c.score, 1e-9, 1e-12);
      else if (p.method === 'ks') expect(Math.abs(p.score - c.score)).toBeLessThan(0.05);
    }
  });

  it('--emit-sql prints portable SQL; run on DuckDB and read back with --from-rows, it gives the same profile', async () => {
    const SEGMENTS = ['--segments', 'dep_period'];
    const sql = await ok([
      'profile',
      '--emit-sql',
      '--table',
      'flights_rows',
      '--quote',
      'ansi',
      '--data',
      at('m02.csv'),
      ...ROLES,
      '--window',
      'day',
      ...SEGMENTS,
    ]);
    expect(sql).not.toMatch(/::|REPLACE|QUALIFY|date_trunc/i);
    const db = await testDb();
    await loadDataset(db, nodeParquet, await PathSource.open(at('m02.csv')), { table: 'flights_rows' });
    // As a cluster would: run the text unchanged, export the rows (here as JSON, dates as text), ship only those.
    const rows = await db.query(`SELECT * REPLACE (CAST(w AS VARCHAR) AS w) FROM (${sql.replace(/;\s*$/, '')})`);
    writeFileSync(at('rows.json'), JSON.stringify(rows));
    await ok(['profile', '--from-rows', at('rows.json'), '--out', at('fromRows.lprofile')]);
    await ok(['profile', '--data', at('m02.csv'), ...ROLES, '--window', 'day', ...SEGMENTS, '--out', at('m02days.lprofile')]);
    const [viaRows, direct] = [read('fromRows.lprofile'), read('m02days.lprofile')];
    // All rows and 28 days, each also per period of the day.
    const periods = new Set(direct.parts.filter((p) => p.segment).map((p) => p.segment!.value)).size;
    expect(periods).toBeGreaterThan(2);
    expect(viaRows.segments).toEqual(['dep_period']);
    expect(viaRows.parts.length).toBe(29 * (1 + periods));
    sameUpToSummation(viaRows.parts, direct.parts, 'parts');
  });

  it('lantern history: batches by day against a reference profile, with a failing exit on regression', async () => {
    const r = await run(['history', '--reference', at('m01.lprofile'), at('m02days.lprofile'), '--json', '--fail-on-regression']);
    const report = JSON.parse(r.out);
    expect(report.batches.length).toBe(28);
    expect(report.batches[0].name).toBe('2001-02-01');
    expect(r.code).toBe(report.regressions.length ? 1 : 0);
    const text = await run([
      'history',
      '--reference',
      at('m01.lprofile'),
      at('m02days.lprofile'),
      '--metric-drop',
      '0.5',
      '--drift-share',
      '1',
      '--missing-rise',
      '1',
      '--volume-share',
      '0',
    ]);
    expect(text.out).toMatch(/^History: 28 batches against m01.lprofile \(13,677 rows\)/);
    expect(text.out).toMatch(/No regression\.$/);
    expect(text.code).toBe(0);
  });

  it('lantern check --write-profile writes the batch profile next to the result', async () => {
    await ok(['check', '--preset', '--reference', at('m01.csv'), '--out', at('suite.json')]);
    const r = await run([
      'check',
      '--suite',
      at('suite.json'),
      '--reference',
      at('m01.csv'),
      '--current',
      at('m02.csv'),
      '--write-profile',
      at('batch.lprofile'),
      '--json',
    ]);
    expect(r.err).toBe('');
    const p = read('batch.lprofile');
    expect(whole(p).rows).toBe(12634);
    expect(p.sources).toEqual(['m02.csv']);
  });

  it('lantern check on profiles judges as on the files; what needs rows is not evaluated', async () => {
    const files = JSON.parse(
      (await run(['check', '--suite', at('suite.json'), '--reference', at('m01.csv'), '--current', at('m03.csv'), '--json'])).out,
    );
    const r = await run(['check', '--suite', at('suite.json'), '--reference', at('m01.lprofile'), '--current', at('m03.csv'), '--json']);
    expect(r.err).toBe('');
    const profiles = JSON.parse(r.out);
    const byId = new Map(profiles.results.map((c: { id: string }) => [c.id, c]));
    let compared = 0;
    for (const c of files.results as { id: string; kind: string; status: string; value: number | null }[]) {
      const p = byId.get(c.id) as { status: string; value: number | null; message: string };
      expect(p, c.id).toBeDefined();
      if (['duplicate-rows', 'slices', 'segment-drift', 'metric-by-segment'].includes(c.kind)) {
        expect(p.status, c.id).toBe('not-evaluated');
        continue;
      }
      expect(p.status, `${c.id}: ${p.message}`).toBe(c.status);
      if (c.kind === 'missing-share' || c.kind === 'unseen-categories' || c.kind === 'schema') closeTo(p.value, c.value, 1e-12, 1e-15);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('lantern report on a profile: the same report, with a table of what is approximate', async () => {
    await ok(['profile', '--data', at('m03.csv'), ...ROLES, '--out', at('m03.lprofile')]);
    await ok(['report', '--reference', at('m01.csv'), '--current', at('m03.lprofile'), '--out', at('r.html'), '--json', at('r.json')]);
    const data = JSON.parse(readFileSync(at('r.json'), 'utf8'));
    expect(data.current.rows).toBe(13689);
    const table = data.tables.find((t: { id: string }) => t.id === 'profile-approximation');
    expect(table.rows.some((r: string[]) => r[1] === 'approximate' && r[2]!.includes('ks_statistic'))).toBe(true);
    expect(readFileSync(at('r.html'), 'utf8')).toContain('From profiles: figures from the sketch');
    const r = await run(['report', '--reference', at('m01.lprofile'), '--current', at('m03.csv'), '--out', at('r2.html')]);
    expect([r.code, r.err]).toEqual([2, expect.stringMatching(/needs --suite/)]);
  });

  it('rejects bad input with a clear message', async () => {
    writeFileSync(at('broken.lprofile'), '{"format":"lantern-profile","version":1,"parts":3}');
    const cases: [string[], RegExp][] = [
      [['profile', '--data', at('m01.csv')], /needs --data and --out/],
      [['profile', '--data', at('m01.csv'), '--window', 'day', '--out', at('x')], /--window needs --timestamp/],
      [['profile', '--data', at('m01.csv'), '--label', 'was_late', '--out', at('x')], /both --label and --score/],
      [['profile', '--data', at('m01.csv'), '--timestamp', 'origin', '--out', at('x')], /not a date or timestamp/],
      [['profile', 'merge', at('m01.csv'), '--out', at('x')], /is not a Lantern profile/],
      [['drift', '--reference', at('broken.lprofile'), '--current', at('m01.csv')], /damaged/],
      [['history', '--reference', at('m01.lprofile')], /at least one batch/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  });
});

describe.runIf(testEngine() === 'wasm')('lantern profile on the WASM engine', () => {
  it('profiles a month with metrics, as scikit-learn computes them', async () => {
    await ok(['profile', '--data', at('m02.csv'), ...ROLES, '--out', at('wasm.lprofile')]);
    const m = JSON.parse(await ok(['metrics', '--data', at('wasm.lprofile'), '--json']));
    for (const k of ['n', 'accuracy', 'f1', 'log_loss', 'brier']) closeTo(m.overall[k], fx.metrics.by_month['2001-02-01']![k]!, 1e-9);
  }, 120_000);
});

// 1,500,000 rows in seconds needs native DuckDB (the WASM engine takes minutes on two cores).
describe.runIf(testEngine() === 'native')('size', () => {
  it('a profile of 1,500,000 real-valued rows is well under 5 MB', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    // The flights log 37.5 times, each copy with its own small offsets: many distinct values per column.
    await db.run(`COPY (SELECT f.* REPLACE (distance_mi + r * 0.013 AS distance_mi, origin_hist_late_rate + r * 1e-6 AS origin_hist_late_rate, p_late * (1 - r * 1e-4) AS p_late)
      FROM read_csv('${at('all.csv')}') f, range(38) t(r) LIMIT 1500000) TO '${at('big.parquet')}' (FORMAT parquet)`);
    db.closeSync();
    const out = JSON.parse(
      await ok(['profile', '--data', at('big.parquet'), ...ROLES, '--window', 'day', '--out', at('big.lprofile'), '--json']),
    );
    expect(out.rows).toBe(1_500_000);
    console.log(`profile of 1,500,000 rows by day (${out.parts} parts): ${statSync(at('big.lprofile')).size} bytes`);
    expect(statSync(at('big.lprofile')).size).toBeLessThan(5_000_000);
  }, 120_000);
});
