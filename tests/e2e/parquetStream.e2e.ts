import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNativeDb } from '../../src/engine/nativeDb';
import { launch, openApp } from './browser';

/**
 * Parquet read by row group through the File handle. The old path read the whole file into the worker
 * and decoded it inside parquet-wasm's memory, which is wasm32 (4 GiB): the file's bytes plus the decoded
 * table had to fit there. This file is 2.3 GB of uncompressed doubles that decode to as much again, so
 * it is past that limit by construction; the streamed path holds one row group at a time.
 */
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-parquet-'));
const big = join(dir, 'wide-log.parquet');
const ROWS = 9_600_000;
const COLUMNS = 30;

beforeAll(async () => {
  const db = await openNativeDb();
  try {
    const columns = Array.from({ length: COLUMNS - 1 }, (_, c) => `(hash(i, ${c}) % 1000000) / 1000.0 AS x${c}`);
    await db.query(
      `COPY (SELECT i::DOUBLE AS id, ${columns.join(', ')} FROM range(${ROWS}) t(i))
       TO '${big}' (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 245760)`,
    );
  } finally {
    db.close();
  }
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Parquet file past the old whole-file limit', () => {
  it('is cancelled between row groups, mid-file, and nothing is left behind', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('file-input').setInputFiles(big);
    const job = page.getByTestId('load-job');
    // Wait until some row groups are in: the load is then mid-file, with progress shown per row group.
    await expect
      .poll(async () => Number(/(\d+)%/.exec((await job.textContent()) ?? '')?.[1] ?? 0), { timeout: 120_000 })
      .toBeGreaterThan(5);
    const shown = Number(/(\d+)%/.exec((await job.textContent()) ?? '')?.[1]);
    expect(shown).toBeLessThan(90);
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('notice-info').textContent(), { timeout: 60_000 }).toContain('cancelled');
    expect(await page.getByTestId('load-job').count()).toBe(0);
    expect(await page.getByTestId('dataset-item').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 300_000);

  it('loads every row of a 2.3 GB file', async () => {
    expect(statSync(big).size).toBeGreaterThan(2.2e9);
    const { page, errors } = await openApp(browser);
    await page.getByTestId('file-input').setInputFiles(big);
    await expect
      .poll(() => page.getByTestId('dataset-rows').textContent(), { timeout: 600_000, interval: 1000 })
      .toBe(ROWS.toLocaleString('en-US'));
    expect(await page.getByTestId('dataset-columns').textContent()).toBe(String(COLUMNS));
    expect(errors).toEqual([]);
  }, 900_000);
});
