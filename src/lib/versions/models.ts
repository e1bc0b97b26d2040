/**
 * Two model files as two versions: the log scored with each model (the same prediction code that replays
 * logged scores, src/lib/model/predict.ts) into a table with one output column per model, which the paired
 * comparison then reads like a shadow log; and both models' mean |SHAP| per feature on the same rows.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { Db } from '../db';
import { LanternError } from '../errors';
import type { TreeEnsemble } from '../model/ensemble';
import { describeMismatch, matchFeatures } from '../model/features';
import { numericTextColumns, readDoubles, readFeatureMatrix } from '../model/matrix';
import { marginToPrediction, predictMargin } from '../model/predict';
import { treeShapPathDependent } from '../shap/pathDependent';
import { meanAbsShap } from '../shap/summaries';
import { describeTable, dropRelation } from '../schema';
import { ident, join, sql } from '../sql';
import type { ModelImportance } from './types';

/** A model file to compare: its name (the version's name) and its parsed trees. */
export interface VersionModel {
  name: string;
  model: TreeEnsemble;
}

/** Rows scored per batch: bounds the feature matrix held at once (rows x features doubles). */
const BATCH_ROWS = 100_000;
/** Rows the side-by-side SHAP importance reads (every k-th row of the log beyond). */
export const IMPORTANCE_ROWS = 2000;
/** The row number the scoring joins on; no select list here uses it for anything else. */
const ROW = '__lantern_model_row';

/** Output column names: the file names, made distinct from each other and from the log's columns. */
export function outputColumns(names: readonly string[], taken: readonly string[]): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    let column = name;
    for (let k = 2; used.has(column); k++) column = `${name} (${k})`;
    used.add(column);
    return column;
  });
}

/** Each model's input columns in the table, in model order; a clear message when a model does not fit. */
async function modelColumns(db: Db, table: string, models: readonly VersionModel[]): Promise<string[][]> {
  const columns = await describeTable(db, table);
  const numericText = await numericTextColumns(db, table, columns);
  return models.map(({ name, model }) => {
    if (model.numOutputs !== 1)
      throw new LanternError(
        'unsupported-model',
        `"${name}" has ${model.numOutputs} outputs: comparing model files covers binary classifiers and regressors; log each version's predicted class as a column to compare multi-class models.`,
      );
    const match = matchFeatures(model, columns, numericText);
    if (!match.ok) throw new LanternError('usage', `"${name}": ${describeMismatch(match)}`);
    return match.columns as string[];
  });
}

/**
 * Makes table `out`: every row of `table` with one more column per model holding the model's prediction
 * (a probability for a classifier, a value for a regressor). Rows are numbered once and scored in
 * batches, so a large log never needs its whole feature matrix at once. Returns the output columns.
 */
export async function scoreWithModels(
  db: Db,
  table: string,
  models: readonly VersionModel[],
  out: string,
  signal?: AbortSignal,
  batchRows = BATCH_ROWS,
): Promise<string[]> {
  const inputs = await modelColumns(db, table, models);
  const names = outputColumns(
    models.map((m) => m.name),
    (await describeTable(db, table)).map((c) => c.name),
  );
  const numbered = `${out}_numbered`;
  const scores = `${out}_scores`;
  try {
    await db.query(
      sql`CREATE OR REPLACE TABLE ${ident(numbered)} AS SELECT row_number() OVER () AS ${ident(ROW)}, * FROM ${ident(table)}`.text,
      {
        signal,
      },
    );
    const [count] = await db.query(sql`SELECT count(*)::DOUBLE AS n FROM ${ident(numbered)}`.text, { signal });
    const rows = Number(count?.['n'] ?? 0);
    for (let from = 0; from === 0 || from < rows; from += batchRows) {
      const where = sql`FROM ${ident(numbered)} WHERE ${ident(ROW)} > ${from} AND ${ident(ROW)} <= ${from + batchRows} ORDER BY ${ident(ROW)}`;
      const columns: Record<string, Float64Array> = {};
      for (const [i, { model }] of models.entries()) {
        const list = inputs[i]!.map((c, f) => sql`COALESCE(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE) AS ${ident(`f${f}`)}`);
        const F = list.length;
        // The row number rides last, so each model's rows are known to be the same rows.
        const m = await readDoubles(db, sql`SELECT ${join(list, ', ')}, ${ident(ROW)}::DOUBLE AS r ${where}`.text, F + 1, signal);
        const X = new Float64Array(m.rows * F);
        const position = new Float64Array(m.rows);
        for (let r = 0; r < m.rows; r++) {
          for (let f = 0; f < F; f++) X[r * F + f] = m.X[r * (F + 1) + f]!;
          position[r] = m.X[r * (F + 1) + F]!;
        }
        columns[ROW] ??= position;
        columns[`s${i}`] = marginToPrediction(model, predictMargin(model, X, m.rows));
      }
      await db.insertArrowStream(scores, tableToIPC(tableFromArrays(columns), 'stream'), {
        append: from > 0,
        ...(signal ? { signal } : {}),
      });
    }
    const added = join(
      names.map((n, i) => sql`s.${ident(`s${i}`)} AS ${ident(n)}`),
      ', ',
    );
    await db.query(
      sql`CREATE OR REPLACE TABLE ${ident(out)} AS SELECT d.* EXCLUDE (${ident(ROW)}), ${added} FROM ${ident(numbered)} d JOIN ${ident(scores)} s ON d.${ident(ROW)} = s.${ident(ROW)}::BIGINT ORDER BY d.${ident(ROW)}`
        .text,
      { signal },
    );
    return names;
  } finally {
    for (const t of [numbered, scores]) await dropRelation(db, t).catch(() => undefined);
  }
}

/**
 * Mean |SHAP| per feature of each model on the same rows of `table` (path-dependent TreeSHAP, xgboost's
 * pred_contribs): at most IMPORTANCE_ROWS rows, every k-th row beyond, read once per model with the same
 * sampling. Features are the union of both models' inputs, most important first; null where a model
 * does not use the feature.
 */
export async function modelImportance(
  db: Db,
  table: string,
  models: readonly VersionModel[],
  signal?: AbortSignal,
): Promise<ModelImportance> {
  const inputs = await modelColumns(db, table, models);
  const [count] = await db.query(sql`SELECT count(*)::DOUBLE AS n FROM ${ident(table)}`.text, { signal });
  const every = Math.max(1, Math.ceil(Number(count?.['n'] ?? 0) / IMPORTANCE_ROWS));
  const byFeature = new Map<string, (number | null)[]>();
  let rows = 0;
  for (const [i, { model }] of models.entries()) {
    const m = await readFeatureMatrix(db, table, inputs[i]!, { limit: IMPORTANCE_ROWS, every, ...(signal ? { signal } : {}) });
    rows = m.rows;
    const importance = meanAbsShap(treeShapPathDependent(model, m.X, m.rows));
    inputs[i]!.forEach((column, f) => {
      const values = byFeature.get(column) ?? models.map(() => null);
      values[i] = importance[f]!;
      byFeature.set(column, values);
    });
  }
  const features = [...byFeature.entries()]
    .map(([feature, values]) => ({ feature, values }))
    .sort((a, b) => Math.max(...b.values.map((v) => v ?? 0)) - Math.max(...a.values.map((v) => v ?? 0)));
  return { rows, every, models: models.map((m) => m.name), features };
}
