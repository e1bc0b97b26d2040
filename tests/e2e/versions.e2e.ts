import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionsPath } from '../helpers/versions';
import { dropFiles, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(versionsPath(name))) });

describe('model versions, as a user drops the logs', () => {
  it('reads a canary (split) log, rolls it back on the Overview, and shows why in the Versions view', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [file('split_log.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(1);
    // Reached by keyboard: the Versions tab.
    const tab = page.getByRole('tab', { name: 'Versions' });
    await tab.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('versions-view').waitFor();
    await expect.poll(() => page.getByTestId('versions-mode').inputValue(), { timeout: 90_000 }).toBe('split');
    await page.getByTestId('versions-label').selectOption('late');
    await page.getByTestId('versions-threshold').fill('0.3');
    await page.getByTestId('versions-threshold').press('Tab');
    await page.getByTestId('versions-compare').click();
    await expect.poll(() => page.getByTestId('versions-view-decision').textContent(), { timeout: 120_000 }).toBe('roll back');
    const fx = JSON.parse(readFileSync(versionsPath('split.json'), 'utf8')) as { versions: Record<string, Record<string, number>> };
    const auc = await page.locator('[data-testid="versions-metric"][data-metric="roc_auc"] td[data-version="v2"]').textContent();
    expect(auc).toContain(fx.versions['v2']!['roc_auc']!.toPrecision(4));
    await page.getByTestId('versions-windows-chart').locator('svg').first().waitFor();
    await page.getByTestId('versions-traffic-chart').locator('svg').first().waitFor();
    // The Overview reads the same verdict.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('versions-decision').textContent(), { timeout: 60_000 }).toBe('roll back');
    expect(errors).toEqual([]);
  });

  it('reads a shadow (paired) log with its labels file and gives the verdict with McNemar and DeLong', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [file('paired_log.csv'), file('paired_labels.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Versions' }).click();
    await expect.poll(() => page.getByTestId('versions-mode').inputValue(), { timeout: 90_000 }).toBe('paired');
    expect(await page.getByTestId('versions-champion').inputValue()).toBe('score_v1');
    await page.getByTestId('versions-label').selectOption('late');
    await page.getByTestId('versions-threshold').fill('0.3');
    await page.getByTestId('versions-threshold').press('Tab');
    await page.getByTestId('versions-compare').click();
    await expect.poll(() => page.getByTestId('versions-view-decision').textContent(), { timeout: 120_000 }).toBe('roll back');
    const tests = await page.getByTestId('versions-tests').textContent();
    expect(tests).toContain('McNemar (b 825, c 535)');
    expect(tests).toContain("DeLong's test");
    await page.getByTestId('versions-add-checks').click();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('versions-decision').textContent(), { timeout: 60_000 }).toBe('roll back');
    expect(errors).toEqual([]);
  });
  it("follows a labels file dropped after the shadow log: the Overview's verdict is made on the labelled rows", async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [file('paired_log.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(1);
    await page.getByRole('tab', { name: 'Overview' }).click();
    // The log alone holds no label: the card says so, with no verdict.
    await expect.poll(() => page.getByTestId('versions-verdict').textContent(), { timeout: 90_000 }).toMatch(/label/i);
    expect(await page.getByTestId('versions-decision').count()).toBe(0);
    await dropFiles(page, [file('paired_labels.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect
      .poll(() => page.getByTestId('versions-decision').textContent(), { timeout: 120_000 })
      .toMatch(/^(promote|hold|roll back)$/);
    // The verdict is the labelled rows' (all of them that the labels file covers).
    const fx = JSON.parse(readFileSync(versionsPath('paired.json'), 'utf8')) as { labelled: number };
    await page.getByTestId('versions-open').click();
    await expect
      .poll(() => page.locator('[data-testid="versions-metrics"] tbody tr').first().textContent(), { timeout: 60_000 })
      .toBe(`n${fx.labelled}${fx.labelled}`);
    expect(errors).toEqual([]);
  });
});
