import { RecordBatchStreamWriter, Table, tableFromIPC } from 'apache-arrow';
import type { ParquetRowGroups } from '../lib/ingest';

/** The parts of parquet-wasm's `ParquetFile` we use; its browser and Node builds are different classes. */
interface WasmParquetFile {
  metadata(): { numRowGroups(): number; rowGroup(i: number): { numRows(): number; free(): void }; free(): void };
  schema(): { intoIPCStream(): Uint8Array };
  stream(options: { rowGroups: number[]; batchSize: number; columns?: string[] }): Promise<ReadableStream<{ intoIPCStream(): Uint8Array }>>;
  free(): void;
}

/**
 * A Parquet file read through a Blob (a dropped File, or a file on disk in Node via `openAsBlob`):
 * parquet-wasm reads the footer, then only the byte ranges of the row group asked for, and decodes it
 * as a stream of record batches of `batchRows` rows.
 */
export async function openParquetBlob(fromFile: (blob: Blob) => Promise<WasmParquetFile>, blob: Blob): Promise<ParquetRowGroups> {
  const file = await fromFile(blob);
  const metadata = file.metadata();
  const rowGroups = Array.from({ length: metadata.numRowGroups() }, (_, i) => {
    const group = metadata.rowGroup(i);
    const rows = group.numRows();
    group.free();
    return rows;
  });
  metadata.free();
  const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
  return {
    rows: rowGroups.reduce((a, b) => a + b, 0),
    rowGroups,
    columns: schema.fields.map((f) => f.name),
    schema: (columns) =>
      RecordBatchStreamWriter.writeAll(new Table(columns ? schema.select(columns as string[]) : schema)).toUint8Array(true),
    async *readRowGroup(index, columns, batchRows) {
      const stream = await file.stream({ rowGroups: [index], batchSize: batchRows, ...(columns ? { columns: [...columns] } : {}) });
      const reader = stream.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value.intoIPCStream();
        }
      } finally {
        reader.releaseLock();
      }
    },
    close: () => file.free(),
  };
}
