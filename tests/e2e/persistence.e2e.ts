import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, DEMO, dropPaths, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const TRAINING = DEMO.training;
const PRODUCTION = DEMO.production;
const LABELS = DEMO.labels;

/** The engine worker takes about 10 s to start on a 2-core machine; restores and saves wait for it. */
const LONG = { timeout: 60_000 };
const status = (page: Page) => page.getByTestId('save-status').getAttribute('data-status');
const saved = (page: Page) => expect.poll(() => status(page), LONG).toBe('saved');

/** Drops files and waits until they are loaded and the workspace saved with them. */
async function dropAndSave(page: Page, paths: string[], datasets: number): Promise<void> {
  await dropPaths(page, paths);
  await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(datasets);
  await saved(page);
}

/** What the user sees of the workspace: dataset list, the selected card, its column summaries, notes. */
async function visibleState(page: Page) {
  await expect.poll(() => page.getByTestId('column-row').first().locator('td').nth(4).textContent(), LONG).toMatch(/%/);
  await expect.poll(() => page.getByTestId('columns-table').textContent(), LONG).not.toContain('summarising');
  // Each role's reason comes with the setup, inferred again once the datasets are back.
  await expect.poll(() => page.getByTestId('columns-table').textContent(), LONG).not.toContain('reading the files');
  await expect.poll(() => page.getByTestId('preview').textContent(), LONG).toMatch(/\d/);
  return {
    datasets: await page.getByTestId('dataset-item').allTextContents(),
    name: await page.getByTestId('dataset-name').textContent(),
    rows: await page.getByTestId('dataset-rows').textContent(),
    columns: await page.getByTestId('columns-table').textContent(),
    preview: await page.getByTestId('preview').textContent(),
  };
}

/** Datasets dropped, a role changed, the second dataset selected, notes typed; then saved. */
async function buildWorkspace(page: Page): Promise<void> {
  await dropPaths(page, [TRAINING, PRODUCTION]);
  await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
  await page.getByTestId('dataset-item').nth(0).click();
  await page.getByLabel('Role of region').selectOption('segment');
  await page.getByLabel('Role of channel').selectOption('ignore');
  await page.getByTestId('dataset-item').nth(1).click();
  await page.getByTestId('workspaces-toggle').click();
  await page.getByTestId('workspace-notes').fill('north drifts from week 4');
  await saved(page);
}

async function rolesOfFirst(page: Page) {
  await page.getByTestId('dataset-item').nth(0).click();
  return [await page.getByLabel('Role of region').inputValue(), await page.getByLabel('Role of channel').inputValue()];
}

describe('workspaces that survive', () => {
  it('brings datasets, row counts, roles, selection, view and notes back after a reload, without the files', async () => {
    const { page, errors } = await openApp(browser);
    await buildWorkspace(page);
    const before = await visibleState(page);
    expect(before.name).toBe('production.csv');
    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    expect(await visibleState(page)).toEqual(before);
    await page.getByTestId('workspaces-toggle').click();
    expect(await page.getByTestId('workspace-notes').inputValue()).toBe('north drifts from week 4');
    expect(await rolesOfFirst(page)).toEqual(['segment', 'ignore']);
    expect(await page.getByTestId('workspace-size').first().textContent()).toMatch(/KB|MB · 2 datasets/);
    expect(await page.getByTestId('storage').textContent()).toMatch(/used of .* available/);
    expect(errors).toEqual([]);
  });
});

/** A context of our own (the app's tabs share its storage), optionally with a script run before the app. */
async function openInContext(initScript?: () => void) {
  // No service worker: its precache competes for the two cores, and nothing here is about offline use.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  if (initScript) await context.addInitScript(initScript);
  const errors: string[] = [];
  const open = async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(baseUrl());
    await page.getByRole('heading', { name: 'Lantern' }).waitFor();
    return page;
  };
  return { context, open, errors };
}

/** Chunk and blob counts straight from IndexedDB, read from a same-origin document that is not the app. */
async function storedChunks(page: Page): Promise<{ chunks: number; blobChunks: number }> {
  await page.goto(new URL('favicon.svg', baseUrl()).toString());
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('lantern');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const tx = request.result.transaction(['chunks', 'blobs'], 'readonly');
          const chunks = tx.objectStore('chunks').count();
          const blobs = tx.objectStore('blobs').getAll();
          tx.oncomplete = () => {
            resolve({ chunks: chunks.result, blobChunks: blobs.result.reduce((n: number, b: { chunks: number }) => n + b.chunks, 0) });
            request.result.close();
          };
        };
      }),
  );
}

function flipByteAfter(bytes: Buffer, marker: string, distance: number): Buffer {
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(marker) + distance;
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}

