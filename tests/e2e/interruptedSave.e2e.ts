import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, DEMO, dropPaths, launch } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const LONG = { timeout: 60_000 };

describe('a save cut off by a closed tab', () => {
  it('is reported on the next start, naming the dataset to drop again; what was saved before is intact', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const open = async () => {
      const page = await context.newPage();
      await page.goto(baseUrl());
      await page.getByRole('heading', { name: 'Lantern' }).waitFor();
      return page;
    };
    const page = await open();
    await dropPaths(page, [DEMO.training]);
    // Waits, inside the page, until IndexedDB shows `ready`, then returns at once.
    const until = (ready: 'saved' | 'saving') =>
      page.evaluate(
        (ready) =>
          new Promise<void>((resolve, reject) => {
            const started = Date.now();
            const poll = () => {
              const request = indexedDB.open('lantern');
              request.onerror = () => reject(request.error);
              request.onsuccess = () => {
                const db = request.result;
                const tx = db.transaction(['meta', 'blobs'], 'readonly');
                const keys = tx.objectStore('meta').getAllKeys();
                const blobs = tx.objectStore('blobs').count();
                tx.oncomplete = () => {
                  db.close();
                  const done = ready === 'saved' ? blobs.result >= 1 : keys.result.some((k) => String(k).startsWith('saveInProgress:'));
                  if (done) resolve();
                  else if (Date.now() - started > 50_000) reject(new Error(`never ${ready}`));
                  else setTimeout(poll, 2);
                };
              };
            };
            poll();
          }),
        ready,
      );
    await until('saved');
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), LONG).toBe('saved');
    await dropPaths(page, [DEMO.production]);
    // The save of the new dataset is under way: the tab closes at once.
    await until('saving');
    await page.close({ runBeforeUnload: false });
    const next = await open();
    const notice = next.getByTestId('notice-error').last();
    await expect
      .poll(() => notice.textContent(), LONG)
      .toMatch(/The last save of this workspace did not finish .* "production\.csv" was not saved\. Drop it again\./);
    await expect.poll(() => next.getByTestId('dataset-item').count(), LONG).toBe(1);
    expect(await next.getByTestId('dataset-name').textContent()).toBe('training.csv');
    await context.close();
  }, 120_000);
});
