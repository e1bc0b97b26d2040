import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';
import { launch, openApp } from './browser';

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
    const found: Record<string, unknown> = {};
    found['start'] = await seriousViolations(page);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    const tabs = await page.getByRole('tab').allTextContents();
    for (const name of tabs.map((t) => t.trim())) {
      await page.getByRole('tab', { name }).click();
      await page.waitForTimeout(4000);
      found[name] = await seriousViolations(page);
    }
    console.log(JSON.stringify(found, null, 1));
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => (v as unknown[]).length > 0))).toEqual({});
    expect(errors).toEqual([]);
  });
});
