import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { num } from '../../src/lib/checks/evaluate';
import { versionsPath } from '../helpers/versions';
import { dropFiles, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const file = (name: string) => ({ name: name.split('/').pop()!, bytes: new Uint8Array(readFileSync(versionsPath(name))) });
interface Fixture {
  models: Record<string, { metrics: Record<string, number>; mean_abs_shap: Record<string, number> }>;
  tests: { mcnemar: Record<string, number> };
  swapped: { mcnemar: Record<string, number> };
}
const fx = JSON.parse(readFileSync(versionsPath('models/models.json'), 'utf8')) as Fixture;

const cell = (page: Page, selector: string) => page.locator(selector).textContent();
/** The number a cell shows, as the app formats it (4 significant digits). */
const shown = (v: number) => num(v);

describe('two model files dropped as champion and challenger', () => {
  it('compares them on the log, follows a labels file dropped later on the Overview, shows SHAP side by side and swaps', async () => {
    const { page, errors } = await openApp(browser);
    // The log and both model files together (the challenger listed first); the labels come later.
    await dropFiles(page, [file('models/log.csv'), file('models/challenger.json'), file('models/champion.json')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(1);
    // The champion by its name, although dropped second.
    await expect
      .poll(() => page.getByTestId('notice-info').allTextContents(), { timeout: 60_000 })
      .toContainEqual(expect.stringContaining('the Versions view compares "challenger.json" against "champion.json"'));
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByTestId('versions-verdict').waitFor({ timeout: 90_000 });
    // Without labels there is nothing to judge yet: no verdict.
    await expect.poll(() => page.getByTestId('versions-verdict').textContent(), { timeout: 90_000 }).toMatch(/label/i);
    expect(await page.getByTestId('versions-decision').count()).toBe(0);

    // The labels file dropped after the log: the Overview's verdict follows it.
    await dropFiles(page, [file('models/labels.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('versions-decision').textContent(), { timeout: 120_000 }).toBe('hold');
    expect(await page.getByTestId('versions-verdict').textContent()).toContain('challenger.json against champion.json');

    // The Versions view, by keyboard from the Overview's card.
    await page.getByTestId('versions-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('versions-view').waitFor();
    expect(await page.getByTestId('versions-mode').inputValue()).toBe('models');
    expect(await page.getByTestId('versions-model-champion').textContent()).toBe('champion.json');
    const auc = (name: string) => cell(page, `[data-testid="versions-metric"][data-metric="roc_auc"] td[data-version="${name}"]`);
    expect(await auc('champion.json')).toContain(shown(fx.models['champion.json']!.metrics['roc_auc']!));
    expect(await auc('challenger.json')).toContain(shown(fx.models['challenger.json']!.metrics['roc_auc']!));
    const tests = await page.getByTestId('versions-tests').textContent();
    expect(tests).toContain(`McNemar (b ${fx.tests.mcnemar['b']}, c ${fx.tests.mcnemar['c']})`);

    // SHAP importance side by side: every feature of either model, "not used" where a model lacks it.
    await page.getByTestId('versions-importance-chart').locator('svg').first().waitFor();
    const shap = (feature: string, model: string) =>
      cell(page, `[data-testid="versions-importance-row"][data-feature="${feature}"] td[data-model="${model}"]`);
    for (const model of ['champion.json', 'challenger.json'])
      for (const [feature, v] of Object.entries(fx.models[model]!.mean_abs_shap)) expect(await shap(feature, model)).toBe(shown(v));
    expect(await shap('doy', 'champion.json')).toBe('not used');

    // Swap: the challenger becomes the champion and the tests turn around.
    await page.getByTestId('versions-swap').click();
    await expect.poll(() => page.getByTestId('versions-model-champion').textContent(), { timeout: 30_000 }).toBe('challenger.json');
    await expect
      .poll(() => page.getByTestId('versions-tests').textContent(), { timeout: 120_000 })
      .toContain(`McNemar (b ${fx.swapped.mcnemar['b']}, c ${fx.swapped.mcnemar['c']})`);
    expect(await page.getByTestId('versions-view-verdict').textContent()).toContain('champion.json against challenger.json');
    expect(errors).toEqual([]);
  });
});
