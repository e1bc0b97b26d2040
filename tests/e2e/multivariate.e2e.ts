import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStat } from '../../src/components/drift/chartData';
import { formatNumber } from '../../src/components/format';
import { textDriftStats } from '../../src/lib/multivariate/textDrift';
import { dropFiles, launch, openApp } from './browser';

// scikit-learn's numbers (scripts/fixtures/multivariate.py): Seattle 2012-13 against the same days with
// each night's minimum dealt against the day's maximum, so that no column changes its distribution.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/reconstruction.json', import.meta.url), 'utf8')) as {
  cases: { name: string; reference: Record<string, unknown[]>; current: Record<string, unknown[]>; expected: Record<string, unknown> }[];
};
const planted = fx.cases.find((c) => c.name === 'planted joint drift')!;
const expected = planted.expected as { current_error: number; reference_error: number; threshold: { lower: number; upper: number } };

function csv(columns: Record<string, unknown[]>): Uint8Array {
  const names = Object.keys(columns);
  const lines = [names.join(',')];
  for (let r = 0; r < columns[names[0]!]!.length; r++) lines.push(names.map((c) => String(columns[c]![r] ?? '')).join(','));
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('multivariate drift in the drift view', () => {
  it('finds the planted joint drift that no column test sees, by keyboard, with scikit-learn numbers', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [
      { name: 'weather-reference.csv', bytes: csv(planted.reference) },
      { name: 'weather-current.csv', bytes: csv(planted.current) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('drifted-columns').textContent()).toBe('0 of 4');

    const section = page.getByTestId('multivariate');
    await section.getByTestId('multivariate-summary').waitFor({ timeout: 60_000 });
    // Monthly windows, as the fixture; the settings are a form: Enter in a field recomputes.
    await section.getByTestId('multivariate-windows').selectOption('month');
    await expect
      .poll(() => section.getByTestId('multivariate-current-error').textContent(), { timeout: 60_000 })
      .toBe(formatNumber(expected.current_error));
    expect(await section.getByTestId('multivariate-reference-error').textContent()).toBe(formatNumber(expected.reference_error));
    expect(await section.getByTestId('multivariate-threshold').textContent()).toBe(
      `${formatNumber(expected.threshold.lower)} – ${formatNumber(expected.threshold.upper)}`,
    );
    expect(await section.getByTestId('multivariate-verdict').textContent()).toBe('Multivariate drift');
    const chart = page.getByRole('figure', {
      name: 'Mean reconstruction error per window, reference and current, with the threshold band',
    });
    await chart.locator('svg').first().waitFor();
    expect(await chart.locator('figcaption').textContent()).toContain('Dashed: threshold band');

    // The domain classifier runs when asked (keyboard): the trees tell the two sides apart on the temperatures.
    await section.getByTestId('domain-classifier-run').focus();
    await page.keyboard.press('Enter');
    const verdict = section.getByTestId('domain-classifier-verdict');
    await expect.poll(() => verdict.count(), { timeout: 60_000 }).toBe(1);
    expect(await verdict.textContent()).toBe('The sides are told apart');
    expect(Number(await section.getByTestId('domain-classifier-auc').textContent())).toBeGreaterThan(0.8);
    expect(await section.getByTestId('domain-classifier-features').textContent()).toMatch(/^temp_m(in|ax) .*temp_m(in|ax) /);

    // A band six times as wide takes the current error in: no drift any more.
    await section.getByTestId('multivariate-sigmas').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('18');
    await page.keyboard.press('Enter');
    await expect.poll(() => section.getByTestId('multivariate-verdict').textContent(), { timeout: 60_000 }).toBe('No multivariate drift');
    expect(errors).toEqual([]);
  }, 240_000);

  it('compares a free-text column by its descriptors and a domain classifier', async () => {
    interface Movie {
      Title: string | number | null;
      'Major Genre': string | null;
      'MPAA Rating': string | null;
      'Release Date': string | null;
    }
    const movies = JSON.parse(
      readFileSync(new URL('../../node_modules/vega-datasets/data/movies.json', import.meta.url), 'utf8'),
    ) as Movie[];
    const year = (m: Movie) => Number(/(\d{4})$/.exec(m['Release Date'] ?? '')?.[1] ?? NaN);
    const line = (m: Movie) =>
      `${String(m.Title).replace(/[",]/g, '')} is a ${m['Major Genre'] ?? 'film'} rated ${m['MPAA Rating'] ?? 'unrated'}`;
    const pick = (keep: (y: number) => boolean) => movies.filter((m) => m.Title !== null && keep(year(m))).slice(0, 400);
    const [old, recent] = [pick((y) => y <= 1995), pick((y) => y >= 2005)];
    const file = (rows: Movie[]) => new TextEncoder().encode(['summary', ...rows.map(line)].join('\n') + '\n');
    const direct = textDriftStats(old.map(line), recent.map(line)).classifier!;

    const { page, errors } = await openApp(browser);
    await dropFiles(page, [
      { name: 'movies-reference.csv', bytes: file(old) },
      { name: 'movies-current.csv', bytes: file(recent) },
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(2);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });
    const column = page.locator('[data-testid=text-column][data-column=summary]');
    await column.getByTestId('text-verdict').waitFor({ timeout: 60_000 });
    expect(await column.getByTestId('text-auc').textContent()).toBe(formatStat(direct.auc));
    expect(await column.getByTestId('text-verdict').textContent()).toBe(direct.drifted ? 'Text drift' : 'No text drift');
    expect(await column.getByTestId('text-current-words').textContent()).toContain(direct.currentWords[0]!.word);
    expect(await column.getByTestId('text-descriptors').locator('tbody tr').count()).toBe(4);
    expect(errors).toEqual([]);
  }, 240_000);
});
