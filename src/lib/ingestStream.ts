import { RecordBatchReader, RecordBatchStreamWriter, Table, tableFromIPC, Type, type DataType, type RecordBatch } from 'apache-arrow';
import type { DataSource, Db } from './db';
import { LanternError, throwIfAborted } from './errors';
import type { LoadOptions } from './ingestTypes';
import { duckDbReason } from './ingestShared';
import { StagingWriter } from './ingestFit';

/**
 * A Parquet file opened for reading by row group, through random access to its source (a browser File,
 * a file on disk): only the footer and the row group being read are ever in memory.
 */
export interface ParquetRowGroups {
  readonly rows: number;
  /** Rows in each row group. */
  readonly rowGroups: readonly number[];
  /** Top-level column names, in file order. */
  readonly columns: readonly string[];
  /** Arrow IPC stream bytes of the file's schema (no rows), restricted to `columns` when given. */
  schema(columns?: readonly string[]): Uint8Array;
  /** The row group's rows as Arrow IPC streams of at most `batchRows` rows each, restricted to `columns`. */
  readRowGroup(index: number, columns: readonly string[] | undefined, batchRows: number): AsyncIterable<Uint8Array>;
  close(): void;
}

/**
 * Rows per insert: DuckDB's row group size. Appending less leaves the table's last row group partial and
 * the next append pays to reopen it: 1M rows x 31 columns took 15.2 s to insert in 64K-row pieces and
 * 4.1-4.4 s in pieces of 122,880 or more (DuckDB-WASM in Node, load average ~4.5).
 */
export const BATCH_ROWS = 122_880;

/**
 * Loads Parquet row group by row group: each row group is decoded in batches and appended to the
 * staging table, progress is reported per row group and a cancel is honoured between batches. The file
 * is never read whole, so its size no longer has to fit beside the engine's heap; only the decoded table
 * has to. With `columns`, only those columns are decoded.
 */
export async function insertParquetRowGroups(
  db: Db,
  file: ParquetRowGroups,
  staging: string,
  name: string,
  options: LoadOptions,
): Promise<void> {
  const { signal, onProgress, columns } = options;
  const wanted = columns ? file.columns.filter((c) => columns.includes(c)) : undefined;
  if (columns && wanted!.length !== columns.length) {
    const missing = columns.filter((c) => !file.columns.includes(c));
    throw new LanternError('usage', `"${name}" has no column ${missing.map((c) => `"${c}"`).join(', ')}.`);
  }
  const { sample, compact } = options;
  const names = arrowColumns(file.schema(wanted));
  const writer = new StagingWriter(
    db,
    staging,
    name,
    { totalRows: file.rows, names },
    { signal, sample, compact, chosen: sample !== undefined || columns !== undefined },
  );
  await writer.start();
  let done = 0;
  let read = 0;
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const ipc = RecordBatchStreamWriter.writeAll(pending).toUint8Array(true);
    const rows = pendingRows;
    pending = [];
    pendingRows = 0;
    await writer.write(ipc, rows, read, file.rows > 0 ? read / file.rows : 0);
  };
  onProgress?.({ phase: 'reading', fraction: 0 });
  try {
    for (let g = 0; g < file.rowGroups.length; g++) {
      throwIfAborted(signal);
      let batches: AsyncIterator<Uint8Array>;
      try {
        batches = file.readRowGroup(g, wanted, BATCH_ROWS)[Symbol.asyncIterator]();
      } catch (error) {
        throw corrupt(name, error);
      }
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await batches.next();
        } catch (error) {
          throw corrupt(name, error);
        }
        if (next.done) break;
        throwIfAborted(signal);
        // Small Parquet row groups are gathered into one insert of DuckDB's row group size.
        for (const batch of tableFromIPC(next.value).batches) {
          pending.push(batch);
          pendingRows += batch.numRows;
          read += batch.numRows;
        }
        if (pendingRows >= BATCH_ROWS) await flush();
      }
      done += file.rowGroups[g]!;
      onProgress?.({ phase: 'reading', fraction: file.rows > 0 ? done / file.rows : (g + 1) / file.rowGroups.length });
    }
    await flush();
    // A file without rows still has columns: the table gets them, and the load says "no data rows".
    await writer.finish(() => file.schema(wanted));
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

/** Column names and the DuckDB types they will get, from an Arrow schema (for the "what fits" offer). */
export function arrowColumns(schemaIpc: Uint8Array): { name: string; type: string }[] {
  return tableFromIPC(schemaIpc).schema.fields.map((f) => ({ name: f.name, type: duckTypeOf(f.type) }));
}

function duckTypeOf(type: DataType): string {
  switch (type.typeId) {
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? 'BIGINT' : 'INTEGER';
    case Type.Float:
    case Type.Decimal:
      return 'DOUBLE';
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Timestamp:
      return 'TIMESTAMP';
    case Type.Date:
      return 'DATE';
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Dictionary:
      return 'VARCHAR';
    default:
      return String(type).toUpperCase();
  }
}

