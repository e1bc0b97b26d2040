import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../scripts/vite/contentSecurityPolicy';
import { goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';
import { dropFiles, launch, openApp } from './browser';
import { serveStatic } from './staticServer';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

// The header lines the README tells hosts to copy.
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

describe('cross-origin isolation', () => {
  it('runs under COOP/COEP (and the CSP header), reports the mode, and still analyses files', async () => {
    const server = await serveStatic(resolve('dist'), {
      headers: { ...ISOLATION, 'content-security-policy': contentSecurityPolicy.header },
    });
    try {
      const { page, errors } = await openApp(browser, server.url);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      await dropFiles(page, [goodFiles()[3]!]);
      await expect.poll(() => page.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
      // The synchronous build has no pthreads: isolation is reported, the engine stays on one thread.
      await expect.poll(() => page.getByTestId('engine-mode').textContent()).toMatch(/\(eh\), single-threaded; page cross-origin isolated/);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('reports a page without the headers as not isolated', async () => {
    const server = await serveStatic(resolve('dist'));
    try {
      const { page, errors } = await openApp(browser, server.url);
      await dropFiles(page, [goodFiles()[0]!]);
      await expect.poll(() => page.getByTestId('engine-mode').textContent()).toMatch(/single-threaded; page not cross-origin isolated/);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
