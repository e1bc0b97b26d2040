/**
 * Per-step timers for the drift report on the bench's data (decision 0101): every SQL statement with its
 * time in DuckDB-WASM and its Arrow size, the time per column, and the report's wall and process CPU time
 * with the load average. Needs the bench data (`npm run bench -- --data-only`).
 * Run: npx tsx bench/driftSteps.ts [1m|20k] [--all] [--quality]
 *   --all: every tested column (as the browser does) instead of the 20 of scenario 03
 *   --quality: also time the data quality checks
 *   DRIFT_BATCH_VALUES=n: values per numerical pull (default BATCH_VALUES)
 *   --one-thread: numerical statistics in the report's thread instead of the CLI's helper thread
 */
import os from 'node:os';
import { DATA_VERSION, DRIFT_COLUMNS } from './lib/data';
import { loadFile, openNodeDb } from './lib/lantern';
import type { Db } from '../src/lib/db';
import { dataQuality } from '../src/lib/drift/quality';
import { driftReport } from '../src/lib/drift/report';
import { nodeStatsThread } from '../src/engine/nodeStats';
import { describeTable } from '../src/lib/schema';

const size = process.argv[2] ?? '1m';
const flag = (name: string) => process.argv.includes(name);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const inner = await openNodeDb();
await loadFile(inner, `bench/tmp/data/reference_${size}.v${DATA_VERSION}.parquet`, 'reference');
await loadFile(inner, `bench/tmp/data/log_${size}.v${DATA_VERSION}.parquet`, 'current_log');

const statements: { sql: string; ms: number; bytes: number }[] = [];
const timed =
  <T>(sql: string, work: () => Promise<T>, size: (r: T) => number) =>
  async () => {
    const start = performance.now();
    const result = await work();
    statements.push({ sql, ms: performance.now() - start, bytes: size(result) });
    return result;
  };
const db: Db = {
  ...inner,
  query: (sql, o) =>
    timed(
      sql,
      () => inner.query(sql, o),
      () => 0,
    )(),
  queryArrow: (sql, o) =>
    timed(
      sql,
      () => inner.queryArrow(sql, o),
      (r) => r.length,
    )(),
};
const t = { reference: 'reference', current: 'current_log' };

console.log(`load average ${load()}`);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let last = t0;
const perColumn: string[] = [];
// --one-thread: the statistics in this thread (as before the helper thread), for comparison.
const stats = flag('--one-thread') ? null : nodeStatsThread();
const report = await driftReport(db, t, {
  ...(flag('--all') ? {} : { columns: DRIFT_COLUMNS }),
  ...(stats ? { runNumericalBatch: stats.run } : {}),
  ...(process.env['DRIFT_BATCH_VALUES'] ? { batchValues: Number(process.env['DRIFT_BATCH_VALUES']) } : {}),
  onProgress: (done) => {
    perColumn.push(`${done}:${Math.round(performance.now() - last)}`);
    last = performance.now();
  },
});
const wall = performance.now() - t0;
await stats?.close();
const cpu = process.cpuUsage(cpu0);
console.log(`report ${Math.round(wall)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU, ${report.columns.length} columns`);
console.log(`ms per column as they finish: ${perColumn.join(' ')}`);
for (const s of statements)
  console.log(`${s.ms.toFixed(0).padStart(6)} ms ${(s.bytes / 1e6).toFixed(1).padStart(6)} MB  ${s.sql.slice(0, 140)}`);
console.log(`in DuckDB ${Math.round(statements.reduce((n, s) => n + s.ms, 0))} ms of ${Math.round(wall)}`);
if (flag('--quality')) {
  const q0 = performance.now();
  const before = statements.length;
  await dataQuality(db, t, await describeTable(db, t.reference), await describeTable(db, t.current), { id: 'prediction_id' });
  console.log(`quality ${Math.round(performance.now() - q0)} ms`);
  for (const s of statements
    .slice(before)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12))
    console.log(`${s.ms.toFixed(0).padStart(6)} ms  ${s.sql.slice(0, 140)}`);
}
console.log(`load average ${load()}`);
