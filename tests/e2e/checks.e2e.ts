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
  // What the demo's generator planted (scripts/demo/generate_demo.py): amount drifting for region = north
  // from the week of 2026-09-28, a new merchant category (crypto), 3% missing distance_from_home_km.
  it.todo(
    // The investigation drops the north drift of amount as the echo of the log-wide change of the same
    // weeks (its rows are half of that change); it ranks the performance drop at north that week instead.
    'ranks the drift of amount for region = north from 2026-09-28 as a finding of its own',
  );
  it.todo(
    // 3% missing everywhere, against none in training, is below the investigation's missing-share threshold
    // (5 points): the check suite's missing-share check fails on it; no finding names it.
    'ranks the 3% missing distance_from_home_km as a finding',
  );

  it('shows the planted problems on the Overview (findings and the check line), opens them, fails their checks, edits a threshold and exports suite and report', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    // The demo's model comes after its data: with it loaded, the preset checks attribution drift too.
    await expect
      .poll(() => page.getByTestId('notice-info').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringContaining('Model "model.json" loaded'));
    // The demo opens on the Overview: the findings over the setup the three files make.
    expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.locator('[data-testid="setup-part"][data-part="labels"]').textContent(), { timeout: 60_000 })
      .toContain('labels.csv');
    expect(await page.locator('[data-testid="setup-role"][data-role="label"]').getAttribute('data-column')).toBe('is_fraud');

    // The new category, and the model failing at north in the week the drift was planted.
    const findings = () =>
      page.getByTestId('finding').evaluateAll((els) =>
        els.map((e) => ({
          kind: e.getAttribute('data-kind'),
          segment: e.getAttribute('data-segment'),
          windowStart: e.getAttribute('data-window-start'),
          title: e.querySelector('[data-testid="finding-title"]')?.textContent ?? '',
        })),
      );
    // The failure may be narrowed further (north and far from home), but it is placed at north.
    const atNorth = (f: { kind: string | null; segment: string | null }) =>
      f.kind === 'performance' && (f.segment ?? '').split('&').includes('region=north');
    await expect.poll(async () => (await findings()).some(atNorth), { timeout: 240_000 }).toBe(true);
    const shown = await findings();
    const crypto = shown.findIndex((f) => f.kind === 'new-category' && f.title.includes('merchant_category') && f.title.includes('crypto'));
    expect(crypto, JSON.stringify(shown.slice(0, 8))).toBeGreaterThanOrEqual(0);
    expect(crypto).toBeLessThan(5);
    const north = shown.find(atNorth)!;
    expect(north.windowStart).toBe('2026-09-28');
    expect(north.title).toContain('2026-09-28');

    // The check line runs the suite from the Overview: the missing values and the drift of amount fail there.
    await page.getByTestId('overview-checks-run').click();
    await page.getByTestId('overview-checks-counts').waitFor({ timeout: 240_000 });
    const failing = await page.getByTestId('overview-check-failing').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(failing).toEqual(expect.arrayContaining(['drift:amount', 'missing:distance_from_home_km', 'categories:merchant_category']));
    expect(failing).not.toContain('drift:region');

    // A finding opens where it shows: the drift view on merchant_category, in the crypto segment.
    await page.getByTestId('finding').nth(crypto).getByTestId('finding-open').click();
    expect(await page.getByRole('tab', { name: 'Drift' }).getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.getByTestId('drift-place').getAttribute('data-segment'), { timeout: 120_000 })
      .toBe('merchant_category=crypto');

    await page.getByRole('tab', { name: 'Checks' }).click();
    const row = (id: string) => page.locator(`[data-testid="check-row"][data-id="${id}"]`);
    await expect.poll(() => row('missing:distance_from_home_km').getAttribute('data-status'), { timeout: 60_000 }).toBe('fail');
    expect(await row('performance:roc_auc').getAttribute('data-status')).toBe('fail');
    // The drift of amount concentrates at north: the preset's segment drift check says where.
    expect(await row('segment-drift:amount').getAttribute('data-status')).toBe('fail');
    expect(await row('segment-drift:amount').textContent()).toContain('region = north');
    expect(await row('categories:merchant_category').textContent()).toContain('new: crypto');
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
