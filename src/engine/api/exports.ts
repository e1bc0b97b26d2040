import { transfer } from 'comlink';
import { exportTableParquet, type ExportTable } from '../../lib/exportTable';
import type { ParquetCodec } from '../../lib/ingest';
import type { CallContext, Scheduler } from '../scheduler';

/** A view's table as a Parquet file, written in the engine worker. */
export function exportsApi(scheduler: Scheduler, parquet: ParquetCodec) {
  return {
    /** The bytes are transferred (not copied) to the caller, which offers them as a download. */
    viewTableParquet(ctx: CallContext, table: ExportTable): Promise<Uint8Array> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        const bytes = await exportTableParquet(db, parquet, table, signal);
        return transfer(bytes, [bytes.buffer as ArrayBuffer]);
      });
    },
  };
}