function corrupt(name: string, error: unknown): LanternError {
  return new LanternError('bad-parquet', `"${name}" could not be read as Parquet: it is truncated or corrupt (${duckDbReason(error)}).`);
}

/** Bytes read from the source per step of an Arrow or JSON stream. */
export const READ_CHUNK = 8 * 1024 * 1024;

/** The source's bytes from `start`, in chunks, with a cancel checked between reads. */
export async function* readChunks(source: DataSource, start: number, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  for (let at = start; at < source.size; at += READ_CHUNK) {
    throwIfAborted(signal);
    yield await source.read(at, Math.min(source.size, at + READ_CHUNK));
  }
}

/**
 * Loads an Arrow IPC stream (or the stream inside an Arrow file: its 8 magic bytes, the stream, a footer
 * we do not need) batch by batch, reading the source in 8 MB chunks: the whole file is never in memory.
 * Batches are regrouped to ~64K rows before each insert.
 */
export async function insertArrowBatches(
  db: Db,
  source: DataSource,
  variant: 'arrow-file' | 'arrow-stream',
  staging: string,
  { signal, onProgress, columns, sample, compact }: LoadOptions,
): Promise<void> {
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  let created = false;
  let read = 0;
  // A stream is read front to back in chunks. A file is read by random access: Arrow JS writes the
  // schema of a file only in its footer, so the reader seeks there first, then reads each batch's range.
  const input =
    variant === 'arrow-stream'
      ? (async function* () {
          for await (const chunk of readChunks(source, 0, signal)) {
            read += chunk.length;
            yield chunk;
          }
        })()
      : fileHandle(source, signal, (end) => (read = Math.max(read, end)));
  let rowsRead = 0;
  let writer: StagingWriter | null = null;
  // An Arrow file ends with its magic bytes after the footer; a file cut short does not.
  if (variant === 'arrow-file' && new TextDecoder().decode(await source.read(Math.max(0, source.size - 6), source.size)) !== 'ARROW1')
    throw new LanternError(
      'bad-arrow',
      `"${source.name}" could not be read as Arrow IPC: it is truncated (the end of the file is missing).`,
    );
  const flush = async () => {
    if (pending.length === 0 || !writer) return;
    const selected = pending.map((b) => (columns ? b.select(columns as string[]) : b));
    const ipc = RecordBatchStreamWriter.writeAll(selected).toUint8Array(true);
    const rows = pendingRows;
    pending = [];
    pendingRows = 0;
    created = true;
    const fraction = Math.min(1, read / source.size);
    onProgress?.({ phase: 'reading', fraction });
    // Arrow streams carry no row count: the part of the file read so far stands for the part of the rows.
    await writer.write(ipc, rows, rowsRead, fraction);
  };
  try {
    const reader = await RecordBatchReader.from(input as AsyncIterable<Uint8Array>);
    await reader.open();
    const schema = columns ? reader.schema.select(columns as string[]) : reader.schema;
    const schemaIpc = RecordBatchStreamWriter.writeAll(new Table(schema)).toUint8Array(true);
    writer = new StagingWriter(
      db,
      staging,
      source.name,
      { totalRows: null, names: arrowColumns(schemaIpc) },
      { signal, sample, compact, chosen: sample !== undefined || columns !== undefined },
    );
    await writer.start();
    for await (const batch of reader as AsyncIterable<RecordBatch>) {
      if (batch.numRows === 0) continue;
      pending.push(batch);
      pendingRows += batch.numRows;
      rowsRead += batch.numRows;
      if (pendingRows >= BATCH_ROWS) await flush();
    }
    await flush();
    // No rows: the table still gets the columns, and the load then says "no data rows".
    await writer.finish(() => schemaIpc);
    created = true;
  } catch (error) {
    await writer?.abandon();
    if (error instanceof LanternError) throw error;
    if (created || /memory|allocation/i.test(String(error))) throw error;
    // Arrow JS meets a cut or damaged file as a TypeError or RangeError deep in its reader (reading
    // "fieldsLength" of null): the reason for the user is the file, not the reader's internals.
    const reason = error instanceof TypeError || error instanceof RangeError ? 'it is truncated or corrupt' : duckDbReason(error);
    throw new LanternError('bad-arrow', `"${source.name}" could not be read as Arrow IPC: ${reason}.`);
  }
}

/**
 * A source as the file handle Arrow JS's random-access reader takes (it recognises `fd`, `stat` and
 * `read`): a browser File or a file on disk is read by range, never whole.
 */
function fileHandle(source: DataSource, signal: AbortSignal | undefined, onRead: (end: number) => void) {
  return {
    fd: -1,
    stat: async () => ({ size: source.size }),
    read: async (buffer: Uint8Array, offset: number, length: number, position: number) => {
      throwIfAborted(signal);
      const bytes = await source.read(position, Math.min(source.size, position + length));
      buffer.set(bytes, offset);
      onRead(position + bytes.length);
      return { bytesRead: bytes.length, buffer };
    },
    close: async () => undefined,
  };
}
