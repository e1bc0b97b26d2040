/**
 * Exact path-dependent TreeSHAP for the first rows of the log on the 200-tree, depth-6 model,
 * in Node on one thread, next to xgboost's own pred_contribs on one thread over the same rows. Reading
 * the rows into a matrix is setup on both sides; building the explainer's tables is timed.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Db } from '../../src/lib/db';
import type { ColumnInfo } from '../../src/lib/schema';
import { coreMissing, importCore } from '../lib/core';
import { LANTERN_NODE, loadFile, openNodeDb } from '../lib/lantern';
import type { BenchContext, Scenario } from '../lib/scenario';

const LOAD = 'src/lib/model/load.ts';
const FEATURES = 'src/lib/model/features.ts';
const MATRIX = 'src/lib/model/matrix.ts';
const PATH_DEPENDENT = 'src/lib/shap/pathDependent.ts';
/** Rows of the native run written out for the cross-check (every value within 1e-4 of xgboost's is the bar). */
const CHECK_ROWS = 200;

interface Ensemble {
  featureNames: string[];
  featureNamesFromModel: boolean;
  numTrees: number;
}
interface ShapResult {
  rows: number;
  numFeatures: number;
  numOutputs: number;
  values: Float64Array;
  expectedValue: Float64Array;
}

const checkFile = (ctx: BenchContext) => join(ctx.workDir, 'shap-check.json');

const scenario: Scenario = {
  id: 'treeshap',
  title: 'TreeSHAP, path-dependent (Node, 1 thread)',
  aim: 'issue 5: at least native speed per core',
  pending: async (ctx) => coreMissing(ctx.root, [LOAD, FEATURES, MATRIX, PATH_DEPENDENT]),
  cases: (ctx) => [
    {
      key: 'rows',
      label: `${ctx.files.shapRows.rows.toLocaleString('en-US')} rows, 200 trees of depth 6, 15 features`,
      params: { rows: ctx.files.shapRows.rows },
    },
  ],
  lantern: {
    name: `${LANTERN_NODE}: PathDependentExplainer (src/lib/shap/pathDependent.ts), one thread`,
    async run(ctx, params) {
      const { parseModel } = await importCore<{ parseModel(bytes: Uint8Array, name?: string): Ensemble }>(ctx.root, LOAD);
      const { matchFeatures } = await importCore<{
        matchFeatures(m: Ensemble, c: readonly ColumnInfo[]): { ok: boolean; columns: (string | null)[] };
      }>(ctx.root, FEATURES);
      const { readFeatureMatrix } = await importCore<{
        readFeatureMatrix(db: Db, t: string, c: readonly string[]): Promise<{ rows: number; X: Float64Array }>;
      }>(ctx.root, MATRIX);
      const { PathDependentExplainer } = await importCore<{
        PathDependentExplainer: new (m: Ensemble) => { explain(X: Float64Array, rows: number): ShapResult };
      }>(ctx.root, PATH_DEPENDENT);
      const model = parseModel(new Uint8Array(readFileSync(ctx.modelPath)), 'model.json');
      const db = await openNodeDb();
      const loaded = await loadFile(db, ctx.files.shapRows.csv, 'rows');
      const match = matchFeatures(model, loaded.columns);
      if (!match.ok) throw new Error('model features do not match the rows');
      const { X, rows } = await readFeatureMatrix(db, 'rows', match.columns as string[]);
      if (rows !== params['rows']) throw new Error(`read ${rows} rows`);

      const start = performance.now();
      const result = new PathDependentExplainer(model).explain(X, rows);
      const ms = performance.now() - start;
      return { ms, detail: { rows, trees: model.numTrees, ...crossCheck(ctx, result) } };
    },
  },
  native: {
    name: 'xgboost 1.7.4 (Debian python3-xgboost) Booster.predict(pred_contribs=True), nthread=1',
    async run(ctx) {
      const { stdout } = await promisify(execFile)(
        '/usr/bin/python3',
        [join(ctx.root, 'bench/python/pred_contribs.py'), ctx.modelPath, ctx.files.shapRows.csv, checkFile(ctx), String(CHECK_ROWS)],
        { maxBuffer: 1 << 20 },
      );
      const out = JSON.parse(stdout.trim().split('\n').pop()!) as {
        seconds: number;
        rows: number;
        peak_rss_bytes: number;
        xgboost: string;
      };
      return {
        ms: out.seconds * 1000,
        peakBytes: out.peak_rss_bytes,
        peakHow: 'peak RSS (VmHWM) of the python process',
        detail: { rows: out.rows, xgboost: out.xgboost },
      };
    },
  },
};

/** Largest difference to xgboost's own values over the first rows (once a native run has written them). */
function crossCheck(ctx: BenchContext, r: ShapResult): Record<string, unknown> {
  if (!existsSync(checkFile(ctx))) return {};
  const want = JSON.parse(readFileSync(checkFile(ctx), 'utf8')) as { values: number[][] };
  let maxAbs = 0;
  const rows = Math.min(want.values.length, r.rows);
  for (let row = 0; row < rows; row++) {
    const w = want.values[row]!;
    for (let f = 0; f < r.numFeatures; f++) maxAbs = Math.max(maxAbs, Math.abs(r.values[row * r.numFeatures + f]! - w[f]!));
    maxAbs = Math.max(maxAbs, Math.abs(r.expectedValue[0]! - w[r.numFeatures]!));
  }
  return { checkedRows: rows, maxAbsDiffToXgboost: maxAbs };
}

export default scenario;
