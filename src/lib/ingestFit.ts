import type { DataSource, Db } from './db';
import { LanternError } from './errors';
import { ident, literal } from './sql';
import { describeTable } from './schema';

/** What fits of a file that does not: the offer the user gets instead of an exhausted engine. */
export interface LoadFit {
  /** Rows of the whole file (or the estimate of them) and the uniform sample of them that fits. */
  totalRows: number;
  rows: number;
  /** Columns of the file and how many of them fit with every row. */
  totalColumns: number;
  columns: number;
  /** The file's columns, for choosing which to load, with each one's share of the table's bytes. */
  names: { name: string; type: string; share: number }[];
  /** What the whole file would take, and what the dataset may take, in bytes. */
  projectedBytes: number;
  budgetBytes: number;
}

/** Columns that fit with every row: the smallest first, until the budget (with its margin) is used. */
export function columnsThatFit(names: LoadFit['names'], projected: number, budget: number): number {
  let used = 0;
  let count = 0;
  for (const c of [...names].sort((a, b) => a.share - b.share)) {
    used += c.share * projected;
    if (used > MARGIN * budget) break;
    count++;
  }
  return count;
}

/** Whether these columns, with every row, fit. */
export function columnsFit(fit: LoadFit, columns: readonly string[]): boolean {
  const share = fit.names.filter((c) => columns.includes(c.name)).reduce((sum, c) => sum + c.share, 0);
  return share * fit.projectedBytes <= MARGIN * fit.budgetBytes;
}

/** A load stopped before it filled the engine's memory; `fit` says what would fit. */
export class LoadTooLarge extends LanternError {
  constructor(
    message: string,
    readonly fit: LoadFit,
  ) {
    super('too-large', message);
  }
}

/**
 * Rows gathered before each compaction of a streamed load that would not fit uncompressed. DuckDB keeps
 * Arrow inserts of whole row groups uncompressed (1M rows x 31 columns: ~320 MB in DuckDB-WASM) and
 * CHECKPOINT leaves them so; rows copied by INSERT ... SELECT are compressed by CHECKPOINT (to ~50 MB).
 * So a load that would not fit uncompressed goes through a scratch table, moved into the dataset and
 * compacted every million rows: it needs the compressed table plus one million uncompressed rows, which
 * is what lets 10M rows fit in the tab. A load that fits uncompressed is not copied at all.
 */
export const COMPACT_ROWS = 1_000_000;

/** DuckDB's row group: the fewest rows worth a compaction. */
const BATCH_OF_ROWS = 122_880;

/** Share of the engine's memory a dataset may take: the rest is for the analyses that read it. */
export const DATASET_SHARE = 0.6;

/**
 * What is offered stays 20% under the projection: compression varies along a file (a 3M-row file's first
 * million rows projected 146 MB for a whole that took 166 MB).
 */
const MARGIN = 0.8;

