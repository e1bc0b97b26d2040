import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropFiles, launch, openApp } from './browser';
import { MainThreadRecorder } from './mainThreadTasks';

/**
 * A file of 10,000 columns dropped into the app: it loads without a long task on the main thread, the
 * Data view lists its columns lazily (a virtual list, summarised as they come into view), the preview
 * shows a window of columns, and the saved workspace brings it back after a reload.
 */
const COLUMNS = 10_000;
const ROWS = 40;
const LONG = { timeout: 120_000 };

/** Whole numbers, fractions and a few text values in turn, so each column kind is summarised. */
function wideCsv(): Uint8Array {
  const value = (r: number, i: number) =>
    i % 3 === 0 ? `${(r * 7 + i) % 50}` : i % 3 === 1 ? `${((r + i) % 97) / 97}` : `v${(r + i) % 5}`;
  const lines = [Array.from({ length: COLUMNS }, (_, i) => `c${i}`).join(',')];
  for (let r = 0; r < ROWS; r++) lines.push(Array.from({ length: COLUMNS }, (_, i) => value(r, i)).join(','));
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
    const started = Date.now();
    await dropFiles(page, [{ name: 'wide.csv', bytes: wideCsv() }]);
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), LONG).toBe(String(ROWS));
    expect(await page.getByTestId('dataset-columns').textContent()).toBe('10000');
    const cardMs = Date.now() - started;
    // The first columns are summarised as they show; far fewer rows are drawn than there are columns.
    const first = page.locator('[data-testid=column-row][data-column=c0]');
    await expect.poll(() => first.textContent(), LONG).toMatch(/0%/);
    const loadedMs = Date.now() - started;
    const drawn = await page.getByTestId('column-row').count();
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(200);
    // c1 holds fractions (a range), c2 text (top values).
    await expect.poll(() => page.locator('[data-testid=column-row][data-column=c2]').textContent(), LONG).toMatch(/v\d \(\d+\)/);
    const tasks = await recorder.stop();
    console.log(
      `10,000 columns: card in ${cardMs} ms, first summaries in ${loadedMs} ms; longest main-thread tasks (CPU ms / wall ms):`,
      tasks.slice(0, 3).map((t) => `${t.cpuMs.toFixed(0)}/${t.wallMs.toFixed(0)}`),
    );
    expect(tasks.length).toBeGreaterThan(100);
    expect(tasks.filter((t) => t.cpuMs > 200)).toEqual([]);

    // Scrolling far down the list draws and summarises the columns there.
    await page.getByRole('rowgroup', { name: 'Columns (scroll with the arrow keys)' }).evaluate((list) => (list.scrollTop = 36 * 6000));
    await expect.poll(() => page.locator('[data-testid=column-row][data-column^=c59]').count(), LONG).toBeGreaterThan(0);
    const far = page.locator('[data-testid=column-row][data-column^=c59]').first();
    await expect.poll(() => far.textContent(), LONG).toMatch(/%/);

    // The preview shows 50 columns at a time, and the next 50 on request.
    await expect.poll(() => page.getByTestId('preview-columns').textContent(), LONG).toContain('Columns 1–50 of 10,000');
    expect(await page.getByTestId('preview').getByRole('columnheader').count()).toBe(51);
    await page.getByRole('button', { name: 'Next columns' }).click();
    await expect.poll(() => page.getByTestId('preview').getByRole('columnheader').nth(1).textContent()).toBe('c50');
    // Row 1 of c51 (a whole-number column) holds 51 % 50.
    await expect.poll(() => page.getByTestId('preview').getByRole('cell').nth(2).textContent(), LONG).toBe('1');

    // Saved, then back after a reload with its rows and columns.
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), LONG).toBe('saved');
    console.log(`saved ${Date.now() - started} ms after the drop`);
    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(1);
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), LONG).toBe(String(ROWS));
    expect(await page.getByTestId('dataset-columns').textContent()).toBe('10000');
    await expect.poll(() => first.textContent(), LONG).toMatch(/0%/);
    expect(errors).toEqual([]);
  }, 300_000);
});
