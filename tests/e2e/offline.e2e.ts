import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';
import { dropFiles, launch, openApp } from './browser';
import { serveStatic } from './staticServer';

const DIST = resolve('dist');
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const swVersion = (page: Page) =>
  page.evaluate(async () => {
    const controller = navigator.serviceWorker.controller;
    if (!controller) return null;
    const channel = new MessageChannel();
    const reply = new Promise<string>((resolve) => (channel.port1.onmessage = (e) => resolve(String(e.data))));
    controller.postMessage({ type: 'version' }, [channel.port2]);
    return reply;
  });

/**
 * A "next build" made from this one: index.html gains a marker, and sw.js carries the new version and
 * index.html's new revision, exactly what the build would write for that change.
 */
function nextBuild(options: { wrongRevision?: boolean } = {}) {
  const oldIndex = readFileSync(resolve(DIST, 'index.html'));
  const newIndex = Buffer.from(oldIndex.toString().replace('<title>', '<meta name="lantern-build" content="next" />\n    <title>'));
  const revision = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
  const oldVersion = /version:`([0-9a-f]+)`/.exec(sw)?.[1];
  if (!oldVersion) throw new Error('no version in sw.js');
  const newSw = sw
    .replace(`version:\`${oldVersion}\``, 'version:`0000next0000`')
    .replace(revision(oldIndex), options.wrongRevision ? 'ffffffffffffffff' : revision(newIndex));
  return {
    oldVersion,
    rewrite: (path: string, bytes: Buffer) => (path === 'index.html' ? newIndex : path === 'sw.js' ? Buffer.from(newSw) : bytes),
  };
}

describe('offline after the first visit', () => {
  it('reloads and analyses a dropped file with the network cut', async () => {
    const server = await serveStatic(DIST);
    const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');
    // The network is gone: the host is shut down and the browser is offline.
    await server.close();
    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Lantern' }).waitFor();
    await dropFiles(page, [goodFiles()[3]!]); // Parquet: DuckDB's wasm and parquet-wasm both come from the cache
    await expect.poll(() => page.getByTestId('dataset-rows').textContent(), { timeout: 60_000 }).toBe(String(SAMPLE_ROWS));
    await expect.poll(() => page.getByTestId('columns-table').textContent()).toContain('north (2)');
    await page.getByRole('button', { name: 'Load demo' }).click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(4);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('updates', () => {
  it('announces a new version, keeps the old one until asked, then reloads into the new one', async () => {
    const shipped: { next?: ReturnType<typeof nextBuild> } = {};
    const server = await serveStatic(DIST, { rewrite: (path, bytes) => shipped.next?.rewrite(path, bytes) ?? bytes });
    const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');
    const next = (shipped.next = nextBuild());
    await page.reload(); // a navigation makes the browser check sw.js
    await expect.poll(() => page.getByTestId('update-banner').isVisible(), { timeout: 60_000 }).toBe(true);
    // Announced, not applied: this page and a reload still run the old build.
    expect(await swVersion(page)).toBe(next.oldVersion);
    await page.reload();
    expect(await page.locator('meta[name="lantern-build"]').count()).toBe(0);
    await expect.poll(() => page.getByTestId('update-banner').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('apply-update').click();
    await expect.poll(() => page.locator('meta[name="lantern-build"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await swVersion(page)).toBe('0000next0000');
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
    await server.close();
  });

  it('never installs a version whose files do not match its manifest', async () => {
    const shipped: { next?: ReturnType<typeof nextBuild> } = {};
    const server = await serveStatic(DIST, { rewrite: (path, bytes) => shipped.next?.rewrite(path, bytes) ?? bytes });
    const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');
    const next = (shipped.next = nextBuild({ wrongRevision: true }));
    const outcome = await page.evaluate(async () => {
      const registration = (await navigator.serviceWorker.getRegistration())!;
      const found = new Promise<ServiceWorker>((resolve) =>
        registration.addEventListener('updatefound', () => resolve(registration.installing!)),
      );
      await registration.update().catch(() => undefined);
      const worker = await found;
      return new Promise<string>((resolve) => {
        const settle = () => (worker.state === 'redundant' || worker.state === 'installed' ? resolve(worker.state) : undefined);
        worker.addEventListener('statechange', settle);
        settle();
      });
    });
    expect(outcome).toBe('redundant');
    expect(await swVersion(page)).toBe(next.oldVersion);
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    await page.reload();
    expect(await page.locator('meta[name="lantern-build"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
    await server.close();
  });
});
