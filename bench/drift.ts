/**
 * Benchmark of the full drift report (every statistic, every column) of 1,000,000 reference rows
 * against 1,000,000 current rows x 20 columns (12 continuous, 4 integer with ties, 4 categorical), in
 * DuckDB-WASM under Node (the same wasm the browser worker runs).
 * Run: npx tsx bench/drift.ts [rows]. Prints one JSON line per step with milliseconds.
 */
import { openNodeDb } from '../src/engine/node';
import { driftReport } from '../src/lib/drift/report';

const rows = Number(process.argv[2] ?? 1_000_000);
const db = await openNodeDb();
const time = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const out = await work();
  console.log(JSON.stringify({ step, rows, ms: Math.round(performance.now() - t) }));
  return out;
};

// u(k) is a uniform in [0, 1) from DuckDB's hash; the current side shifts some columns a little.
function table(name: string, offset: number, shift: number): string {
  const u = (k: number) => `((hash((i + ${offset}) * ${2 * k + 1} + ${k}) % 1000003) / 1000003.0)`;
  const cols: string[] = [];
  for (let k = 0; k < 12; k++) cols.push(`(${u(k)} + ${u(k + 40)} + ${u(k + 80)}) * ${k + 1} + ${k % 3 === 0 ? shift : 0} AS num_${k}`);
  for (let k = 0; k < 4; k++) cols.push(`CAST(floor(${u(k + 20)} * ${10 + 15 * k} + ${k === 0 ? shift * 10 : 0}) AS INTEGER) AS int_${k}`);
  for (let k = 0; k < 4; k++) cols.push(`'c' || CAST(floor(${u(k + 30)} * ${4 + 3 * k}) AS INTEGER) AS cat_${k}`);
  return `CREATE TABLE ${name} AS SELECT ${cols.join(', ')} FROM range(${rows}) t(i)`;
}

await time('generate reference', () => db.query(table('reference', 0, 0)));
await time('generate current', () => db.query(table('current', rows, 0.05)));
const report = await time('drift report, 20 columns', () => driftReport(db, { reference: 'reference', current: 'current' }));
console.log(JSON.stringify({ drifted: report.dataset.driftedColumns, tested: report.dataset.testedColumns }));
