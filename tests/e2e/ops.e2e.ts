import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPaths, launch, openApp } from './browser';

const path = (name: string) => new URL(`../fixtures/ops/${name}`, import.meta.url).pathname;
type Stats = {
  count: number;
  latency_p50: number | null;
  latency_p95: number | null;
  latency_p99: number | null;
  error_rate: number | null;
};
const ops = JSON.parse(readFileSync(path('ops.json'), 'utf8')) as Record<
  string,
  { overall: Stats; windows: (Stats & { start: string })[] }
>;
// As the view shows them: six significant digits, error rates as percentages with two decimals.
const num = (v: number | null) => (v === null ? 'undefined' : Number(v.toPrecision(6)).toString());
const pct = (v: number | null) => (v === null ? 'undefined' : `${(v * 100).toFixed(2)}%`);
const cells = (s: Stats) => [
  s.count.toLocaleString('en-US'),
  num(s.latency_p50),
  num(s.latency_p95),
  num(s.latency_p99),
  pct(s.error_rate),
];
const LONG = { timeout: 90_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('Operations view', () => {
  it('shows latency percentiles and error rates equal to numpy, per day, against the reference, and the planted regression', async () => {
    const { page, errors } = await openApp(browser);
    await dropPaths(page, [path('service_log.csv'), path('service_reference.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), LONG).toBe(2);
    await page.getByRole('tab', { name: 'Operations' }).click();

    // Latency and status inferred from their names; error values (error, failed, timeout) from the values.
    const current = page.getByTestId('ops-overall-current').locator('td');
    await expect.poll(() => current.allTextContents(), LONG).toEqual(['this log', ...cells(ops['text']!.overall)]);
    expect(await page.getByTestId('ops-latency').inputValue()).toBe('latency_ms');
    expect(await page.getByTestId('ops-status').inputValue()).toBe('status');

    // The reference period, chosen by keyboard: focus the select and type the start of its name.
    if ((await page.getByTestId('ops-reference').inputValue()) === '') {
      await page.getByTestId('ops-reference').focus();
      await page.keyboard.type('service_ref');
    }
    const reference = page.getByTestId('ops-overall-reference').locator('td');
    await expect.poll(() => reference.allTextContents(), LONG).toEqual(['reference', ...cells(ops['reference']!.overall)]);

    // Per day, as numpy has it.
    await page.getByTestId('ops-latency-chart').locator('svg').first().waitFor(LONG);
    await page.getByTestId('ops-error-chart').locator('svg').first().waitFor(LONG);
    const rows = await page
      .getByTestId('ops-windows')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent?.trim() ?? '')));
    expect(rows.length).toBe(ops['text']!.windows.length);
    for (const [i, w] of ops['text']!.windows.entries()) expect(rows[i], w.start).toEqual([w.start.slice(0, 10), ...cells(w)]);

    // By origin, by keyboard (focus the select, type the column's name): ORD's requests got four times
    // slower, against ORD in the reference.
    await page.getByTestId('ops-by').focus();
    await page.keyboard.type('origin');
    await expect.poll(() => page.getByTestId('ops-by').inputValue()).toBe('origin');
    await expect.poll(() => page.getByTestId('ops-regressions').textContent(), LONG).toContain('origin = ORD');

    // Only timeouts as errors (untick the others, by mouse): the error rate follows.
    for (const v of ['ERROR', 'failed']) await page.getByTestId('ops-error-values').getByLabel(v).uncheck();
    await expect.poll(() => current.allTextContents(), LONG).toEqual(['this log', ...cells(ops['text_timeout_only']!.overall)]);

    // Checks from here: p95 latency and error rate against the reference, run on the Checks board.
    await page.getByTestId('ops-add-checks').click();
    await page.getByRole('tab', { name: 'Checks' }).click();
    const row = (id: string) => page.locator(`[data-testid="check-row"][data-id="${id}"]`);
    await expect.poll(() => row('latency-p95').getAttribute('data-status'), LONG).toBe('pass');
    expect(await row('error-rate').getAttribute('data-status')).toBe('pass');
    expect(await row('latency-p95').textContent()).toContain(`latency p95 ${Number(ops['text']!.overall.latency_p95!.toPrecision(4))}`);
    expect(errors).toEqual([]);
  });
});
