import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, dropPaths, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const TRAINING = DEMO.training;
const PRODUCTION = DEMO.production;
const LABELS = DEMO.labels;
const MODEL = DEMO.model;
/** Analyses run again from the restored data on a shared 2-core machine: generous waits. */
const LONG = { timeout: 180_000 };
const tab = (page: Page, name: string) => page.getByRole('tab', { name });
const checkRow = (page: Page, id: string) => page.locator(`[data-testid=check-row][data-id="${id}"]`);

async function loadFiles(page: Page, paths: string[]): Promise<void> {
  await dropPaths(page, paths);
  await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(3);
}

/** Drift: dataset share 0.3, amount tested with KS at 0.01 (and left open); its numbers. */
async function changeDrift(page: Page): Promise<void> {
  await tab(page, 'Drift').click();
  await page.getByTestId('drift-share').fill('0.3');
  await page.getByTestId('drift-run').click();
  await page.getByTestId('drift-summary').waitFor(LONG);
  await page.getByRole('button', { name: 'Open amount' }).click();
  await page.getByTestId('column-method-select').selectOption('ks');
  await page.getByTestId('column-threshold').fill('0.01');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => page.getByTestId('column-method').textContent(), LONG).toMatch(/^\s*ks, score .*threshold 0\.01/);
}

async function driftNumbers(page: Page) {
  await tab(page, 'Drift').click();
  await expect.poll(() => page.getByTestId('column-method').textContent(), LONG).toMatch(/^\s*ks, score .*threshold 0\.01/);
  const column = await page.getByTestId('column-method').textContent();
  await page.getByRole('button', { name: '← All columns' }).click();
  await page.getByTestId('drift-summary').waitFor(LONG);
  const state = {
    share: await page.getByTestId('drift-share').inputValue(),
    column,
    summary: await page.getByTestId('drift-summary').textContent(),
    table: await page.getByTestId('drift-row').allTextContents(),
  };
  // Leave the column open again: it is where the user was.
  await page.getByRole('button', { name: 'Open amount' }).click();
  await page.getByTestId('drift-column').waitFor(LONG);
  return state;
}

/** Performance: the threshold moved to 0.73. */
async function changePerformance(page: Page): Promise<void> {
  await tab(page, 'Performance').click();
  await page.getByTestId('threshold').waitFor(LONG);
  await page.getByTestId('threshold').fill('0.73');
  await expect.poll(() => page.getByTestId('threshold-value').textContent(), LONG).toBe('0.73');
}

async function performanceNumbers(page: Page) {
  await tab(page, 'Performance').click();
  await expect.poll(() => page.getByTestId('threshold-value').textContent(), LONG).toBe('0.73');
  // The curves and intervals at the threshold arrive after the cards: wait for the confusion matrix's title.
  await expect.poll(() => page.getByText('Confusion matrix at threshold 0.73').count(), LONG).toBe(1);
  const cards = page.locator('[data-testid^=metric-][data-testid$=-value]');
  await expect.poll(() => cards.count(), LONG).toBeGreaterThan(3);
  return { cards: await cards.allTextContents(), threshold: await page.getByTestId('threshold').inputValue() };
}

/** Checks: the dataset drift share check allows at most 0.4, and the suite ran. */
async function changeChecks(page: Page): Promise<void> {
  await tab(page, 'Checks').click();
  await checkRow(page, 'drift-share').waitFor(LONG);
  await checkRow(page, 'drift-share').getByTestId('edit-max').fill('0.4');
  await checkRow(page, 'drift-share').getByTestId('edit-max').dispatchEvent('change');
  await expect.poll(() => page.getByTestId('checks-run').textContent()).toContain('changed');
  await page.getByTestId('checks-run').click();
  await expect.poll(() => checkRow(page, 'drift-share').textContent(), LONG).toContain('<= 40');
}

async function checksNumbers(page: Page) {
  await tab(page, 'Checks').click();
  await expect.poll(() => checkRow(page, 'drift-share').textContent(), LONG).toContain('<= 40');
  return {
    max: await checkRow(page, 'drift-share').getByTestId('edit-max').inputValue(),
    attribution: await checkRow(page, 'attribution-drift').getAttribute('data-status'),
    board: await page.getByTestId('check-row').allTextContents(),
  };
}

