/**
 * The one interface the analysis core needs from a database. The browser engine worker and the Node CLI
 * each provide an implementation over DuckDB-WASM (see src/engine/), so every analysis runs the same SQL
 * in both places.
 */
export type Value = number | string | boolean | null | Date;
export type Row = Record<string, Value>;

export interface QueryOptions {
  /** Aborts a running query between execution steps. */
  signal?: AbortSignal;
}

/** Random-access bytes of a user's file: a browser File or a path on disk. */
export interface DataSource {
  readonly name: string;
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

export interface InsertOptions extends QueryOptions {
  /** Append to the existing table instead of creating it (a file inserted batch by batch). */
  append?: boolean;
}

/** Where an engine that reads its own disk finds a source's bytes. */
export interface DiskLocation {
  /** Absolute paths; several for a glob or a folder. */
  files: string[];
  /** The paths hold `key=value` folders whose keys become columns. */
  hive: boolean;
}

export interface Db {
  /** Runs SQL and returns plain rows; BIGINT values are converted to numbers at the source. */
  query(sql: string, options?: QueryOptions): Promise<Row[]>;
  /** Runs SQL and returns the result as Arrow IPC stream bytes (for transfer to the UI thread). */
  queryArrow(sql: string, options?: QueryOptions): Promise<Uint8Array>;
  /** Creates table `table` (or appends to it) from Arrow IPC stream bytes. The buffer may be detached afterwards. */
  insertArrowStream(table: string, ipc: Uint8Array, options?: InsertOptions): Promise<void>;
  /** Creates table `table` from a JSON array of objects registered under `fileName`. */
  insertJsonArray(table: string, fileName: string): Promise<void>;
  /**
   * Makes `source` readable by SQL under `fileName` without copying it into memory where the engine
   * allows. `onRead` reports the furthest byte read, for progress.
   */
  registerSource(fileName: string, source: DataSource, onRead?: (offset: number) => void): Promise<void>;
  registerBuffer(fileName: string, bytes: Uint8Array): Promise<void>;
  dropFile(fileName: string): Promise<void>;
  /**
   * Engines that read files themselves (native DuckDB in the CLI) say where a source lives on their
   * disk, and loading then uses DuckDB's own readers on it (globs and hive partitions included).
   * Returns null for sources it cannot open by path; engines without a disk omit it.
   */
  locate?(source: DataSource): DiskLocation | null;
}
