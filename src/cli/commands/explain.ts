import { readFile } from 'node:fs/promises';
import { nodeParquet } from '../../engine/node';
import type { Db } from '../../lib/db';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import type { TreeEnsemble } from '../../lib/model/ensemble';
import { describeMismatch, matchFeatures } from '../../lib/model/features';
import { parseModel } from '../../lib/model/load';
import { numericTextColumns, readFeatureMatrix, type FeatureMatrix } from '../../lib/model/matrix';
import { shapToJson } from '../../lib/shap/format';
import { InterventionalExplainer } from '../../lib/shap/interventional';
import { PathDependentExplainer } from '../../lib/shap/pathDependent';
import { featureOrder, meanAbsShap } from '../../lib/shap/summaries';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { openCommandDb, openInput } from '../engine';

export const usage = 'Usage: lantern explain --model <file> --data <file> [--limit N] [--background <file>] [--json]';

async function readModel(path: string): Promise<TreeEnsemble> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new LanternError('not-found', `Cannot read model "${path}": no such file.`);
  }
  return parseModel(bytes, path.split(/[\\/]/).pop() ?? path);
}

async function modelInputs(db: Db, model: TreeEnsemble, path: string, table: string, limit?: number): Promise<FeatureMatrix> {
  const dataset = await loadDataset(db, nodeParquet, await openInput(db, path), { table });
  const match = matchFeatures(model, dataset.columns, await numericTextColumns(db, table, dataset.columns));
  if (!match.ok) throw new LanternError('feature-mismatch', `${path}: ${describeMismatch(match)}`);
  return readFeatureMatrix(db, table, match.columns as string[], limit === undefined ? {} : { limit });
}

function positiveInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new LanternError('usage', `${flag} takes a whole number of rows, at least 1 (got "${raw}").\n${usage}`);
  return n;
}

/**
 * Exact TreeSHAP for the rows of a data file: path-dependent (training covers) without --background,
 * interventional over the background file's rows with it. Values are in the model's raw margin.
 */
export async function explain(argv: string[], io: CliIo): Promise<number> {
  const { values: flags, positionals } = parseCommandArgs(
    argv,
    {
      model: { type: 'string' },
      data: { type: 'string' },
      limit: { type: 'string' },
      background: { type: 'string' },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length > 0) throw new LanternError('usage', `explain takes no positional arguments (got "${positionals[0]}").\n${usage}`);
  if (!flags.model || !flags.data) throw new LanternError('usage', `explain needs --model and --data.\n${usage}`);
  const limit = positiveInteger(flags.limit, '--limit');
  const model = await readModel(flags.model);
  const db = await openCommandDb({ fresh: true });
  const data = await modelInputs(db, model, flags.data, 'data', limit);
  let result;
  if (flags.background) {
    const background = await modelInputs(db, model, flags.background, 'background');
    result = new InterventionalExplainer(model, background.X, background.rows).explain(data.X, data.rows);
  } else {
    result = new PathDependentExplainer(model).explain(data.X, data.rows);
  }
  if (flags.json) {
    io.out(JSON.stringify(shapToJson(model, result)));
    return 0;
  }
  const method = flags.background ? 'interventional TreeSHAP' : 'path-dependent TreeSHAP';
  io.out(`${flags.model}: ${model.format}, ${model.objective}, ${model.numTrees} trees, ${model.featureNames.length} features`);
  io.out(`Explained ${data.rows.toLocaleString('en-US')} rows with ${method}; values in the raw margin.`);
  const width = Math.max(...model.featureNames.map((f) => f.length), 7);
  for (let k = 0; k < model.numOutputs; k++) {
    io.out(`${model.numOutputs > 1 ? `class ${k}: ` : ''}expected value ${result.expectedValue[k]!.toPrecision(8)}`);
    io.out(`  ${'feature'.padEnd(width)}  mean |SHAP|`);
    const importance = meanAbsShap(result, k);
    for (const f of featureOrder(importance)) io.out(`  ${model.featureNames[f]!.padEnd(width)}  ${importance[f]!.toPrecision(6)}`);
  }
  return 0;
}
