import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNativeDb } from '../../src/engine/nativeDb';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { LoadTooLarge } from '../../src/lib/ingestFit';
import { openTestDb, testEngine } from '../helpers/db';

/**
 * The browser's loads (compact: true): the table is compressed every million rows, and a file that would
 * take more than its share of the engine's memory stops early with what fits. DuckDB-WASM only: the
 * native engine spills to disk instead.
 */
const dir = mkdtempSync(join(tmpdir(), 'lantern-fit-'));
const file = join(dir, 'long.parquet');
const csv = join(dir, 'long.csv');
const ROWS = 3_000_000;

describe.runIf(testEngine() === 'wasm')('loads that do not fit in the in-browser engine', () => {
  beforeAll(async () => {
    const native = await openNativeDb();
    try {
      const sql = `SELECT i AS id, ${Array.from({ length: 8 }, (_, c) => `(hash(i, ${c}) % 1000000007) / 1000000007.0 AS x${c}`).join(', ')}, 'seg_' || (i % 5) AS segment FROM range(${ROWS}) t(i)`;
      await native.query(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
      await native.query(`COPY (${sql} LIMIT 1000000) TO '${csv}' (FORMAT csv, HEADER true)`);
    } finally {
      native.close();
    }
  }, 120_000);

  it('compacts as it loads: a table well past the budget uncompressed fits compressed', async () => {
    const db = await openTestDb();
    // Uncompressed, 3M x (8 + 16) bytes = 72 MB: more than 0.8 x 60% of 120 MB, so the load compacts as it goes.
    await db.query(`SET memory_limit = '120MB'`);
    const loaded = await loadDataset(db, nodeParquet, await PathSource.open(file), {
      table: 'fits',
      compact: true,
      columns: ['id', 'segment'],
    });
    expect(loaded.rows).toBe(ROWS);
    const [row] = await db.query(`SELECT sum(memory_usage_bytes)::DOUBLE AS m FROM duckdb_memory()`);
    expect(Number(row?.['m'])).toBeLessThan(40e6);
  }, 120_000);

  it('stops early with what fits, leaves nothing behind, and loads the sample or the columns it offered', async () => {
    const db = await openTestDb();
    await db.query(`SET memory_limit = '250MB'`);
    const error = await loadDataset(db, nodeParquet, await PathSource.open(file), { table: 'long', compact: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadTooLarge);
    const { fit } = error as LoadTooLarge;
    expect(fit.totalRows).toBe(ROWS);
    expect(fit.totalColumns).toBe(10);
    expect(fit.rows).toBeGreaterThan(100_000);
    expect(fit.rows).toBeLessThan(ROWS);
    expect(fit.columns).toBeLessThan(10);
    expect((error as Error).message).toMatch(/would fit\. Nothing loaded before was touched\./);
    expect(await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'long%'`)).toEqual([]);

    const sample = await loadDataset(db, nodeParquet, await PathSource.open(file), {
      table: 'long_sample',
      compact: true,
      sample: fit.rows / fit.totalRows,
    });
    expect(Math.abs(sample.rows - fit.rows) / fit.rows).toBeLessThan(0.02);
    // The user takes one of the two offers; the other is tried on its own.
    await db.query('DROP TABLE long_sample');
    const columns = [...fit.names]
      .sort((a, b) => a.share - b.share)
      .slice(0, fit.columns)
      .map((c) => c.name);
    expect(columns).toContain('segment');
    const narrow = await loadDataset(db, nodeParquet, await PathSource.open(file), { table: 'long_cols', compact: true, columns });
    expect([narrow.rows, narrow.columns.length]).toEqual([ROWS, columns.length]);
  }, 180_000);

  it('checks a CSV before reading it, from its size', async () => {
    const db = await openTestDb();
    await db.query(`SET memory_limit = '120MB'`);
    const error = await loadDataset(db, nodeParquet, await PathSource.open(csv), { table: 'csv_long', compact: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadTooLarge);
    const { fit } = error as LoadTooLarge;
    expect(fit.totalColumns).toBe(10);
    expect(Math.abs(fit.totalRows - 1_000_000) / 1_000_000).toBeLessThan(0.05);
    const sample = await loadDataset(db, nodeParquet, await PathSource.open(csv), {
      table: 'csv_sample',
      compact: true,
      sample: fit.rows / fit.totalRows,
    });
    expect(Math.abs(sample.rows - fit.rows) / fit.rows).toBeLessThan(0.05);
  }, 120_000);
});
