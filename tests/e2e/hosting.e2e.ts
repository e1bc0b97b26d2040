import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('the static build', () => {
  it('runs from a plain static server under a sub-path and analyses a dropped file', async () => {
    const server = await serveStatic(resolve('dist'), { mount: '/some/sub/path/' });
    try {
      const { page, errors } = await openApp(browser, server.url);
      await dropFiles(page, [goodFiles()[0]!]);
      await expect.poll(() => page.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
      await expect.poll(() => page.getByTestId('columns-table').textContent()).toContain('north (2)');
      // The bundled demo is fetched relative to the page, so it works under the sub-path as well.
      await page.getByRole('button', { name: 'Load demo' }).click();
      await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(4);
      // Nothing was asked for outside the mount path: every URL in the build is relative.
      expect(server.requests.filter((p) => !p.startsWith('/some/sub/path/'))).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
