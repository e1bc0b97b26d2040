import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badFiles, goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';
import { dropFiles, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('dropping files', () => {
  it('loads every supported format into a dataset card', async () => {
    const { page, errors } = await openApp(browser);
    for (const file of goodFiles()) {
      await dropFiles(page, [file]);
      const card = page.getByTestId('dataset-card');
      await expect.poll(() => card.getByTestId('dataset-name').textContent()).toBe(file.name);
      expect(await card.getByTestId('dataset-format').textContent()).toContain(file.format);
      expect(await card.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
      expect(await card.getByTestId('dataset-columns').textContent()).toBe('3');
    }
    expect(await page.getByTestId('dataset-item').count()).toBe(goodFiles().length);
    // Column summaries and the virtualised preview show the data itself.
    await expect.poll(() => page.getByTestId('columns-table').textContent()).toContain('north (2)');
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain('47.75');
    expect(errors).toEqual([]);
  });

  it('refuses each bad file with a clear message and keeps earlier datasets', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [goodFiles()[0]!]);
    await page.getByTestId('dataset-card').waitFor();
    for (const bad of badFiles()) {
      await dropFiles(page, [bad]);
      const notice = page.getByTestId('notice-error').last();
      await expect.poll(() => notice.textContent()).toMatch(bad.message);
      expect(await notice.textContent()).toContain(bad.name);
      await notice.getByRole('button', { name: 'Dismiss' }).click();
    }
    expect(await page.getByTestId('dataset-item').count()).toBe(1);
    expect(await page.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
    expect(errors).toEqual([]);
  });

  it('shows hostile column names and cell values as text, never as markup', async () => {
    const { page, errors } = await openApp(browser);
    const csv = `"<img src=x onerror=""window.__pwned=1"">","""; DROP TABLE x; --",select\n"<script>window.__pwned=2</script>",1,2\n`;
    await dropFiles(page, [{ name: '<b>evil</b>.csv', bytes: Buffer.from(csv) }]);
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('<b>evil</b>.csv');
    await expect.poll(() => page.getByTestId('columns-table').textContent()).toContain('"; DROP TABLE x; --');
    await expect.poll(() => page.getByTestId('preview').textContent()).toContain('<script>window.__pwned=2</script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
