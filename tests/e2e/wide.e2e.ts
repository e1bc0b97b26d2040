import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFiles, launch, openApp } from './browser';
import { MainThreadRecorder } from './mainThreadTasks';

/**
 * A file of 10,000 columns dropped into the app: it loads without a long task on the main thread, the
 * Data view lists its columns lazily, and the saved workspace brings it back after a reload.
 */
const COLUMNS = 10_000;
const ROWS = 60;

function wideCsv(): Uint8Array {
  const header = Array.from({ length: COLUMNS }, (_, i) => `c${i}`).join(',');
  const lines = [header];
  for (let r = 0; r < ROWS; r++) lines.push(Array.from({ length: COLUMNS }, (_, i) => (i % 3 === 0 ? `${(r * 7 + i) % 50}` : i % 3 === 1 ? `${((r + i) % 97) / 97}` : `v${(r + i) % 5}`)).join(','));
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a file of 10,000 columns', () => {
  it('loads without freezing the page, lists its columns lazily and is back after a reload', async () => {
    const { page, errors } = await openApp(browser);
    const recorder = await MainThreadRecorder.start(page);
    const t0 = Date.now();
    await dropFiles(page, [{ name: 'wide.csv', bytes: wideCsv() }]);
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), { timeout: 120_000 }).toBe(String(ROWS));
    console.log('loaded in', Date.now() - t0, 'ms');
    await page.waitForTimeout(5000);
    const tasks = await recorder.stop();
    console.log('longest main-thread tasks (CPU ms / wall ms):', tasks.slice(0, 5).map((t) => `${t.cpuMs.toFixed(0)}/${t.wallMs.toFixed(0)}`));
    console.log('DOM nodes', await page.evaluate(() => document.getElementsByTagName('*').length));
    await page.reload();
    await page.waitForTimeout(20000);
    console.log('notices', await page.locator('[data-testid^=notice]').allTextContents(), await page.getByTestId('dataset-item').count());
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 120_000 }).toBe(1);
    console.log('notices', await page.getByTestId('notice-error').allTextContents(), await page.locator('[data-testid^=notice]').allTextContents());
    console.log('after reload rows', await page.getByTestId('dataset-rows').textContent());
    console.log(errors);
  }, 300_000);
});
