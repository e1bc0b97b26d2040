import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { chromiumPath, CHROMIUM_FLAGS } from '../helpers/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** The bundled demo's files (scripts/demo/generate_demo.py), dropped by tests as a user would drop them. */
export const DEMO = {
  training: 'public/demo/training.csv',
  production: 'public/demo/production.csv',
  labels: 'public/demo/labels.csv',
  model: 'public/demo/model.json',
} as const;

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

export function baseUrl(): string {
  return inject('baseUrl');
}

/** Opens the app and fails the test on any uncaught page error. */
export async function openApp(
  browser: Browser,
  path = '',
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<{ page: Page; errors: string[] }> {
  // Only tests about offline use let the service worker run: its ~42 MB precache competes for the two cores.
  const context = await browser.newContext({ serviceWorkers: options.serviceWorkers ?? 'block' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL(path, baseUrl()).toString());
  await page.getByRole('heading', { name: 'Lantern' }).waitFor();
  return { page, errors };
}

/**
 * Drops files on the page the way a user's drag and drop does: a DataTransfer holding real File objects,
 * dispatched as dragenter, dragover and drop events on the document.
 */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const binary = atob(item.data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      dt.items.add(new File([bytes], item.name));
    }
    return dt;
  }, payload);
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent('body', type, { dataTransfer });
}

export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  await dropFiles(
    page,
    paths.map((p) => ({ name: basename(p), bytes: readFileSync(p) })),
  );
}
