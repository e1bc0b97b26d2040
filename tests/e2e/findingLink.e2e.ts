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

describe('a finding as a link', () => {
  it('copies a link to a finding that reopens it where it shows for someone who loads the same files', async () => {
    const sender = await openApp(browser);
    const { page } = sender;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('load-demo').click();
    const first = page.getByTestId('finding').first();
    await first.waitFor({ timeout: 240_000 });
    const view = (await first.getByTestId('finding-open').textContent())!.replace('Open in ', '').trim();
    await first.getByTestId('finding-link').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => first.getByTestId('finding-link-status').textContent()).toBe('Link copied.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(new URL(link).hash).toMatch(/^#view=overview&finding=/);

    const colleague = await openApp(browser, link);
    await colleague.page.getByTestId('load-demo').click();
    await expect.poll(() => colleague.page.getByRole('tab', { selected: true }).textContent(), { timeout: 240_000 }).toContain(view);
    expect(new URL(colleague.page.url()).hash).not.toContain('finding=');
    // Back returns to the Overview the link opened on.
    await colleague.page.goBack();
    await expect.poll(() => colleague.page.getByRole('tab', { selected: true }).textContent()).toContain('Overview');
    expect([...sender.errors, ...colleague.errors]).toEqual([]);
  });
});
