import type { DataSource, Db } from './db';
import { LanternError } from './errors';
import { ident, literal } from './sql';

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
 * Rows appended between two compactions of a streamed load. DuckDB keeps freshly inserted rows
 * uncompressed (1M rows x 31 columns: 319-338 MB in DuckDB-WASM) and compresses them on CHECKPOINT
 * (to 49-65 MB), so a load that checkpoints every million rows needs the compressed table plus one
 * million uncompressed rows, not the whole table uncompressed: that is what lets 10M rows fit in the tab.
 */
export const COMPACT_ROWS = 1_000_000;

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
 * Watches a streamed load (in the browser, where the engine cannot spill): compacts the staging table
 * every `COMPACT_ROWS` rows and, from the compressed size of what is in, projects the whole file. When
 * the projection passes the dataset's share of the engine's memory, the load stops with `LoadTooLarge`,
 * which says how many rows (as a uniform sample) or how many columns (every row) would fit, before the
 * engine is exhausted and while everything loaded before is intact.
 */
export class LoadBudget {
  private compactedAt = 0;
  private before: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly staging: string,
    private readonly name: string,
    private readonly file: { totalRows: number | null; names: { name: string; type: string }[] },
    private readonly signal?: AbortSignal,
    /**
     * A part the user chose from an offer (a sample, some columns) is compacted but not projected again:
     * mid-load measurements run high (the last compaction's blocks are not all released yet: 172 MB
     * measured after 2.2M of 3M rows of a table that ends at 107 MB), so the offer is on the safe side,
     * and a second projection would refuse what it offered. DuckDB's own limit still stops a load that
     * truly does not fit.
     */
    private readonly chosen = false,
  ) {}

  /** Memory in use before this load added anything. */
  async start(): Promise<void> {
    this.before = (await memoryUsed(this.db, this.signal)).used;
  }

  /** After an insert: compact when a million rows came in since the last time, then check the projection. */
  async inserted(rowsIn: number, fraction: number): Promise<void> {
    if (rowsIn - this.compactedAt < COMPACT_ROWS) return;
    await this.db.query('CHECKPOINT', this.signal ? { signal: this.signal } : {});
    this.compactedAt = rowsIn;
    if (this.before === null || fraction <= 0 || fraction >= 1) return;
    const { used, limit } = await memoryUsed(this.db, this.signal);
    if (!Number.isFinite(limit)) return;
    const mine = Math.max(1, used - this.before);
    const budget = limit * DATASET_SHARE - this.before;
    const projected = mine / fraction;
    if (this.chosen || projected <= budget) return;
    const totalRows = this.file.totalRows ?? Math.round(rowsIn / fraction);
    const share = (MARGIN * Math.max(0, budget)) / projected;
    // Each column's part of the table, from the number of compressed data segments it takes (in memory
    // they have no block ids to count; a segment holds fewer rows the less they compress).
    const blocks = await this.db.query(
      `SELECT column_name AS c, count(*) FILTER (WHERE segment_type <> 'VALIDITY')::DOUBLE AS b FROM pragma_storage_info(${literal(this.staging)}) GROUP BY 1`,
      this.signal ? { signal: this.signal } : {},
    );
    const total = blocks.reduce((sum, r) => sum + Number(r['b']), 0);
    const names = this.file.names.map((c) => {
      const b = blocks.find((r) => r['c'] === c.name);
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

  /** Compacts whatever came in since the last compaction (the end of a load). */
  async finish(rowsIn: number): Promise<void> {
    if (rowsIn > this.compactedAt) await this.db.query('CHECKPOINT', this.signal ? { signal: this.signal } : {});
  }
}

/**
 * Keeps a uniform sample of a batch: rows whose hash of (position in the file, seed) falls under the
 * fraction. Deterministic, so the same file and fraction always give the same sample.
 */
export function sampleWhere(fraction: number, offset: number): string {
  return `hash(rowid + ${offset}, 20261206) % 1000000 < ${Math.round(fraction * 1_000_000)}`;
}

export async function insertSampled(
  db: Db,
  staging: string,
  batch: string,
  fraction: number,
  offset: number,
  create: boolean,
): Promise<void> {
  const select = `SELECT * FROM ${ident(batch)} WHERE ${sampleWhere(fraction, offset)}`;
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