describe('export and import', () => {
  it('exports one .lantern file; after clearing site data the import gives identical results; bad files change nothing', async () => {
    const { context, open, errors } = await openInContext();
    const page = await open();
    await buildWorkspace(page);
    const before = await visibleState(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toBe('Workspace 1.lantern');
    const file = readFileSync((await download.path())!);

    await page.goto('about:blank');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(baseUrl()).origin, storageTypes: 'all' });
    await page.goto(baseUrl());
    await saved(page);
    expect(await page.getByTestId('dataset-item').count()).toBe(0);
    await page.getByTestId('workspaces-toggle').click();
    expect(await page.getByTestId('workspace-row').count()).toBe(1);

    const refused: [string, Buffer, RegExp][] = [
      ['tampered.lantern', flipByteAfter(file, 'PAR1', 200), /fails its SHA-256 checksum.*Nothing was imported/],
      ['truncated.lantern', file.subarray(0, Math.floor(file.length / 2)), /not a complete zip archive.*Nothing was imported/],
      ['notes.txt.lantern', Buffer.from('just text'), /not a usable Lantern workspace file/],
    ];
    for (const [name, buffer, message] of refused) {
      await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/zip', buffer });
      const notice = page.getByTestId('notice-error').last();
      await expect.poll(() => notice.textContent(), LONG).toMatch(message);
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      expect(await page.getByTestId('workspace-row').count()).toBe(1);
    }

    await page.getByTestId('import-input').setInputFiles({ name: 'Workspace 1.lantern', mimeType: 'application/zip', buffer: file });
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    expect(await visibleState(page)).toEqual(before);
    expect(await page.getByTestId('workspace-notes').inputValue()).toBe('north drifts from week 4');
    expect(await rolesOfFirst(page)).toEqual(['segment', 'ignore']);
    expect(await page.getByTestId('workspace-name').allTextContents()).toEqual(['Workspace 1 (2)', 'Workspace 1']);
    // The imported workspace is saved like any other: it is back after a reload.
    await saved(page);
    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('exports settings and column summaries without rows', async () => {
    const { context, open, errors } = await openInContext();
    const page = await open();
    await buildWorkspace(page);
    await visibleState(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-settings').click()]);
    const file = readFileSync((await download.path())!);
    expect(file.includes('PAR1')).toBe(false);
    await page.getByTestId('import-input').setInputFiles({ name: 'settings.lantern', mimeType: 'application/zip', buffer: file });
    await expect.poll(() => page.getByTestId('detached-datasets').textContent(), LONG).toContain('training.csv: 20,000 rows');
    expect(await page.getByTestId('dataset-item').count()).toBe(0);
    expect(await page.getByTestId('workspace-notes').inputValue()).toBe('north drifts from week 4');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('failures keep the last saved state', () => {
  it('a quota refusal keeps the last saved state and tells the user what to do', async () => {
    // DevTools' Storage.overrideQuotaForOrigin has no effect on this Chromium's in-memory test profiles, so
    // the refusal is simulated where the browser would raise it: storing a chunk throws QuotaExceededError.
    const { context, open, errors } = await openInContext(() => {
      const original = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if ((window as { __storageFull?: boolean }).__storageFull && this.name === 'chunks')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      } as IDBObjectStore['put'];
    });
    const page = await open();
    await dropAndSave(page, [TRAINING], 1);
    await page.evaluate(() => ((window as { __storageFull?: boolean }).__storageFull = true));
    await dropPaths(page, [PRODUCTION]);
    await expect
      .poll(() => page.getByTestId('save-error').textContent(), LONG)
      .toMatch(/quota exceeded.*last saved state is intact.*Free space by deleting/);
    expect(await status(page)).toBe('error');
    expect(await page.getByTestId('dataset-item').count()).toBe(2);
    const leftovers = await storedChunks(page);
    expect(leftovers.chunks).toBe(leftovers.blobChunks);
    await page.goto(baseUrl());
    await expect.poll(() => page.getByTestId('dataset-item').allTextContents(), LONG).toEqual([expect.stringContaining('training.csv')]);
    expect(await page.getByTestId('dataset-rows').textContent()).toBe('20,000');
    expect(await status(page)).toBe('saved');
    expect(errors).toEqual([]);
    await context.close();
  });

  // The page must stop right before the transaction that flips the workspace to its new state, with its
  // main thread free: a page frozen in a busy loop is not closed by Chromium until its hang monitor kills
  // the renderer, tens of seconds later, and its open transaction blocks every other reader until then
  // (this test used to time out that way). A transaction kept open by a chain of requests never commits,
  // and closing the page aborts it, as closing a tab does.
  it('a page closed in the middle of a save leaves the last good state, and its leftovers are collected', async () => {
    const { context, open, errors } = await openInContext(() => {
      const original = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
        const [stores, mode] = args;
        const names = typeof stores === 'string' ? [stores] : [...stores];
        const tx = original.apply(this, args);
        if ((window as { __hangOnCommit?: boolean }).__hangOnCommit && mode === 'readwrite' && names.includes('snapshots')) {
          // The new generation's chunks are committed by now (each in its own transaction); this one,
          // the flip, stays open until the page is closed.
          document.title = 'hung-before-commit';
          const keepOpen = () => {
            tx.objectStore('snapshots').count().onsuccess = keepOpen;
          };
          keepOpen();
        }
        return tx;
      } as IDBDatabase['transaction'];
    });
    const page = await open();
    await dropAndSave(page, [TRAINING], 1);
    await page.evaluate(() => ((window as { __hangOnCommit?: boolean }).__hangOnCommit = true));
    await dropPaths(page, [PRODUCTION]);
    const cdp = await browser.newBrowserCDPSession();
    await expect
      .poll(async () => {
        const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { title: string }[] };
        return targetInfos.some((t) => t.title === 'hung-before-commit');
      }, LONG)
      .toBe(true);
    await page.close({ runBeforeUnload: false });

    const inspect = await open();
    const leftovers = await storedChunks(inspect);
    expect(leftovers.chunks).toBeGreaterThan(leftovers.blobChunks);
    await inspect.goto(baseUrl());
    await expect.poll(() => inspect.getByTestId('dataset-item').allTextContents(), LONG).toEqual([expect.stringContaining('training.csv')]);
    await saved(inspect);
    const after = await storedChunks(inspect);
    expect(after.chunks).toBe(after.blobChunks);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('two tabs', () => {
  it('never overwrite each other: the second tab is read-only with a notice, and takes over after a reload', async () => {
    const { context, open, errors } = await openInContext();
    const first = await open();
    await dropAndSave(first, [TRAINING], 1);
    const second = await open();
    await expect.poll(() => second.getByTestId('readonly-notice').textContent(), LONG).toMatch(/open in another tab/);
    await expect.poll(() => second.getByTestId('dataset-item').count(), LONG).toBe(1);
    expect(await status(second)).toBe('read-only');
    await dropPaths(second, [LABELS]);
    await expect.poll(() => second.getByTestId('dataset-item').count(), LONG).toBe(2);

    await first.getByTestId('workspaces-toggle').click();
    await first.getByTestId('workspace-notes').fill('written in the first tab');
    await saved(first);
    await expect.poll(() => second.getByTestId('stale-notice').textContent(), LONG).toMatch(/changed in another tab/);
    expect(await status(second)).toBe('read-only');

    await first.close();
    await second.getByTestId('readonly-notice').getByRole('button', { name: 'Reload' }).click();
    await saved(second);
    expect(await second.getByTestId('dataset-item').allTextContents()).toEqual([expect.stringContaining('training.csv')]);
    await second.getByTestId('workspaces-toggle').click();
    expect(await second.getByTestId('workspace-notes').inputValue()).toBe('written in the first tab');
    expect(await second.getByTestId('readonly-notice').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the workspace list', () => {
  it('creates, opens, renames, duplicates and deletes (with confirmation) workspaces, and reopens the last one', async () => {
    const { context, open, errors } = await openInContext();
    const page = await open();
    await dropAndSave(page, [TRAINING], 1);
    await page.getByTestId('workspaces-toggle').click();
    const row = (name: string) => page.getByTestId('workspace-row').filter({ has: page.getByText(name, { exact: true }) });

    await row('Workspace 1').getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('rename-input').fill('Fraud study');
    await page.getByTestId('rename-input').press('Enter');
    await expect.poll(() => page.getByTestId('save-status').textContent(), LONG).toContain('Fraud study');

    await row('Fraud study').getByRole('button', { name: 'Duplicate' }).click();
    await expect.poll(() => page.getByTestId('workspace-name').allTextContents(), LONG).toContain('Fraud study (copy)');
    expect(await row('Fraud study (copy)').getByTestId('workspace-size').textContent()).toMatch(/1 datasets/);

    await page.getByRole('button', { name: 'New workspace' }).click();
    await expect.poll(() => page.getByTestId('save-status').textContent(), LONG).toContain('Workspace 3');
    expect(await page.getByTestId('dataset-item').count()).toBe(0);

    await row('Fraud study (copy)').getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByTestId('dataset-item').allTextContents(), LONG).toEqual([expect.stringContaining('training.csv')]);
    await saved(page);

    await row('Fraud study').getByRole('button', { name: 'Delete…' }).click();
    expect(await row('Fraud study').textContent()).toContain('Delete “Fraud study” and its data?');
    await row('Fraud study').getByRole('button', { name: 'Keep' }).click();
    expect(await page.getByTestId('workspace-row').count()).toBe(3);
    await row('Fraud study').getByRole('button', { name: 'Delete…' }).click();
    await row('Fraud study').getByRole('button', { name: 'Delete', exact: true }).click();
    // Most recent change first: the copy was opened, not changed, after Workspace 3 was created.
    await expect.poll(() => page.getByTestId('workspace-name').allTextContents(), LONG).toEqual(['Workspace 3', 'Fraud study (copy)']);

    await page.reload();
    await expect.poll(() => page.getByTestId('save-status').textContent(), LONG).toContain('Fraud study (copy)');
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(1);
    expect(await page.getByTestId('dataset-rows').textContent()).toBe('20,000');
    expect(errors).toEqual([]);
    await context.close();
  });
});
