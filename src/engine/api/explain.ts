import { transfer } from 'comlink';
import { matchFeatures, type FeatureMatch, type ModelFeatures } from '../../lib/model/features';
import {
  featureMatrixSql,
  numericColumnSql,
  numericTextColumns,
  readDoubles,
  readFeatureMatrix,
  textColumnSql,
  type FeatureMatrix,
} from '../../lib/model/matrix';
import { describeTable, kindOfType } from '../../lib/schema';
import { ident, literal } from '../../lib/sql';
import type { CallContext, Scheduler } from '../scheduler';

/** Which rows of a table a view explains: at most `limit`, every `every`-th row, in table order. */
export interface RowSample {
  limit?: number;
  every?: number;
}

/** Model inputs and side columns for the explanation views; TreeSHAP itself runs in the shap worker pool. */
export function explainApi(scheduler: Scheduler) {
  return {
    matchModel(ctx: CallContext, table: string, model: ModelFeatures): Promise<FeatureMatch> {
      return scheduler.run(ctx, async ({ db }) => {
        const columns = await describeTable(db, table);
        return matchFeatures(model, columns, await numericTextColumns(db, table, columns));
      });
    },

    /** The model's inputs as one row-major Float64Array, transferred to the caller. */
    featureMatrix(ctx: CallContext, table: string, columns: string[], sample: RowSample = {}): Promise<FeatureMatrix> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const m = await readFeatureMatrix(db, table, columns, { ...sample, signal });
        return transfer(m, [m.X.buffer as ArrayBuffer]);
      });
    },

    /** A score or timestamp column aligned with featureMatrix's rows (timestamps as epoch ms). */
    numericColumn(ctx: CallContext, table: string, column: string, sample: RowSample = {}): Promise<Float64Array> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const type = (await describeTable(db, table)).find((c) => c.name === column)?.type ?? '';
        const sql = numericColumnSql(table, column, kindOfType(type) === 'temporal', sample.limit, sample.every);
        const m = await readDoubles(db, sql, 1, signal);
        return transfer(m.X, [m.X.buffer as ArrayBuffer]);
      });
    },

    /** A column as text, aligned with featureMatrix's rows (prediction ids for lists). */
    textColumn(ctx: CallContext, table: string, column: string, sample: RowSample = {}): Promise<(string | null)[]> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const rows = await db.query(textColumnSql(table, column, sample.limit, sample.every), { signal });
        return rows.map((r) => (r['v'] === null ? null : String(r['v'])));
      });
    },

    /** The model inputs of the first row whose id column equals `id`, or null when no row has it. */
    rowById(
      ctx: CallContext,
      table: string,
      idColumn: string,
      id: string,
      columns: string[],
    ): Promise<{ X: Float64Array; values: (string | null)[] } | null> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const where = ` WHERE CAST(${ident(idColumn)} AS VARCHAR) = ${literal(id)} LIMIT 1`;
        const m = await readDoubles(db, featureMatrixSql(table, columns).concat(where), columns.length, signal);
        if (m.rows === 0) return null;
        const raw = await db.query(
          `SELECT ${columns.map((c, i) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(`c${i}`)}`).join(', ')} FROM ${ident(table)}${where}`,
          { signal },
        );
        const values = columns.map((_, i) => {
          const v = raw[0]?.[`c${i}`];
          return v === null || v === undefined ? null : String(v);
        });
        return { X: m.X, values };
      });
    },
  };
}
