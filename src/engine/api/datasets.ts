import { transfer } from 'comlink';
import { LanternError } from '../../lib/errors';
import { loadDataset, type LoadProgress, type LoadedDataset, type ParquetCodec } from '../../lib/ingest';
import { profileColumns, type ColumnProfile } from '../../lib/profile';
import { inferRoles, type RoleMap } from '../../lib/roles';
import { describeTable, dropRelation } from '../../lib/schema';
import { ident } from '../../lib/sql';
import { BlobSource } from '../browser';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export interface LoadedWithRoles extends LoadedDataset {
  roles: RoleMap;
}

/** Part of a file to load when all of it does not fit: some columns, or a uniform sample of the rows. */
export interface LoadChoice {
  columns?: string[];
  /** Fraction of the rows, 0..1. */
  sample?: number;
}

/** Loading, summarising, paging and dropping datasets. */
export function datasetsApi(scheduler: Scheduler, parquet: ParquetCodec) {
  return {
    /**
     * Loads a dropped file. The table is compacted as it loads, and a file that would take more than its
     * share of the engine's memory stops early with what fits (`fit` on the error); `choice` loads a
     * uniform sample or some columns of it instead.
     */
    loadFile(
      ctx: CallContext,
      file: Blob,
      name: string,
      table: string,
      onProgress?: (p: LoadProgress) => void,
      choice: LoadChoice = {},
    ): Promise<LoadedWithRoles> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const dataset = await loadDataset(db, parquet, new BlobSource(file, name), {
          table,
          signal,
          compact: true,
          ...(choice.columns ? { columns: choice.columns } : {}),
          ...(choice.sample !== undefined ? { sample: choice.sample } : {}),
          ...(onProgress ? { onProgress } : {}),
        });
        return { ...dataset, roles: inferRoles(dataset.columns) };
      });
    },

    /**
     * Column summaries for a dataset card, of every column or of the named ones (a wide table is
     * summarised as its columns come into view); the same request asked twice shares one run and one result.
     */
    profile(ctx: CallContext, table: string, names?: string[]): Promise<ColumnProfile[]> {
      return scheduler.run(
        ctx,
        async ({ db, signal }) => {
          const all = await describeTable(db, table);
          const wanted = names ? new Set(names) : null;
          return profileColumns(db, table, wanted ? all.filter((c) => wanted.has(c.name)) : all, signal);
        },
        { key: names ? callKey('profile', table, names) : `profile:${table}`, cache: true, tables: [table] },
      );
    },

    /** A page of rows (of every column, or of the named ones) as Arrow IPC bytes, transferred (not copied) to the caller. */
    preview(ctx: CallContext, table: string, offset: number, limit: number, names?: string[]): Promise<Uint8Array> {
      if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 0)
        return Promise.reject(new LanternError('usage', 'Bad preview window'));
      return scheduler.run(ctx, async ({ db, signal }) => {
        const list = names ? names.map((n) => ident(n).text).join(', ') : '*';
        const bytes = await db.queryArrow(`SELECT ${list} FROM ${ident(table)} LIMIT ${limit} OFFSET ${offset}`, { signal });
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      });
    },

    dropTable(ctx: CallContext, table: string): Promise<void> {
      scheduler.invalidate(table);
      return scheduler.run(ctx, ({ db }) => dropRelation(db, table));
    },
  };
}
