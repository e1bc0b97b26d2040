import { transfer } from 'comlink';
import type { Db } from '../../lib/db';
import { LanternError } from '../../lib/errors';
import { loadDataset, type LoadProgress, type LoadedDataset, type ParquetCodec } from '../../lib/ingest';
import { profileColumns, type ColumnProfile } from '../../lib/profile';
import { inferRoles, type RoleMap } from '../../lib/roles';
import { describeTable } from '../../lib/schema';
import { ident } from '../../lib/sql';
import { BlobSource } from '../browser';
import type { Jobs } from '../jobs';

export interface LoadedWithRoles extends LoadedDataset {
  roles: RoleMap;
}

/** Loading, summarising, paging and dropping datasets. */
export function datasetsApi(db: Db, parquet: ParquetCodec, jobs: Jobs) {
  return {
    loadFile(jobId: string, file: Blob, name: string, table: string, onProgress?: (p: LoadProgress) => void): Promise<LoadedWithRoles> {
      return jobs.run(jobId, async (signal) => {
        const dataset = await loadDataset(db, parquet, new BlobSource(file, name), {
          table,
          signal,
          ...(onProgress ? { onProgress } : {}),
        });
        return { ...dataset, roles: inferRoles(dataset.columns) };
      });
    },

    profile(jobId: string, table: string): Promise<ColumnProfile[]> {
      return jobs.run(jobId, async (signal) => profileColumns(db, table, await describeTable(db, table), signal));
    },

    /** A page of rows as Arrow IPC bytes, transferred (not copied) to the caller. */
    async preview(table: string, offset: number, limit: number): Promise<Uint8Array> {
      if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset < 0 || limit < 0)
        throw new LanternError('usage', 'Bad preview window');
      const bytes = await db.queryArrow(`SELECT * FROM ${ident(table)} LIMIT ${limit} OFFSET ${offset}`);
      return transfer(bytes, [bytes.buffer as ArrayBuffer]);
    },

    async dropTable(table: string): Promise<void> {
      await db.query(`DROP TABLE IF EXISTS ${ident(table)}`);
    },
  };
}
