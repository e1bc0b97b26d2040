import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, dropPaths, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const TRAINING = 'public/demo/training.csv';
const PRODUCTION = 'public/demo/production.csv';
const LABELS = 'public/demo/labels.csv';

/** The engine worker takes about 10 s to start on a 2-core machine; restores and saves wait for it. */
const LONG = { timeout: 60_000 };
const status = (page: Page) => page.getByTestId('save-status').getAttribute('data-status');
const saved = (page: Page) => expect.poll(() => status(page), LONG).toBe('saved');

/** What the user sees of the workspace: dataset list, the selected card, its column summaries, notes. */
async function visibleState(page: Page) {
  await expect.poll(() => page.getByTestId('column-row').first().locator('td').nth(3).textContent(), LONG).toMatch(/%/);
  await expect.poll(() => page.getByTestId('columns-table').textContent(), LONG).not.toContain('summarising');
  await expect.poll(() => page.getByTestId('preview').textContent(), LONG).toMatch(/\d/);
  return {
    datasets: await page.getByTestId('dataset-item').allTextContents(),
    name: await page.getByTestId('dataset-name').textContent(),
    rows: await page.getByTestId('dataset-rows').textContent(),
    columns: await page.getByTestId('columns-table').textContent(),
    preview: await page.getByTestId('preview').textContent(),
  };
}

/** Datasets dropped, a role changed, the second dataset selected, notes typed; then saved. */
async function buildWorkspace(page: Page): Promise<void> {
  await dropPaths(page, [TRAINING, PRODUCTION]);
  await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
  await page.getByTestId('dataset-item').nth(0).click();
  await page.getByLabel('Role of region').selectOption('segment');
  await page.getByLabel('Role of channel').selectOption('ignore');
  await page.getByTestId('dataset-item').nth(1).click();
  await page.getByTestId('workspaces-toggle').click();
  await page.getByTestId('workspace-notes').fill('north drifts from week 4');
  await saved(page);
}

async function rolesOfFirst(page: Page) {
  await page.getByTestId('dataset-item').nth(0).click();
  return [await page.getByLabel('Role of region').inputValue(), await page.getByLabel('Role of channel').inputValue()];
}

describe('workspaces that survive', () => {
  it('brings datasets, row counts, roles, selection, view and notes back after a reload, without the files', async () => {
    const { page, errors } = await openApp(browser);
    await buildWorkspace(page);
    const before = await visibleState(page);
    expect(before.name).toBe('production.csv');
    await page.reload();
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    expect(await visibleState(page)).toEqual(before);
    await page.getByTestId('workspaces-toggle').click();
    expect(await page.getByTestId('workspace-notes').inputValue()).toBe('north drifts from week 4');
    expect(await rolesOfFirst(page)).toEqual(['segment', 'ignore']);
    expect(await page.getByTestId('workspace-size').first().textContent()).toMatch(/KB|MB · 2 datasets/);
    expect(await page.getByTestId('storage').textContent()).toMatch(/used of .* available/);
    expect(errors).toEqual([]);
  });
});
