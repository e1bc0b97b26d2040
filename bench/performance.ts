/**
 * Benchmark of metrics, windows and slice discovery (depth 2) on a 1,000,000-row prediction log
 * with 10 segment columns, in DuckDB-WASM under Node (the same wasm the browser worker runs).
 * Run: npx tsx bench/performance.ts [rows]. Prints one JSON line per step with milliseconds.
 */
import { openNodeDb } from '../src/engine/node';
import { binaryMetricsAt } from '../src/lib/metrics/binary';
import { overallPerformance } from '../src/lib/metrics/performance';
import type { PerfSpec } from '../src/lib/metrics/spec';
import { windowSql } from '../src/lib/metrics/time';
import { metricsOverTime } from '../src/lib/metrics/windows';
import { inferRoles } from '../src/lib/roles';
import { describeTable } from '../src/lib/schema';
import { discoverSlices } from '../src/lib/slices/discover';
import { sliceDimensions } from '../src/lib/slices/dimensions';
import { worsenedSlices } from '../src/lib/slices/worsened';

const rows = Number(process.argv[2] ?? 1_000_000);
const db = await openNodeDb();
const time = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const out = await work();
  console.log(JSON.stringify({ step, rows, ms: Math.round(performance.now() - t) }));
  return out;
};

// 10 segment columns of 3-12 values; errors planted in seg_3 = 'v2' AND seg_7 = 'v1'; 90 days; 10% unlabelled.
await time('generate', () =>
  db.query(`CREATE TABLE log AS
    SELECT i AS id, TIMESTAMP '2024-01-01' + to_seconds(CAST(i * 7776000 // ${rows} AS BIGINT)) AS ts,
      ${Array.from({ length: 10 }, (_, k) => `'v' || CAST(hash(i * ${k + 3}) % ${3 + k} AS VARCHAR) AS seg_${k}`).join(', ')},
      (hash(i * 101) % 100000) / 100000.0 AS u,
      CASE WHEN hash(i * 17) % 10 = 0 THEN NULL ELSE CAST(hash(i * 101) % 100000 < 20000 AS INTEGER) END AS label0
    FROM range(${rows}) t(i)`),
);
await db.query(`CREATE TABLE logs AS SELECT * EXCLUDE (u, label0),
    label0 AS label,
    round(CASE WHEN seg_3 = 'v2' AND seg_7 = 'v1' THEN random() ELSE least(1, greatest(0, 0.2 + 0.5 * CAST(u < 0.2 AS DOUBLE) + (hash(id * 5) % 1000) / 2500.0 - 0.2)) END, 4) AS score
  FROM log`);
const columns = await describeTable(db, 'logs');
const spec: PerfSpec = {
  table: 'logs',
  label: 'label',
  labelKind: 'numeric',
  score: 'score',
  task: 'binary',
  positive: '1',
  threshold: 0.5,
  timestamp: 'ts',
};
const overall = await time('overall metrics (score table + bootstrap + curves)', () => overallPerformance(db, spec));
const table = overall.task === 'binary' ? overall.scoreTable! : undefined;
await time('threshold change (JS, from the cached score table)', () => binaryMetricsAt(table!, 0.37));
await time('overall metrics (SQL point estimates)', () => overallPerformance(db, spec, { pointOnly: true }));
await time('metrics per day window (90 windows)', () => metricsOverTime(db, spec, 'ts', { unit: 'day' }));
const roles = inferRoles(columns);
for (let k = 0; k < 10; k++) roles[`seg_${k}`] = 'segment';
const dims = await time('slice dimensions', () => sliceDimensions(db, 'logs', columns, roles, { timestamp: { column: 'ts', sql: 'ts' } }));
const found = await time('slice discovery depth 2', () => discoverSlices(db, spec, dims, { maxDepth: 2 }));
console.log(JSON.stringify({ top: found.slices[0]?.predicates, levels: found.levels }));
await time('slice discovery depth 3', () => discoverSlices(db, spec, dims, { maxDepth: 3 }));
await time('worsened slices per week', () => worsenedSlices(db, spec, dims, { windowSql: windowSql('ts', 'week') }));

// Where discovery time goes: the encoding scan in DuckDB versus the search in JS.
{
  const { encodeRows } = await import('../src/lib/slices/encode');
  const { rowErrorSql } = await import('../src/lib/slices/rowError');
  const { sliceLine } = await import('../src/lib/slices/sliceline');
  const enc = await time('discovery: encode rows in DuckDB', () => encodeRows(db, spec, dims, rowErrorSql(spec, 'error_rate')));
  await time('discovery: SliceLine search depth 2 in JS', async () => await sliceLine(enc, { maxDepth: 2, minSupport: 4500 }));
}
