import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { launch, openApp, viewSettled } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('accessibility', () => {
  it('has no serious or critical axe-core violation on the start page and in any view with the demo loaded', async () => {
    const { page, errors } = await openApp(browser);
    const found: Record<string, Awaited<ReturnType<typeof seriousViolations>>> = {};
    found['start'] = await seriousViolations(page);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    const tabs = await page.getByRole('tab').allTextContents();
    for (const name of tabs.map((t) => t.trim())) {
      await page.getByRole('tab', { name }).click();
      const tabId = await page.getByRole('tab', { name }).getAttribute('id');
      await expect.poll(() => page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tabId);
      // Let the view's first analyses draw (charts and tables come in as results arrive).
      await viewSettled(page);
      found[name] = await seriousViolations(page);
    }
    // Every view named with what axe found in it, so a failure says where to look.
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
    expect(errors).toEqual([]);
  });
});
