import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePredictionLog } from '../helpers/bigCsv';
import { launch, openApp } from './browser';
import { MainThreadRecorder } from './mainThreadTasks';

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
const log200k = join(dir, 'log-200k.csv');
const log2m = join(dir, 'log-2m.csv');

beforeAll(async () => {
  writePredictionLog(log200k, 200_000);
  writePredictionLog(log2m, 2_000_000);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('loading large files', () => {
  it('keeps the main thread free: no task does over 200 ms of work while 200,000 rows load', async () => {
    const { page, errors } = await openApp(browser);
    const recorder = await MainThreadRecorder.start(page);
    await page.getByTestId('file-input').setInputFiles(log200k);
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), { timeout: 60_000 }).toBe('200,000');
    await expect.poll(() => page.getByTestId('columns-table').textContent(), { timeout: 60_000 }).toContain('north (50,000)');
    const tasks = await recorder.stop();
    // The trace must have seen the load's work (decode, card render), or the bound below proves nothing.
    expect(tasks.length).toBeGreaterThan(100);
    expect(tasks.reduce((sum, t) => sum + t.cpuMs, 0)).toBeGreaterThan(50);
    console.log(
      'longest main-thread tasks (CPU ms / wall ms):',
      tasks.slice(0, 3).map((t) => `${t.cpuMs.toFixed(0)}/${t.wallMs.toFixed(0)}`),
    );
    expect(tasks.filter((t) => t.cpuMs > 200)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows progress and cancels a load, leaving loaded datasets untouched', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('file-input').setInputFiles(log200k);
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), { timeout: 60_000 }).toBe('200,000');
    await page.getByTestId('file-input').setInputFiles(log2m);
    const job = page.getByTestId('load-job');
    await job.waitFor();
    expect(await job.textContent()).toContain('log-2m.csv');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('notice-info').textContent(), { timeout: 60_000 }).toContain('cancelled');
    expect(await page.getByTestId('load-job').count()).toBe(0);
    expect(await page.getByTestId('dataset-item').count()).toBe(1);
    expect(await page.getByTestId('dataset-rows').textContent()).toBe('200,000');
    expect(errors).toEqual([]);
  });
});
