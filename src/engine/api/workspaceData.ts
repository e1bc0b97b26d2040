import { transfer } from 'comlink';
import type { Db } from '../../lib/db';
import type { ParquetCodec } from '../../lib/ingest';
import { inferRoles } from '../../lib/roles';
import { restoreTableFromParquet, tableToParquet, type RestoreTarget } from '../../lib/tableSnapshot';
import type { Jobs } from '../jobs';
import type { LoadedWithRoles } from './datasets';

/** Saving and restoring dataset tables for persisted workspaces (src/persistence/). */
export function workspaceDataApi(db: Db, parquet: ParquetCodec, jobs: Jobs) {
  return {
    /** The whole table as Parquet bytes, transferred (not copied) to the caller. */
    exportTableParquet(jobId: string, table: string): Promise<Uint8Array> {
      return jobs.run(jobId, async (signal) => {
        const bytes = await tableToParquet(db, parquet, table, signal);
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      });
    },

    /** Creates `target.table` from saved Parquet bytes through the ingestion path; the caller applies saved roles. */
    restoreTable(jobId: string, bytes: Uint8Array, target: RestoreTarget): Promise<LoadedWithRoles> {
      return jobs.run(jobId, async (signal) => {
        const loaded = await restoreTableFromParquet(db, parquet, bytes, target, signal);
        return { ...loaded, roles: inferRoles(loaded.columns) };
      });
    },
  };
}
