import { transfer } from 'comlink';
import type { Db } from '../../lib/db';
import { matchFeatures, type FeatureMatch, type ModelFeatures } from '../../lib/model/features';
import {
  featureMatrixSql,
  numericColumnSql,
  readDoubles,
  readFeatureMatrix,
  sampleClause,
  type FeatureMatrix,
} from '../../lib/model/matrix';
import { describeTable, kindOfType } from '../../lib/schema';
import { ident, literal } from '../../lib/sql';
import type { Jobs } from '../jobs';

/** Which rows of a table a view explains: at most `limit`, every `every`-th row, in table order. */
export interface RowSample {
  limit?: number;
  every?: number;
}

/** Model inputs and side columns for the explanation views; TreeSHAP itself runs in the shap worker pool. */
export function explainApi(db: Db, jobs: Jobs) {
  return {
    async matchModel(table: string, model: ModelFeatures): Promise<FeatureMatch> {
      return matchFeatures(model, await describeTable(db, table));
    },

    /** The model's inputs as one row-major Float64Array, transferred to the caller. */
    featureMatrix(jobId: string, table: string, columns: string[], sample: RowSample = {}): Promise<FeatureMatrix> {
      return jobs.run(jobId, async (signal) => {
        const m = await readFeatureMatrix(db, table, columns, { ...sample, signal });
        return transfer(m, [m.X.buffer as ArrayBuffer]);
      });
    },

    /** A score or timestamp column aligned with featureMatrix's rows (timestamps as epoch ms). */
    async numericColumn(table: string, column: string, sample: RowSample = {}): Promise<Float64Array> {
      const type = (await describeTable(db, table)).find((c) => c.name === column)?.type ?? '';
      const m = await readDoubles(db, numericColumnSql(table, column, kindOfType(type) === 'temporal', sample.limit, sample.every), 1);
      return transfer(m.X, [m.X.buffer as ArrayBuffer]);
    },

    /** A column as text, aligned with featureMatrix's rows (prediction ids for lists). */
    async textColumn(table: string, column: string, sample: RowSample = {}): Promise<(string | null)[]> {
      const rows = await db.query(
        `SELECT CAST(${ident(column)} AS VARCHAR) AS v FROM ${ident(table)}${sampleClause(sample.limit, sample.every)}`,
      );
      return rows.map((r) => (r['v'] === null ? null : String(r['v'])));
    },

    /** The model inputs of the first row whose id column equals `id`, or null when no row has it. */
    async rowById(
      table: string,
      idColumn: string,
      id: string,
      columns: string[],
    ): Promise<{ X: Float64Array; values: (string | null)[] } | null> {
      const where = ` WHERE CAST(${ident(idColumn)} AS VARCHAR) = ${literal(id)} LIMIT 1`;
      const m = await readDoubles(db, featureMatrixSql(table, columns).concat(where), columns.length);
      if (m.rows === 0) return null;
      const raw = await db.query(
        `SELECT ${columns.map((c, i) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(`c${i}`)}`).join(', ')} FROM ${ident(table)}${where}`,
      );
      const values = columns.map((_, i) => {
        const v = raw[0]?.[`c${i}`];
        return v === null || v === undefined ? null : String(v);
      });
      return { X: m.X, values };
    },
  };
}
