import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, CHROMIUM_FLAGS } from '../helpers/chromium';
import { serveStatic } from './staticServer';

// A browser profile on disk, as a user's: Chromium offers no install in an incognito-like context.
const profile = mkdtempSync(join(tmpdir(), 'lantern-profile-'));
let context: BrowserContext;
beforeAll(async () => {
  context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
});
afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
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
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Lantern' }).waitFor();
      const cdp = await context.newCDPSession(page);
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
