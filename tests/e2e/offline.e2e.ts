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
function nextBuild(tag: string, options: { wrongRevision?: boolean } = {}) {
  const oldIndex = readFileSync(resolve(DIST, 'index.html'));
  const newIndex = Buffer.from(oldIndex.toString().replace('<title>', `<meta name="lantern-build" content="${tag}" />\n    <title>`));
  const revision = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8');
  const oldVersion = /version:`([0-9a-f]+)`/.exec(sw)?.[1];
  if (!oldVersion) throw new Error('no version in sw.js');
  const version = createHash('sha256').update(tag).digest('hex').slice(0, 12);
  const newSw = sw
    .replace(`version:\`${oldVersion}\``, `version:\`${version}\``)
    .replace(revision(oldIndex), options.wrongRevision ? 'ffffffffffffffff' : revision(newIndex));
  return {
    oldVersion,
    version,
    rewrite: (path: string, bytes: Buffer) => (path === 'index.html' ? newIndex : path === 'sw.js' ? Buffer.from(newSw) : bytes),
  };
}

/** The build marker of the page's index.html, or null for the first build. */
async function build(page: Page): Promise<string | null> {
  const meta = page.locator('meta[name="lantern-build"]');
  return (await meta.count()) > 0 ? meta.getAttribute('content') : null;
}

/** What the page does every hour (and the browser on navigations): ask the host for sw.js. */
const checkForUpdate = (page: Page) => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

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
  it('announces a new version and takes it on request or on the next reload, never before', async () => {
    const shipped: { next?: ReturnType<typeof nextBuild> } = {};
    const server = await serveStatic(DIST, { rewrite: (path, bytes) => shipped.next?.rewrite(path, bytes) ?? bytes });
    const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');

    // Deploy build "two": the next check finds it; it installs in the background and is announced.
    const two = (shipped.next = nextBuild('two'));
    await checkForUpdate(page);
    await expect.poll(() => page.getByTestId('update-banner').isVisible(), { timeout: 60_000 }).toBe(true);
    // Announced, not applied: this page runs the old build, served by the old worker.
    expect(await swVersion(page)).toBe(two.oldVersion);
    expect(await build(page)).toBeNull();
    await page.getByTestId('apply-update').click();
    await expect.poll(() => build(page), { timeout: 30_000 }).toBe('two');
    expect(await swVersion(page)).toBe(two.version);
    expect(await page.getByTestId('update-banner').count()).toBe(0);

    // Deploy build "three": announced again; a plain reload takes it.
    const three = (shipped.next = nextBuild('three'));
    await checkForUpdate(page);
    await expect.poll(() => page.getByTestId('update-banner').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await build(page)).toBe('two');
    await page.reload();
    await expect.poll(() => build(page), { timeout: 30_000 }).toBe('three');
    expect(await swVersion(page)).toBe(three.version);
    expect(errors).toEqual([]);
    await page.context().close();
    await server.close();
  });

  it('never installs a version whose files do not match its manifest', async () => {
    const shipped: { next?: ReturnType<typeof nextBuild> } = {};
    const server = await serveStatic(DIST, { rewrite: (path, bytes) => shipped.next?.rewrite(path, bytes) ?? bytes });
    const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');
    const next = (shipped.next = nextBuild('bad', { wrongRevision: true }));
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
    expect(await build(page)).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
    await server.close();
  });
});
