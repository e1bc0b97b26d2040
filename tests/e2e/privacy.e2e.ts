import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../scripts/vite/contentSecurityPolicy';
import { goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';
import { dropFiles, launch } from './browser';
import { serveStatic } from './staticServer';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** URLs that never reach a network: inline data, and blobs of the page's own origin. */
function isOwn(url: string, origin: string): boolean {
  return url.startsWith(origin + '/') || url.startsWith('data:') || url.startsWith(`blob:${origin}/`);
}

describe('privacy', () => {
  it('sends no request to any other origin during a full session, under its Content-Security-Policy', async () => {
    const server = await serveStatic(resolve('dist'), { headers: { 'content-security-policy': contentSecurityPolicy.header } });
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    const seen: string[] = [];
    const foreign: string[] = [];
    // Every request of the page, its workers and its service worker; anything foreign is also stopped.
    context.on('request', (request) => seen.push(request.url()));
    await context.route(
      (url) => !isOwn(url.toString(), origin),
      (route) => {
        foreign.push(route.request().url());
        return route.abort();
      },
    );
    await context.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        w.__violations.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
      );
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Lantern' }).waitFor();
    expect(await page.getByTestId('privacy').textContent()).toContain('stays on this device');

    for (const file of goodFiles()) {
      await dropFiles(page, [file]);
      await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe(file.name);
      await expect.poll(() => page.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
    }
    await page.getByRole('button', { name: 'Load demo' }).click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(goodFiles().length + 3);
    // Every view registered on main, with a dataset selected: charts, column summaries, preview.
    await page.getByTestId('dataset-item').last().click();
    for (const tab of await page.getByRole('tab').all()) await tab.click();
    // Drift and data quality (on main), training vs production.
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Open amount' }).click();
    await page.getByTestId('drift-column').waitFor();
    // Performance (on main): metrics with bootstrap intervals, a threshold move, charts and slices.
    await page.getByRole('tab', { name: 'Performance' }).click();
    await expect.poll(() => page.getByTestId('metric-roc_auc-value').textContent(), { timeout: 90_000 }).toMatch(/^0\.\d{4}$/);
    await page.getByTestId('threshold').fill('0.3');
    await expect.poll(() => page.getByTestId('threshold-value').textContent()).toBe('0.30');
    // Explain (on main): SHAP in the worker pool over the bundled model.
    await page.getByRole('tab', { name: 'Explain' }).click();
    await expect.poll(() => page.getByTestId('feature-match').textContent()).toContain('5 of 5 model features found');
    await page.getByTestId('explain-run').click();
    await page.getByTestId('importance-table').waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Data' }).click();
    await expect.poll(() => page.getByTestId('columns-table').textContent()).toContain('label_time');
    await page.getByLabel('Role of label_time').selectOption('ignore');
    await page.getByTestId('share-setup').click();
    expect(await page.getByTestId('share-link').inputValue()).toContain('#setup=');
    await expect.poll(() => page.getByTestId('offline-status').textContent(), { timeout: 90_000 }).toBe('Works offline');
    await expect.poll(() => page.getByTestId('engine-mode').textContent()).toContain('single-threaded');

    expect(foreign).toEqual([]);
    expect(seen.filter((url) => !isOwn(url, origin))).toEqual([]);
    expect(server.requests.filter((p) => !p.startsWith('/some/sub/path/'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
    await server.close();
  });
});