async function allNumbers(page: Page) {
  // Checks first: reopening ran the suite again, the other views recompute as they are shown.
  return { checks: await checksNumbers(page), performance: await performanceNumbers(page), drift: await driftNumbers(page) };
}

describe('analysis settings live in the workspace', () => {
  it('drift methods and thresholds, the performance threshold and an edited check come back after a reload and an import, with identical numbers', async () => {
    const { page, errors } = await openApp(browser);
    // With the model: it is kept in the workspace, and the checks' attribution drift needs it after a reopen.
    await loadFiles(page, [TRAINING, PRODUCTION, LABELS, MODEL]);
    await expect
      .poll(() => page.getByTestId('notice-info').allTextContents(), LONG)
      .toContainEqual(expect.stringContaining('Model "model.json" loaded'));
    await changeDrift(page);
    await changePerformance(page);
    await changeChecks(page);
    const before = await allNumbers(page);
    expect(before.checks.attribution).not.toBe('not-evaluated');
    expect(before.drift.share).toBe('0.3');
    expect(before.checks.max).toBe('0.4');
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), LONG).toBe('saved');

    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(3);
    // Where the user was: the drift view with amount open.
    await expect.poll(() => tab(page, 'Drift').getAttribute('aria-selected'), LONG).toBe('true');
    await page.getByTestId('drift-column').waitFor(LONG);
    expect(await allNumbers(page)).toEqual(before);

    // Export, then import as a second workspace: the same settings and numbers.
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), LONG).toBe('saved');
    await page.getByTestId('workspaces-toggle').click();
    // The settings-only file carries every area's settings too.
    const [settingsDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-settings').click()]);
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync((await settingsDownload.path())!))['manifest.json']!));
    expect(manifest.withRows).toBe(false);
    expect(manifest.sections.drift.data).toMatchObject({ driftShare: 0.3, perColumn: { amount: { method: 'ks', threshold: 0.01 } } });
    expect(manifest.sections.performance.data).toMatchObject({ threshold: 0.73 });
    expect(manifest.sections.checks.data.suite.checks).toContainEqual(expect.objectContaining({ id: 'drift-share', max: 0.4 }));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const file = readFileSync((await download.path())!);
    await page.getByTestId('import-input').setInputFiles({ name: 'Workspace 1.lantern', mimeType: 'application/zip', buffer: file });
    await expect.poll(() => page.getByTestId('workspace-name').allTextContents(), LONG).toEqual(['Workspace 1 (2)', 'Workspace 1']);
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(3);
    await page.getByTestId('workspaces-toggle').click();
    expect(await allNumbers(page)).toEqual(before);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 900_000);

  it('a setup link carries drift and performance settings (no values) to a colleague who drops the files in another order', async () => {
    const sender = await openApp(browser);
    await loadFiles(sender.page, [TRAINING, PRODUCTION, LABELS]);
    await changeDrift(sender.page);
    await changePerformance(sender.page);
    const before = { performance: await performanceNumbers(sender.page), drift: await driftNumbers(sender.page) };
    await sender.page.getByTestId('share-setup').click();
    const link = await sender.page.getByTestId('share-link').inputValue();
    const carried = JSON.parse(Buffer.from(link.split('#setup=')[1]!, 'base64url').toString());
    expect(carried.analyses.drift).toMatchObject({ reference: 'training.csv', current: 'production.csv', driftShare: 0.3 });
    expect(carried.analyses.drift.perColumn).toEqual({ amount: { method: 'ks', threshold: 0.01 } });
    expect(carried.analyses.performance).toMatchObject({ threshold: 0.73, sources: { data: 'production.csv', labels: 'labels.csv' } });
    expect(carried.analyses.checks).toBeUndefined();
    expect(JSON.stringify(carried)).not.toMatch(/north|south|card_present|2026-/);
    await sender.page.context().close();

    const colleague = await openApp(browser, link);
    await loadFiles(colleague.page, [PRODUCTION, LABELS, TRAINING]);
    await expect.poll(() => colleague.page.getByTestId('notice-info').last().textContent(), LONG).toContain('setup is applied');
    expect({ performance: await performanceNumbers(colleague.page), drift: await driftNumbers(colleague.page) }).toEqual(before);
    expect([...sender.errors, ...colleague.errors]).toEqual([]);
  }, 900_000);
});
