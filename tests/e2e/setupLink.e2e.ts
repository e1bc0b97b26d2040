import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPaths, launch, openApp } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const DEMO = ['training.csv', 'production.csv', 'labels.csv'].map((f) => resolve('public/demo', f));

describe('setup links', () => {
  it('carries roles, the selected dataset and the view to a colleague who drops the same files', async () => {
    const sender = await openApp(browser);
    await sender.page.getByTestId('load-demo').click();
    await expect.poll(() => sender.page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(3);
    await sender.page.getByTestId('dataset-item').nth(1).click();
    await sender.page.getByLabel('Role of channel').selectOption('segment');
    await sender.page.getByLabel('Role of amount').selectOption('ignore');
    await sender.page.getByTestId('dataset-item').nth(1).click();
    await sender.page.getByTestId('share-setup').click();
    const link = await sender.page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#setup=[A-Za-z0-9_-]+$/);
    // Names and roles only: no value from the files is in the link.
    const carried = Buffer.from(link.split('#setup=')[1]!, 'base64url').toString();
    expect(carried).toContain('production.csv');
    expect(carried).not.toMatch(/north|south|card_present|2024-/);

    const colleague = await openApp(browser, link);
    const { page } = colleague;
    await expect
      .poll(() => page.getByTestId('notice-info').first().textContent())
      .toContain('Drop "training.csv", "production.csv", "labels.csv"');
    await dropPaths(page, DEMO);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(3);
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe('production.csv');
    expect(await page.getByLabel('Role of channel').inputValue()).toBe('segment');
    expect(await page.getByLabel('Role of amount').inputValue()).toBe('ignore');
    expect(await page.getByTestId('setup-pending').count()).toBe(0);
    await expect.poll(() => page.getByTestId('notice-info').last().textContent()).toContain('setup is applied');
    expect(new URL(page.url()).hash).not.toContain('setup=');
    expect([...sender.errors, ...colleague.errors]).toEqual([]);
  });

  it('announces and ignores a bad link', async () => {
    const { page, errors } = await openApp(browser, '#setup=eyJ2IjoyfQ');
    await expect
      .poll(() => page.getByTestId('notice-error').textContent())
      .toContain('setup was ignored: it was made by a different version');
    expect(await page.getByTestId('setup-pending').count()).toBe(0);
    expect(new URL(page.url()).hash).not.toContain('setup=');
    expect(errors).toEqual([]);
  });
});
