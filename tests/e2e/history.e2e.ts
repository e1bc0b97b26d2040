import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { decodeProfile } from '../../src/lib/profiles/codec';
import { plantedPath } from '../helpers/planted';
import { dropPaths, launch, openApp } from './browser';

const DAYS = ['2001-02-05', '2001-02-06', '2001-02-07', '2001-02-08', '2001-02-09', '2001-02-10', '2001-02-11'];
const PLANTED = '2001-02-08';
const dir = mkdtempSync(join(tmpdir(), 'lantern-history-e2e-'));
const at = (name: string) => join(dir, name);

async function cli(argv: string[]): Promise<void> {
  const err: string[] = [];
  const code = await main(argv, { out: () => {}, err: (t) => err.push(t) });
  if (code !== 0) throw new Error(err.join('\n'));
}

/**
 * A week of daily profiles of the real flights-late log, as CI would write them, and January as the
 * reference. From 2001-02-08 on the model's scores are inverted and a feature is missing in half the rows.
 */
async function weekOfProfiles(): Promise<string[]> {
  const text = gunzipSync(readFileSync(plantedPath('flights-late', 'flights_2001Q1_training.csv.gz'))).toString('utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = header!.split(',');
  const [score, delay, hour] = ['p_late', 'origin_recent_delay_min', 'dep_hour'].map((n) => names.indexOf(n));
  const csv = (rows: string[][]) => [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
  const rows = lines.map((l) => l.split(','));
  const roles = ['--label', 'was_late', '--score', 'p_late'];
  writeFileSync(at('january.csv'), csv(rows.filter((r) => r[1]!.startsWith('2001-01'))));
  await cli(['profile', '--data', at('january.csv'), ...roles, '--out', at('january.lprofile')]);
  const paths = [at('january.lprofile')];
  for (const day of DAYS) {
    const planted = day >= PLANTED;
    const batch = rows
      .filter((r) => r[1]!.startsWith(day))
      .map((r) => {
        if (!planted) return r;
        const out = [...r];
        out[score!] = String(1 - Number(r[score!]));
        if (Number(r[hour!]) % 2 === 0) out[delay!] = '';
        return out;
      });
    writeFileSync(at(`${day}.csv`), csv(batch));
    await cli(['profile', '--data', at(`${day}.csv`), ...roles, '--out', at(`${day}.lprofile`)]);
    paths.push(at(`${day}.lprofile`));
  }
  // The day after the week, untouched, as a CSV the user drops later.
  const next = rows.filter((r) => r[1]!.startsWith('2001-02-12'));
  rowsOfNextDay = next.length;
  writeFileSync(at('2001-02-12.csv'), csv(next));
  return paths;
}
let rowsOfNextDay = 0;

let browser: Browser;
let paths: string[];
beforeAll(async () => {
  [browser, paths] = await Promise.all([launch(), weekOfProfiles()]);
});
afterAll(async () => {
  await browser?.close();
});

describe('the history view', () => {
  it('a week of daily profiles against January: the day the planted regression starts, kept after a reload; a dropped file added as a batch', async () => {
    const { page, errors } = await openApp(browser);
    await dropPaths(page, paths);
    // A profile is not rows: the History view opens with it.
    await page.getByTestId('history-view').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 60_000 }).toBe(7);
    expect(await page.getByTestId('history-reference').locator('option:checked').textContent()).toBe('january.lprofile');
    expect(await page.getByTestId('history-first-regression').textContent()).toBe(`Regression from ${PLANTED}.lprofile`);
    const status = await page.getByTestId('history-table').locator('tbody tr td:last-child').allTextContents();
    expect(status.map((s) => s !== 'ok')).toEqual(DAYS.map((d) => d >= PLANTED));
    const findings = await page.getByTestId('history-regression').allTextContents();
    expect(findings.some((f) => f.startsWith(`${PLANTED}.lprofile: roc_auc fell`))).toBe(true);
    expect(findings.some((f) => f.startsWith(`${PLANTED}.lprofile: origin_recent_delay_min is missing`))).toBe(true);
    // The charts of every watched figure, with their limits.
    for (const key of ['drift', 'roc_auc', 'accuracy', 'missing', 'rows']) await page.getByTestId(`history-chart-${key}`).waitFor();
    expect(await page.getByTestId('history-drift-grid').locator('thead th').count()).toBe(8);

    // A looser metric tolerance, typed by keyboard: the scores' fall still regresses, the limit is kept.
    const drop = page.getByTestId('history-metricDrop');
    await drop.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.3');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('history-first-regression').textContent()).toBe(`Regression from ${PLANTED}.lprofile`);

    // The autosave has written the new tolerance (after its debounce) before the page reloads.
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('saved');
    await page.reload();
    await page.getByRole('tab', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 60_000 }).toBe(7);
    expect(await page.getByTestId('history-metricDrop').inputValue()).toBe('0.3');
    expect(await page.getByTestId('history-first-regression').textContent()).toBe(`Regression from ${PLANTED}.lprofile`);

    // A batch made from a file as it arrives: the next day's rows, loaded, then added from the History view.
    await dropPaths(page, [at('2001-02-12.csv')]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('button', { name: 'Add 2001-02-12.csv' }).click();
    await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 60_000 }).toBe(8);
    const last = page.getByTestId('history-table').locator('tbody tr').last();
    expect(await last.locator('th').textContent()).toBe('2001-02-12.csv');
    expect(await last.locator('td').first().textContent()).toBe(String(rowsOfNextDay));
    // The profile made in the tab downloads as a file the CLI reads.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the profile of 2001-02-12.csv' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('2001-02-12.lprofile');
    const made = decodeProfile(new Uint8Array(readFileSync((await download.path())!)));
    expect(made.parts.find((p) => p.window === null && p.segment === null)!.rows).toBe(rowsOfNextDay);
    expect(errors).toEqual([]);
  });
});