function size(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 2 ** 20))} MB`;
}

function bytesOf(setting: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)$/i.exec(setting.trim());
  if (!m) return Number.POSITIVE_INFINITY;
  const unit = m[2]!.toUpperCase();
  const base = unit.includes('I') ? 1024 : 1000;
  const power = { B: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 }[unit] ?? 0;
  return Number(m[1]) * base ** power;
}

async function memoryUsed(db: Db, signal?: AbortSignal): Promise<{ used: number; limit: number }> {
  const [row] = await db.query(
    `SELECT (SELECT sum(memory_usage_bytes) FROM duckdb_memory())::DOUBLE AS used, current_setting('memory_limit') AS lim`,
    signal ? { signal } : {},
  );
  return { used: Number(row?.['used'] ?? 0), limit: bytesOf(String(row?.['lim'] ?? '')) };
}

/**
 * Writes a streamed load's batches (Parquet row groups, Arrow batches) into the staging table and, in the
 * browser (`compact`), watches the engine's memory: from the first batch it projects the whole file
 * uncompressed; past the dataset's share of memory it switches to compaction (see COMPACT_ROWS) and
 * projects again from the compressed rows after each one. When even that passes the budget, the load
 * stops with `LoadTooLarge`, which says how many rows (a uniform sample) or which columns (every row)
 * would fit, before the engine is exhausted and with everything loaded before intact.
 */
export class StagingWriter {
  private created = false;
  private scratchRows = 0;
  private compacting = false;
  private checked = false;
  private before = 0;
  private compactRows = COMPACT_ROWS;

  constructor(
    private readonly db: Db,
    private readonly staging: string,
    private readonly name: string,
    private readonly file: { totalRows: number | null; names: { name: string; type: string }[] },
    private readonly options: {
      signal?: AbortSignal | undefined;
      sample?: number | undefined;
      compact?: boolean | undefined;
      /**
       * A part the user chose from an offer (a sample, some columns) is compacted as needed but not
       * refused again: its projection would only wobble around the offer's.
       */
      chosen?: boolean;
    },
  ) {}

  private get scratch(): string {
    return `${this.staging}__scratch`;
  }

  private q(sql: string) {
    return this.db.query(sql, this.options.signal ? { signal: this.options.signal } : {});
  }

  /** Memory in use before this load added anything. */
  async start(): Promise<void> {
    if (this.options.compact) this.before = (await memoryUsed(this.db, this.options.signal)).used;
  }

  get wroteAny(): boolean {
    return this.created;
  }

  /** One batch of `rows` rows, the last of the `read` rows read so far, `fraction` of the file. */
  async write(ipc: Uint8Array, rows: number, read: number, fraction: number): Promise<void> {
    const into = this.compacting ? this.scratch : this.staging;
    const create = this.compacting ? this.scratchRows === 0 : !this.created;
    await insertArrowBatch(this.db, into, ipc, { create, signal: this.options.signal, sample: this.options.sample, offset: read - rows });
    if (this.compacting) this.scratchRows += rows;
    else this.created = true;
    if (!this.options.compact || fraction <= 0 || fraction >= 1) return;
    if (!this.checked) {
      this.checked = true;
      const { projected, budget, limit } = await this.project(fraction);
      if (projected > MARGIN * budget) this.compacting = true;
      // The scratch rows and their copy are both uncompressed for a moment: keep them to a tenth of the
      // engine's memory (a million rows of 31 columns in the browser's 3.1 GB; fewer under a small limit).
      const perRow = (projected * fraction) / Math.max(1, read);
      if (Number.isFinite(limit)) this.compactRows = Math.max(BATCH_OF_ROWS, Math.min(COMPACT_ROWS, Math.floor((0.1 * limit) / perRow)));
    } else if (this.compacting && this.scratchRows >= this.compactRows) {
      await this.compact();
      const { projected, budget, limit } = await this.project(fraction);
      if (!this.options.chosen && projected > budget) await this.refuse(projected, budget, limit, read, fraction);
    }
  }

  /** Moves the scratch rows into the dataset and compresses them. */
  private async compact(): Promise<void> {
    if (this.scratchRows === 0) return;
    await this.q(`INSERT INTO ${ident(this.staging)} SELECT * FROM ${ident(this.scratch)}`);
    await this.q(`DROP TABLE ${ident(this.scratch)}`);
    await this.q('CHECKPOINT');
    this.scratchRows = 0;
  }

  private async project(fraction: number): Promise<{ projected: number; budget: number; limit: number }> {
    const { used, limit } = await memoryUsed(this.db, this.options.signal);
    const budget = Number.isFinite(limit) ? limit * DATASET_SHARE - this.before : Number.POSITIVE_INFINITY;
    return { projected: Math.max(1, used - this.before) / fraction, budget, limit };
  }

  private async refuse(projected: number, budget: number, limit: number, read: number, fraction: number): Promise<never> {
    const totalRows = this.file.totalRows ?? Math.round(read / fraction);
    const share = (MARGIN * Math.max(0, budget)) / projected;
    // Each column's part of the table, from the number of compressed data segments it takes (in memory
    // they have no block ids to count; a segment holds fewer rows the less they compress).
    const segments = await this.q(
      `SELECT column_name AS c, count(*) FILTER (WHERE segment_type <> 'VALIDITY')::DOUBLE AS b FROM pragma_storage_info(${literal(this.staging)}) GROUP BY 1`,
    );
    const total = segments.reduce((sum, r) => sum + Number(r['b']), 0);
    const names = this.file.names.map((c) => {
      const b = segments.find((r) => r['c'] === c.name);
      return { ...c, share: total > 0 && b ? Number(b['b']) / total : 1 / this.file.names.length };
    });
    const fit: LoadFit = {
      totalRows,
      rows: Math.floor(totalRows * share),
      totalColumns: names.length,
      columns: columnsThatFit(names, projected, Math.max(0, budget)),
      names,
      projectedBytes: projected,
      budgetBytes: Math.max(0, budget),
    };
    throw new LoadTooLarge(
      `"${this.name}" would take about ${size(projected)} in the in-browser engine, which has ${size(Math.max(0, budget))} left for it ` +
        `(its memory tops out near ${size(limit)}). About ${fit.rows.toLocaleString('en-US')} of its ${totalRows.toLocaleString('en-US')} rows ` +
        `(a uniform sample), or ${fit.columns} of its ${fit.totalColumns} columns with every row, would fit. Nothing loaded before was touched.`,
      fit,
    );
  }

  /** The rest of the scratch rows go into the dataset; a table-less load gets its columns from `schema`. */
  async finish(schema: () => Uint8Array): Promise<void> {
    if (this.compacting) await this.compact();
    if (!this.created) {
      await this.db.insertArrowStream(this.staging, schema(), this.options.signal ? { signal: this.options.signal } : {});
      this.created = true;
    }
  }

  /** Drops the scratch table of a load that failed or was cancelled. */
  async abandon(): Promise<void> {
    await this.db.query(`DROP TABLE IF EXISTS ${ident(this.scratch)}`).catch(() => undefined);
  }
}

/**
 * One insert of a streamed load: appended as is, or, for a uniform sample, through a scratch table
 * whose rows are kept by `sampleWhere` (positions in the file make the sample the same on every load).
 */
export async function insertArrowBatch(
  db: Db,
  table: string,
  ipc: Uint8Array,
  { create, signal, sample, offset }: { create: boolean; signal?: AbortSignal | undefined; sample?: number | undefined; offset: number },
): Promise<void> {
  if (sample === undefined || sample >= 1) {
    await db.insertArrowStream(table, ipc, { append: !create, ...(signal ? { signal } : {}) });
    return;
  }
  const batch = `${table}__batch`;
  await db.insertArrowStream(batch, ipc, signal ? { signal } : {});
  try {
    await insertSampled(db, table, batch, sample, offset, create);
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${ident(batch)}`);
  }
}

