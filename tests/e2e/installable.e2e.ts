import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';
import { serveStatic } from './staticServer';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('the installable app', () => {
  it('has a valid web-app manifest with local icons that Chromium finds installable under a sub-path', async () => {
    const server = await serveStatic(resolve('dist'), { mount: '/tools/lantern/' });
    try {
      // The service worker runs, as it does for a user who installs the app.
      const { page, errors } = await openApp(browser, server.url, { serviceWorkers: 'allow' });
      const cdp = await page.context().newCDPSession(page);
      const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[]; data?: string };
      expect(manifest.url).toBe(`${server.url}manifest.webmanifest`);
      expect(manifest.errors).toEqual([]);
      const data = JSON.parse(manifest.data!) as {
        start_url: string;
        scope: string;
        display: string;
        icons: { src: string; sizes: string }[];
      };
      expect(data.display).toBe('standalone');
      // Relative URLs: the installed app opens and stays in the folder it is served from.
      expect(new URL(data.start_url, manifest.url).toString()).toBe(server.url);
      expect(new URL(data.scope, manifest.url).toString()).toBe(server.url);
      for (const icon of data.icons) {
        const url = new URL(icon.src, manifest.url);
        expect(url.origin).toBe(new URL(server.url).origin);
        const response = await page.request.get(url.toString());
        expect(response.status(), icon.src).toBe(200);
        if (icon.sizes !== 'any') expect(pngSize(await response.body()).join('x')).toBe(icon.sizes);
      }
      await expect
        .poll(async () => ((await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }).installabilityErrors, {
          timeout: 30_000,
        })
        .toEqual([]);
      // The manifest and icons are kept by the service worker, so the installed app opens offline.
      const sw = readFileSync(resolve('dist/sw.js'), 'utf8');
      for (const file of ['manifest.webmanifest', 'icons/lantern-192.png', 'icons/lantern-512.png']) expect(sw).toContain(file);
      expect(server.requests.filter((p) => !p.startsWith('/tools/lantern/'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
