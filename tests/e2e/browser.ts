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

/**
 * Waits until the open view has drawn what its analyses send: nothing in the tab panel says it is still
 * working (a `…` status such as "Computing…", outside buttons and charts, whose labels may be cut with a
 * `…`; `aria-busy`; a progress bar) and the panel's content stayed
 * the same over two looks `quietMs` apart. Waits as long as the view needs, never a fixed time.
 */
export async function viewSettled(page: Page, { quietMs = 400, timeout = 60_000 } = {}): Promise<void> {
  const panel = page.getByRole('tabpanel');
  const look = () =>
    panel.evaluate((el) => {
      const working =
        el.querySelector('[aria-busy="true"], progress') !== null ||
        Array.from(el.querySelectorAll('p, span, div, li, td, output, [role="status"]')).some(
          (n) => n.children.length === 0 && !n.closest('button, label, option, a, figure, svg') && n.textContent!.trim().endsWith('…'),
        );
      return working ? null : el.innerHTML;
    });
  let last: string | null = null;
  const deadline = Date.now() + timeout;
  for (;;) {
    const now = await look();
    if (now !== null && now === last) return;
    if (Date.now() > deadline) throw new Error(`the view was still changing after ${timeout} ms`);
    last = now;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}
