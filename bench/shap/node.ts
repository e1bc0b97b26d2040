/**
 * TreeSHAP benchmark, Lantern side in Node (one thread): the model and rows bench/shap/native.py wrote.
 * npx tsx bench/shap/node.ts
 * Checks the first 1000 rows against xgboost's pred_contribs before timing, so a fast wrong answer
 * cannot pass.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../../src/lib/model/load';
import { PathDependentExplainer } from '../../src/lib/shap/pathDependent';

const dir = join(import.meta.dirname, '..', 'tmp');
const model = parseModel(new Uint8Array(readFileSync(join(dir, 'shap-model.json'))));
const raw = readFileSync(join(dir, 'shap-rows.f64'));
const X = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
const F = model.featureNames.length;
const rows = X.length / F;

const buildStart = performance.now();
const explainer = new PathDependentExplainer(model);
const buildSeconds = (performance.now() - buildStart) / 1000;

// Correctness gate: .npy of float32 [1000, F+1] after a header; compare every value.
const npy = readFileSync(join(dir, 'shap-contribs-head.npy'));
const headerLength = npy.readUInt16LE(8);
const reference = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.byteLength));
const head = explainer.explain(X.subarray(0, 1000 * F), 1000);
let worst = 0;
for (let r = 0; r < 1000; r++)
  for (let f = 0; f < F; f++) worst = Math.max(worst, Math.abs(head.values[r * F + f]! - reference[r * (F + 1) + f]!));
if (worst > 1e-4) throw new Error(`SHAP values differ from xgboost by ${worst}`);

// CPU time, not wall time: the benchmark machine is shared and often oversubscribed.
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
explainer.explain(X, rows);
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const wallSeconds = (performance.now() - wallStart) / 1000;
console.log(
  JSON.stringify({
    engine: `lantern TreeSHAP (tables), Node ${process.version}, 1 thread`,
    rows,
    trees: model.numTrees,
    depth: model.maxDepth,
    cpuSeconds,
    wallSeconds,
    tableSeconds: buildSeconds,
    maxAbsDiffVsXgboost: worst,
  }),
);
