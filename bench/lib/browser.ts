/**
 * The built app in Debian's Chromium, driven by playwright-core as tests/e2e/browser.ts does: the same
 * launch flags, a vite preview server over dist/ on loopback, and a drop of real File objects.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, CHROMIUM_FLAGS } from '../../tests/helpers/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

/** Builds dist/ once per bench run; BENCH_SKIP_BUILD=1 reuses an existing build. */
export async function buildApp(root: string): Promise<void> {
  if (process.env['BENCH_SKIP_BUILD'] === '1' && existsSync(join(root, 'dist/index.html'))) return;
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'error' });
}

export async function openBuiltApp(root: string): Promise<{ server: PreviewServer; browser: Browser; page: Page; close(): Promise<void> }> {
  const server = await preview({
    root,
    configFile: join(root, 'vite.config.ts'),
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByRole('heading', { name: 'Lantern' }).waitFor();
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Puts files from disk into a hidden file input (Chromium reads them from disk, as a dragged file), so
 * the drop carries disk-backed File objects rather than a copy of the bytes pushed through the protocol.
 */
export async function stageFiles(page: Page, paths: string[]): Promise<void> {
  await page.evaluate(`(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'bench-files';
    input.style.display = 'none';
    document.body.append(input);
  })()`);
  await page.setInputFiles('#bench-files', paths);
}

/**
 * Drops the staged files (dragenter, dragover, drop with a DataTransfer, as a user's drag does) and
 * returns the ms, measured in the page, until `done` (a JS expression) is true; checked every frame.
 * An error notice ends the wait with its message.
 */
export async function dropAndTime(page: Page, done: string): Promise<number> {
  return page.evaluate(`(async () => {
    const input = document.getElementById('bench-files');
    const dt = new DataTransfer();
    for (const file of input.files) dt.items.add(file);
    const t0 = performance.now();
    for (const type of ['dragenter', 'dragover', 'drop'])
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    return await new Promise((resolve, reject) => {
      const check = () => {
        if (${done}) return resolve(performance.now() - t0);
        const error = document.querySelector('[data-testid="notice-error"]');
        if (error) return reject(new Error(error.textContent));
        requestAnimationFrame(check);
      };
      check();
    });
  })()`);
}

/** A JS expression: the page shows `count` datasets and the selected card's row count reads `rows`. */
export function cardShows(count: number, rows: number): string {
  const text = JSON.stringify(rows.toLocaleString('en-US'));
  return `document.querySelectorAll('[data-testid="dataset-item"]').length === ${count} && document.querySelector('[data-testid="dataset-rows"]')?.textContent.trim() === ${text}`;
}