/**
 * Keeps a uniform sample of a batch: rows whose hash of (position in the file, seed) falls under the
 * fraction. Deterministic, so the same file and fraction always give the same sample.
 */
export function sampleWhere(fraction: number, offset: number, position = 'rowid'): string {
  return `hash(${ident(position)} + ${offset}, 20261206) % 1000000 < ${Math.round(fraction * 1_000_000)}`;
}

export async function insertSampled(
  db: Db,
  staging: string,
  batch: string,
  fraction: number,
  offset: number,
  create: boolean,
): Promise<void> {
  // The position is numbered, not read from `rowid`, which a user's column of that name would hide.
  const taken = new Set((await describeTable(db, batch)).map((c) => c.name.toLowerCase()));
  let position = '__lantern_row_position';
  while (taken.has(position)) position += '_';
  const numbered = `SELECT *, row_number() OVER () - 1 AS ${ident(position)} FROM ${ident(batch)}`;
  const select = `SELECT * EXCLUDE (${ident(position)}) FROM (${numbered}) WHERE ${sampleWhere(fraction, offset, position)}`;
  await db.query(create ? `CREATE TABLE ${ident(staging)} AS ${select}` : `INSERT INTO ${ident(staging)} ${select}`);
}

/** A uniform sample of a table function's rows (CSV), repeatable with its seed. */
export function sampleClause(sample: number | undefined): string {
  if (sample === undefined || sample >= 1) return '';
  return ` USING SAMPLE ${(sample * 100).toFixed(6)} PERCENT (bernoulli, 20261206)`;
}

