import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileCorpus, INTERNAL_NAMES } from '../helpers/hostileCorpus';
import { goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';
import { dropFiles, launch, openApp } from './browser';

/**
 * A representative part of the hostile corpus (tests/helpers/hostileCorpus.ts, the cases marked
 * `inApp`) dropped into the app one after another: each bad file gets a notice that names the file and
 * the problem without internal names, each good one a dataset with the rows it holds, and the dataset
 * loaded first is untouched throughout. The CLI test runs the whole corpus.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const cases = hostileCorpus().filter((c) => c.inApp && !c.argv);

describe('hostile files dropped into the app', () => {
  it('are refused with a clear message or loaded with the rows they hold', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    const { page, errors } = await openApp(browser);
    const first = goodFiles()[0]!;
    await dropFiles(page, [first]);
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe(first.name);
    let loaded = 1;
    for (const c of cases) {
      const f = c.files[0]!;
      await dropFiles(page, [f]);
      if ('refuse' in c.expect) {
        const notice = page.getByTestId('notice-error').last();
        await expect.poll(() => notice.textContent(), { message: c.name }).toContain(f.name);
        const text = (await notice.textContent()) ?? '';
        expect(text, c.name).toMatch(c.expect.refuse);
        expect(text, c.name).not.toMatch(INTERNAL_NAMES);
        await notice.getByRole('button', { name: 'Dismiss' }).click();
      } else if ('rows' in c.expect) {
        loaded++;
        await expect.poll(() => page.getByTestId('dataset-item').count(), { message: c.name }).toBe(loaded);
        await expect.poll(() => page.getByTestId('dataset-name').textContent(), { message: c.name }).toBe(f.name);
        expect(await page.getByTestId('dataset-rows').textContent(), c.name).toBe(String(c.expect.rows));
        if (f.name === 'bidi.csv') {
          // Each value is isolated, so a right-to-left override stays inside its own value.
          await expect.poll(() => page.getByTestId('top-value').filter({ hasText: 'abc' }).count()).toBe(1);
          expect(
            await page
              .getByTestId('top-value')
              .first()
              .evaluate((e) => getComputedStyle(e).unicodeBidi),
          ).toBe('isolate');
        }
      }
    }
    expect(await page.getByTestId('dataset-item').count()).toBe(loaded);
    await page.getByTestId('dataset-item').first().click();
    await expect.poll(() => page.getByTestId('dataset-name').textContent()).toBe(first.name);
    expect(await page.getByTestId('dataset-rows').textContent()).toBe(String(SAMPLE_ROWS));
    expect(errors).toEqual([]);
  }, 120_000);
});
