import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? '',
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      inPanel: !!el?.closest('[role=tabpanel]'),
      fileInput: el instanceof HTMLInputElement && el.type === 'file',
    };
  });
const selectedTab = (page: Page) => page.getByRole('tab', { selected: true }).textContent();
const hash = (page: Page) => new URLSearchParams(new URL(page.url()).hash.slice(1));

describe('views in the address and by keyboard', () => {
  it('moves between view tabs with arrows, keeps the view in the URL for Back, Forward and reload, and keeps focus where the user was', async () => {
    const { page, errors } = await openApp(browser);

    // The hidden file inputs are no Tab stops: Tab from the top of the page reaches "Open files…" directly.
    const stops: Awaited<ReturnType<typeof focused>>[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
    }
    expect(stops.some((s) => s.fileInput)).toBe(false);
    expect(stops.map((s) => s.label)).toContain('Open files…');

    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    const tablist = page.getByRole('tablist', { name: 'Views' });
    const tabIds = await tablist.getByRole('tab').evaluateAll((els) => els.map((e) => e.id));
    expect(tabIds.slice(0, 3)).toEqual(['tab-overview', 'tab-data', 'tab-drift']);
    const lastTab = tabIds[tabIds.length - 1]!;
    expect(await selectedTab(page)).toContain('Overview');
    await expect.poll(() => hash(page).get('view')).toBe('overview');
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-overview');
    // Roving tabindex: only the shown view's tab is in the Tab order.
    expect(await tablist.locator('[role=tab][tabindex="0"]').count()).toBe(1);

    // Arrows move the focus (wrapping), Home and End jump; the view changes only on Enter.
    await page.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).id).toBe('tab-data');
    await page.keyboard.press('End');
    expect((await focused(page)).id).toBe(lastTab);
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).id).toBe('tab-overview');
    await page.keyboard.press('ArrowLeft');
    expect((await focused(page)).id).toBe(lastTab);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).id).toBe('tab-drift');
    expect(await selectedTab(page)).toContain('Overview');
    await page.keyboard.press('Enter');
    await page.getByTestId('drift-view').waitFor();
    expect(await selectedTab(page)).toContain('Drift');
    expect(hash(page).get('view')).toBe('drift');
    expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-drift');
    // Tab leaves the tab list for the view.
    await page.keyboard.press('Tab');
    expect((await focused(page)).inPanel).toBe(true);

    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    // A column opened by keyboard is in the address; "All columns" returns the focus to its row.
    await page.getByRole('button', { name: 'Open amount' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('drift-column').waitFor();
    await expect.poll(() => hash(page).get('column')).toBe('amount');
    await page.keyboard.press('Enter'); // the focus is on "All columns"
    await page.getByTestId('drift-table').waitFor();
    await expect.poll(async () => (await focused(page)).label).toBe('Open amount');
    await expect.poll(() => hash(page).get('column')).toBe(null);

    // Sorting by keyboard: the header's button, Enter, aria-sort and the rows in the new order.
    const table = page.getByTestId('drift-table');
    await table.getByTestId('sort-name').focus();
    await page.keyboard.press('Enter');
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).toContain('Column');
    const names = await table.getByTestId('drift-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')!));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    await page.keyboard.press('Enter');
    expect(await table.locator('th[aria-sort="descending"]').textContent()).toContain('Column');

    // Back returns to the Overview, Forward to the Drift view; the page never leaves the app.
    await page.goBack();
    await expect.poll(() => selectedTab(page)).toContain('Overview');
    expect(hash(page).get('view')).toBe('overview');
    await page.goForward();
    await expect.poll(() => selectedTab(page)).toContain('Drift');

    // A reload (or the bookmarked address) opens the same view once the saved workspace is back.
    await page.getByRole('tab', { name: 'Performance' }).click();
    await expect.poll(() => hash(page).get('view')).toBe('performance');
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('saved');
    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    await expect.poll(() => selectedTab(page), { timeout: 30_000 }).toContain('Performance');
    expect(hash(page).get('view')).toBe('performance');
    expect(errors).toEqual([]);
  });
});