/**
 * CSV is read by one `read_csv` the engine cannot pause, so it is checked before: DuckDB holds 1.6 bytes
 * per byte of CSV until it compacts (1M rows x 31 columns: 212 MB of CSV, 338 MB in DuckDB-WASM; gzip
 * about 4x smaller), and a file whose rows would pass the dataset's share of memory gets the offer
 * instead of a load that would exhaust the engine.
 */
export async function checkCsvFits(
  db: Db,
  reader: string,
  source: DataSource,
  gzip: boolean,
  options: { columns?: readonly string[] | undefined; sample?: number | undefined; signal?: AbortSignal | undefined },
): Promise<void> {
  const { used, limit } = await memoryUsed(db, options.signal);
  if (!Number.isFinite(limit)) return;
  const described = await db.query(`DESCRIBE SELECT * FROM ${reader}`, options.signal ? { signal: options.signal } : {});
  const names = described.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  const columnShare = options.columns ? options.columns.length / Math.max(1, names.length) : 1;
  const estimate = source.size * (gzip ? 4 : 1) * 1.6 * columnShare * (options.sample ?? 1);
  const budget = limit * DATASET_SHARE - used;
  if (estimate <= budget) return;
  const head = new TextDecoder().decode(await source.read(0, Math.min(source.size, 1 << 20)));
  const lines = Math.max(1, head.split('\n').length - 1);
  const totalRows = Math.round(((source.size * (gzip ? 4 : 1)) / Math.max(1, head.length)) * lines);
  const share = (MARGIN * Math.max(0, budget)) / estimate;
  const shared = names.map((c) => ({ ...c, share: 1 / Math.max(1, names.length) }));
  const fit: LoadFit = {
    totalRows,
    rows: Math.floor(totalRows * (options.sample ?? 1) * share),
    totalColumns: names.length,
    columns: Math.min(Math.floor(names.length * columnShare * share), columnsThatFit(shared, estimate / columnShare, Math.max(0, budget))),
    names: shared,
    projectedBytes: estimate / columnShare,
    budgetBytes: Math.max(0, budget),
  };
  throw new LoadTooLarge(
    `"${source.name}" would take about ${size(estimate)} in the in-browser engine while it loads, which has ${size(Math.max(0, budget))} left for it ` +
      `(its memory tops out near ${size(limit)}). About ${fit.rows.toLocaleString('en-US')} of its ~${totalRows.toLocaleString('en-US')} rows ` +
      `(a uniform sample), or ${fit.columns} of its ${fit.totalColumns} columns with every row, would fit. Nothing loaded before was touched.`,
    fit,
  );
}

/**
 * Compresses a table loaded in one statement (CSV, JSON) when it is large: CHECKPOINT compresses rows a
 * CREATE TABLE AS wrote (1M x 31 columns: 338 MB -> 49 MB, 1.7 s in DuckDB-WASM in Node), worth it once
 * the dataset takes a real part of the engine's memory, not for a small file.
 */
export async function compactIfLarge(db: Db, signal?: AbortSignal): Promise<void> {
  const { used, limit } = await memoryUsed(db, signal);
  if (Number.isFinite(limit) && used > limit * 0.15) await db.query('CHECKPOINT', signal ? { signal } : {});
}
