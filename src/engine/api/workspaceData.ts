import { transfer } from 'comlink';
import type { ParquetCodec } from '../../lib/ingest';
import { inferRoles } from '../../lib/roles';
import { restoreTableFromParquet, tableToParquet, type RestoreTarget } from '../../lib/tableSnapshot';
import type { CallContext, Scheduler } from '../scheduler';
import type { LoadedWithRoles } from './datasets';

/** Saving and restoring dataset tables for persisted workspaces (src/persistence/). */
export function workspaceDataApi(scheduler: Scheduler, parquet: ParquetCodec) {
  return {
    /** The whole table as Parquet bytes, transferred (not copied) to the caller. */
    exportTableParquet(ctx: CallContext, table: string): Promise<Uint8Array> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const bytes = await tableToParquet(db, parquet, table, signal);
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      });
    },

    /** Creates `target.table` from saved Parquet bytes through the ingestion path; the caller applies saved roles. */
    restoreTable(ctx: CallContext, bytes: Uint8Array, target: RestoreTarget): Promise<LoadedWithRoles> {
      scheduler.invalidate(target.table);
      return scheduler.run(ctx, async ({ db, signal }) => {
        const loaded = await restoreTableFromParquet(db, parquet, bytes, target, signal);
        return { ...loaded, roles: inferRoles(loaded.columns) };
      });
    },
  };
}
