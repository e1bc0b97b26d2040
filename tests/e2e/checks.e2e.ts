import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('overview and checks on the bundled demo', () => {
  it('shows the planted problems at a glance, fails their checks, edits a threshold and exports suite and report', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    // The demo's model comes after its data: with it loaded, the preset checks attribution drift too.
    await expect
      .poll(() => page.getByTestId('notice-info').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringContaining('Model "model.json" loaded'));
    await page.getByRole('tab', { name: 'Overview' }).click();

    // Drift in amount (north, from week 4), 3% missing distance_from_home_km, the new "crypto" category.
    await expect.poll(() => page.getByTestId('overview-drift').textContent(), { timeout: 180_000 }).toContain('amount');
    const quality = await page.getByTestId('overview-quality').textContent();
    expect(quality).toMatch(/distance_from_home_km: 3\.0% missing/);
    expect(quality).toContain('merchant_category');
    expect(await page.getByTestId('overview-metric').count()).toBeGreaterThan(0);
    const failing = await page.getByTestId('overview-failing-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(failing).toEqual(
      expect.arrayContaining(['drift:amount', 'missing:distance_from_home_km', 'categories:merchant_category', 'performance:roc_auc']),
    );
    expect(failing).not.toContain('drift:region');
    expect(await page.getByTestId('overview-failing').textContent()).toContain('new: crypto');

    // Each item links to its detail view.
    await page.getByTestId('overview-drift').getByRole('button').click();
    expect(await page.getByRole('tab', { name: 'Drift' }).getAttribute('aria-selected')).toBe('true');

    await page.getByRole('tab', { name: 'Checks' }).click();
    const row = (id: string) => page.locator(`[data-testid="check-row"][data-id="${id}"]`);
    await expect.poll(() => row('missing:distance_from_home_km').getAttribute('data-status'), { timeout: 60_000 }).toBe('fail');
    // The demo's model is loaded: attribution drift is computed in the tab, by the core `lantern check --model` uses.
    expect(await row('attribution-drift').getAttribute('data-status')).not.toBe('not-evaluated');
    expect(await row('attribution-drift').locator('td').nth(2).textContent()).toMatch(/\d/);
    expect(await row('drift:region').getAttribute('data-status')).toBe('pass');
    expect(await row('missing:distance_from_home_km').textContent()).toContain('<= 0.50%');

    // Allow 5% missing: after a run the check passes.
    await row('missing:distance_from_home_km').getByTestId('edit-max').fill('0.05');
    await row('missing:distance_from_home_km').getByTestId('edit-max').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('checks-run').textContent()).toContain('changed');
    await page.getByTestId('checks-run').click();
    await expect.poll(() => row('missing:distance_from_home_km').getAttribute('data-status'), { timeout: 120_000 }).not.toBe('fail');
    expect(await page.getByTestId('checks-summary').textContent()).toMatch(/\d+ passed/);

    // Suite JSON and the self-contained report.
    const [suiteDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('checks-export').click()]);
    const suite = JSON.parse(readFileSync((await suiteDownload.path())!, 'utf8'));
    expect(suite.format).toBe('lantern-check-suite');
    expect(suite.checks.find((c: { id: string }) => c.id === 'missing:distance_from_home_km').max).toBe(0.05);
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('checks-report').click()]);
    const html = readFileSync((await reportDownload.path())!, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/pred-0\d{5}/);
    expect(html.length).toBeLessThan(250_000);
    // Charts render from inline SVG.
    expect(
      await page
        .getByTestId('chart-missing')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 400_000);
});
