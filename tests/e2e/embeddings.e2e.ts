import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStat } from '../../src/components/drift/chartData';
import { listParquet, prefixCsv, type EmbeddingCase } from '../helpers/embeddings';
import { dropFiles, launch, openApp } from './browser';

// Unit-length embeddings of Seattle's daily weather with numpy / scikit-learn numbers
// (scripts/fixtures/embeddings.py): the reference against 2014-15 days, part of them moved.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embeddings.json', import.meta.url), 'utf8')) as {
  cases: EmbeddingCase[];
};
const shift = fx.cases.find((c) => c.name === 'planted shift')!;
const encode = (text: string) => new TextEncoder().encode(text);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('embedding drift in the drift view', () => {
  it('compares a Parquet list column: the verdict, the three methods with numpy numbers, and the projection chart', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [
      { name: 'embeddings-reference.parquet', bytes: listParquet(shift.reference) },
      { name: 'embeddings-current.parquet', bytes: listParquet(shift.current) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    const embedding = page.locator('[data-testid=embedding][data-embedding=vec]');
    await embedding.getByTestId('embedding-verdict').waitFor({ timeout: 90_000 });
    expect(await embedding.getByTestId('embedding-verdict').textContent()).toBe('Embedding drift');
    expect(await embedding.getByTestId('embedding-auc').textContent()).toBe(formatStat(shift.expected.auc));
    expect(await embedding.getByTestId('embedding-distance').textContent()).toBe(formatStat(shift.expected.distance));
    expect(await embedding.getByTestId('embedding-mmd').textContent()).toMatch(new RegExp(`^${formatStat(shift.expected.mmd)} \\(p = `));
    expect(await embedding.getByTestId('embedding-verdict-line').textContent()).toContain(
      '300 reference and 300 current vectors of 24 numbers',
    );
    // The list column is compared as vectors, not listed as untested.
    expect(await page.getByTestId('drift-not-tested').count()).toBe(0);

    const chart = page.getByRole('figure', {
      name: "Embedding vec: reference and current vectors on the reference's first two principal components",
    });
    await chart.locator('svg').first().waitFor();
    expect(await chart.locator('svg circle').count()).toBe(600);
    expect(await chart.locator('figcaption').textContent()).toContain(
      `(${(100 * shift.expected.explained[0]).toFixed(1)}% and ${(100 * shift.expected.explained[1]).toFixed(1)}% of its variance)`,
    );
    expect(errors).toEqual([]);
  }, 240_000);

  it('groups numbered CSV columns into one embedding, and shows them column by column when asked (keyboard)', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [
      { name: 'emb-reference.csv', bytes: encode(prefixCsv(shift.reference)) },
      { name: 'emb-current.csv', bytes: encode(prefixCsv(shift.current)) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('drift-row').count()).toBe(1);
    const embedding = page.locator('[data-testid=embedding][data-embedding="emb_*"]');
    expect(await embedding.getByTestId('embedding-grouped').textContent()).toContain('24 numbered columns (emb_0 … emb_23) are grouped');
    await embedding.getByTestId('embedding-verdict').waitFor({ timeout: 90_000 });
    expect(await embedding.getByTestId('embedding-auc').textContent()).toBe(formatStat(shift.expected.auc));

    await embedding.getByTestId('embedding-ungroup').focus();
    await page.keyboard.press('Enter');
    // Every column tested on its own again (the setup's guesses of a label and a prediction among them
    // are listed apart, with the model's outputs).
    await expect.poll(() => page.getByTestId('drift-row').count(), { timeout: 120_000 }).toBe(25);
    expect(await page.locator('[data-testid=embedding][data-embedding="emb_*"]').count()).toBe(0);
    await page.getByTestId('embedding-regroup').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('drift-row').count(), { timeout: 120_000 }).toBe(1);
    await page.locator('[data-testid=embedding][data-embedding="emb_*"]').getByTestId('embedding-verdict').waitFor({ timeout: 90_000 });
    expect(errors).toEqual([]);
  }, 240_000);
});
