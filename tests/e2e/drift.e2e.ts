import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStat } from '../../src/components/drift/chartData';
import { dropFiles, launch, openApp } from './browser';

// scipy's numbers for the bundled demo (scripts/fixtures/drift.py): the page must show exactly these.
const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/demo.json', import.meta.url), 'utf8'));

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the drift view', () => {
  it('compares the demo training set with the production log, with scipy numbers, by keyboard', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    await page.getByRole('tab', { name: 'Drift' }).click();
    expect(await page.getByTestId('drift-reference').locator('option:checked').textContent()).toBe('training.csv');
    expect(await page.getByTestId('drift-current').locator('option:checked').textContent()).toBe('production.csv');
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });

    expect(await page.getByTestId('drifted-columns').textContent()).toBe('1 of 9');
    expect(await page.getByTestId('schema-diff').textContent()).toContain('Missing in current: is_fraud');
    // Every column's score as scipy / Evidently compute it, and the table sorted by severity.
    const rows = page.getByTestId('drift-row');
    expect(await rows.count()).toBe(9);
    for (const [name, want] of Object.entries(fx.columns) as [string, { score: number; drifted: boolean }][]) {
      const row = page.locator(`[data-testid=drift-row][data-column="${name}"]`);
      expect(await row.getByTestId('drift-score').textContent(), name).toBe(formatStat(want.score));
      expect(await row.getByTestId('drift-verdict').textContent(), name).toContain(want.drifted ? 'Drift' : 'No drift');
    }
    expect(await rows.first().getAttribute('data-column')).toBe('amount');
    expect(await page.getByTestId('drift-outputs').getByTestId('drift-row').getAttribute('data-column')).toBe('score');
    // Data quality arrives after the drift table.
    await expect
      .poll(() => page.locator('[data-testid=quality-issue][data-check=out-of-range]').count(), { timeout: 60_000 })
      .toBeGreaterThan(0);

    // Keyboard: arrow down from the first column to the second, Enter opens it, the back button returns.
    await page.getByRole('button', { name: 'Open amount' }).focus();
    await page.keyboard.press('ArrowDown');
    const second = await rows.nth(1).getAttribute('data-column');
    await page.keyboard.press('Enter');
    await page.getByTestId('drift-column').waitFor();
    expect(await page.locator('#drift-column-title').textContent()).toContain(second!);
    await page.keyboard.press('Enter'); // focus is on "All columns"
    await page.getByTestId('drift-table').waitFor();

    // The amount page: statistics, the weekly chart (drift from the planted week on), region = north first.
    await page.getByRole('button', { name: 'Open amount' }).click();
    await page.getByTestId('drift-column').waitFor();
    expect(await page.getByTestId('column-score').textContent()).toBe(formatStat(fx.columns.amount.score));
    const stat = (key: string) => page.locator(`[data-testid=column-stats] tr[data-stat=${key}] td`).textContent();
    for (const key of ['ks_statistic', 'ks_p_value', 'wasserstein', 'psi', 'jensen_shannon_distance'])
      expect(await stat(key), key).toBe(formatStat(fx.columns.amount.stats[key]));
    const windows = page.getByTestId('drift-windows').locator('li');
    await expect.poll(() => windows.count(), { timeout: 60_000 }).toBe(6);
    const scores = await page.getByTestId('window-score').allTextContents();
    expect(scores).toEqual(fx.weeks.map((w: { wasserstein_normed: number }) => formatStat(w.wasserstein_normed)));
    // The charts are named for screen readers; windows under the minimum rows turn grey and the caption
    // says so, and the minimum is the user's to change.
    await page
      .getByRole('figure', { name: 'Reference and current distributions of amount, side by side' })
      .locator('svg')
      .first()
      .waitFor();
    const overTime = page.getByTestId('drift-over-time-chart');
    expect(await overTime.locator('figcaption').textContent()).not.toContain('Grey');
    await page.getByTestId('min-support').fill('6000');
    await page.getByTestId('min-support').press('Tab');
    await expect.poll(() => overTime.locator('figcaption').textContent()).toContain('Grey: fewer than 6,000 rows (6 windows)');
    await page.getByTestId('min-support').fill('');
    await page.getByTestId('min-support').press('Tab');
    await expect.poll(() => overTime.locator('figcaption').textContent()).not.toContain('Grey');
    // The segment x window breakdown, over every column that can segment: north in the planted weeks is the most distant.
    await page.getByTestId('drift-breakdown').waitFor({ timeout: 60_000 });
    const first = page.getByTestId('breakdown-row').first();
    expect(await first.getAttribute('data-segment')).toBe('region=north');
    // Its worst cell is a week of the drift (each from 2026-09-28 on), or the run from it.
    expect(await first.locator('td').nth(1).textContent()).toMatch(/^(from 2026-09-28|2026-09-28 to|2026-10-05 to|2026-10-12 to)/);
    // Opening north over the whole log gives the segment's own distributions, with scipy's number.
    await page.getByTestId('breakdown-column').selectOption('region');
    await page.getByTestId('breakdown-every').check();
    const whole = page.locator('[data-testid=breakdown-row][data-segment="region=north"]').filter({ hasText: 'whole log' });
    await whole.getByTestId('breakdown-open').click();
    const north = fx.segments.find((s: { value: string }) => s.value === 'north');
    await expect
      .poll(() => page.getByTestId('drift-place-score').textContent(), { timeout: 60_000 })
      .toBe(formatStat(north.wasserstein_normed));
    expect(await page.getByTestId('drift-place-segment').textContent()).toBe('region = north');
    await page.getByRole('button', { name: 'Back to all rows' }).click();
    // Changing the method of the column recomputes it: KS's p-value as scipy gives it, with the large-sample warning.
    await page.getByTestId('column-method-select').selectOption('ks');
    expect(await page.getByTestId('column-threshold').inputValue()).toBe('0.05');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('column-score').textContent(), { timeout: 60_000 })
      .toBe(formatStat(fx.columns.amount.stats.ks_p_value));
    expect(await page.getByTestId('column-verdict').textContent()).toBe('Drift');
    expect(await page.getByRole('note').first().textContent()).toContain('almost any difference');
    await windows.first().waitFor({ timeout: 60_000 });
    // Selecting a window redraws the overlay for that window.
    await windows.nth(4).getByRole('button').click();
    expect(await page.getByRole('heading', { name: 'Reference and the selected window' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe('free text in the drift view', () => {
  it('lists a dropped free-text column as not tested and tests the category beside it', async () => {
    const { page, errors } = await openApp(browser);
    const csv = (offset: number) =>
      'comment,channel\n' +
      Array.from(
        { length: 200 },
        (_, i) => `the customer wrote about order ${i + offset} and asked for a refund,${['card', 'wire'][i % 2]}`,
      ).join('\n');
    await dropFiles(page, [
      { name: 'reference.csv', bytes: new TextEncoder().encode(csv(0)) },
      { name: 'current.csv', bytes: new TextEncoder().encode(csv(1000)) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('drift-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')))).toEqual(['channel']);
    expect(await page.getByTestId('drift-not-tested').textContent()).toContain('comment (free text');
    expect(errors).toEqual([]);
  });
  it('lists above the table what the comparison left out: missing, new and retyped columns, NaN and empty values, rows without a time', async () => {
    const { page, errors } = await openApp(browser);
    const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
    // amount: 2 NaN and 1 empty value in the current data, 1 NaN in the reference.
    const amount = (i: number, nan: number[], empty: number[]) => (nan.includes(i) ? 'nan' : empty.includes(i) ? '' : String(i % 17));
    const reference = `id,amount,kind,gone,code\n${rows(120, (i) => `r${i},${amount(i, [5], [])},${['a', 'b'][i % 2]},${i},${i % 5}`)}\n`;
    const current = `id,amount,kind,code,fresh\n${rows(120, (i) => `c${i},${amount(i, [3, 9], [4])},${['a', 'b'][i % 2]},x${i % 5},${i}`)}\n`;
    await dropFiles(page, [
      { name: 'reference.csv', bytes: new TextEncoder().encode(reference) },
      { name: 'current.csv', bytes: new TextEncoder().encode(current) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-reference').selectOption({ label: 'reference.csv' });
    await page.getByTestId('drift-current').selectOption({ label: 'current.csv' });
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    const notices = page.getByTestId('drift-notices');
    // Above the table.
    expect(
      await notices.evaluate((list) => Boolean(list.compareDocumentPosition(document.querySelector('[data-testid=drift-table]')!) & 4)),
    ).toBe(true);
    const notice = (kind: string) => notices.locator(`[data-kind=${kind}]`).textContent();
    expect(await notices.getByTestId('drift-notice').evaluateAll((l) => l.map((e) => e.getAttribute('data-kind')))).toEqual([
      'missing',
      'new',
      'retyped',
      'non-finite',
      'nulls',
    ]);
    expect(await notice('missing')).toContain(
      '1 column(s) of the reference are missing from the current data and were not compared: gone.',
    );
    expect(await notice('new')).toContain('not in the reference and were not compared: fresh.');
    expect(await notice('retyped')).toMatch(/code \((BIGINT|INTEGER) → VARCHAR\)/);
    expect(await notice('non-finite')).toContain('amount (1 in the reference, 2 in the current data)');
    expect(await notice('nulls')).toContain('amount (0 in the reference, 1 in the current data)');

    // One log compared with its own past: rows whose time cannot be read fall in neither window, and say so.
    const times = (i: number) =>
      i === 7 || i === 50 ? 'not a time' : i === 90 ? '' : `2024-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`;
    const log = `time,amount,kind\n${rows(120, (i) => `${times(i)},${i % 13},${['a', 'b'][i % 2]}`)}\n`;
    await dropFiles(page, [{ name: 'log.csv', bytes: new TextEncoder().encode(log) }]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-reference').selectOption({ label: 'log.csv' });
    await page.getByTestId('drift-current').selectOption({ label: 'log.csv' });
    await page.getByTestId('drift-split').fill('2024-01-15T00:00');
    await page.getByTestId('drift-run').click();
    await expect
      .poll(() => notices.locator('[data-kind=unreadable-times]').textContent(), { timeout: 120_000 })
      .toBe('3 row(s) have no readable time in time and are in neither window of the split.');
    expect(errors).toEqual([]);
  });
});
