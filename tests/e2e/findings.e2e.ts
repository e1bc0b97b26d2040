import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedPath, plantedScenario, plantedTruth } from '../helpers/planted';
import { dropPaths, launch, openApp } from './browser';

// Real public data with two production bugs planted (scripts/planted/generate.py): the files are dropped
// together, the way a user drops them, with no role set by hand; the label of the labels file is named
// was_late, which no rule on names reads as a label.
const SCENARIO = 'flights-late';
const scenario = plantedScenario(SCENARIO);
const truth = plantedTruth(SCENARIO);
const file = (role: string) => scenario.files.find((f) => f.role === role)!.file;
const bug = (id: string) => truth.bugs.find((b) => b.id === id)!;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Shown {
  title: string;
  kind: string;
  columns: string[];
  segment: string;
  windowStart: string;
}

async function findingsShown(page: Page): Promise<Shown[]> {
  return page.getByTestId('finding').evaluateAll((els) =>
    els.map((e) => ({
      title: e.querySelector('[data-testid="finding-title"]')?.textContent ?? '',
      kind: e.getAttribute('data-kind') ?? '',
      columns: (e.getAttribute('data-columns') ?? '').split(','),
      segment: e.getAttribute('data-segment') ?? '',
      windowStart: e.getAttribute('data-window-start') ?? '',
    })),
  );
}

/** A planted bug as the user reads it: its column, its segment and the start of its window, in the title and in the finding. */
function namesBug(f: Shown, b: ReturnType<typeof bug>): boolean {
  const segment = b.segment.map((s) => `${s.column}=${s.value}`).join('&');
  return (
    f.columns.includes(b.columns[0]!) &&
    f.segment === segment &&
    f.windowStart === b.window!.start &&
    f.title.includes(b.columns[0]!) &&
    b.segment.every((s) => f.title.includes(`${s.column} = ${s.value}`)) &&
    f.title.includes(b.window!.start)
  );
}

/** Every view's text: no message names a command-line flag. */
async function expectNoFlags(page: Page, where: string): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text.match(/.{0,60}--.{0,60}/)?.[0] ?? null, where).toBeNull();
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
const row = (card: Locator, column: string) => card.locator(`[data-testid="column-row"][data-column="${column}"]`);

describe('the Overview on real data with planted production bugs', () => {
  it('infers the roles with their reasons, ranks both bugs in the top five by column, segment and window, opens them, and follows a fixed role', async () => {
    const { page, errors } = await openApp(browser);
    await dropPaths(page, [
      plantedPath(SCENARIO, file('current')),
      plantedPath(SCENARIO, file('labels')),
      plantedPath(SCENARIO, file('reference')),
      plantedPath(SCENARIO, file('model')),
    ]);
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 120_000 }).toBe(3);
    // Files dropped together land on the Overview.
    await expect.poll(() => tab(page, 'Overview').getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');

    // The setup in one line, each choice with its reason.
    const part = (p: string) => page.locator(`[data-testid="setup-part"][data-part="${p}"]`);
    // Files load one after the other: the setup is inferred again when the last one is in.
    await expect.poll(() => part('reference').textContent(), { timeout: 120_000 }).toContain(file('reference'));
    expect(await part('labels').textContent()).toContain(file('labels'));
    expect(await part('current').textContent()).toContain(file('current'));
    const role = (r: string) => page.locator(`[data-testid="setup-role"][data-role="${r}"]`);
    expect(await role('label').getAttribute('data-column')).toBe('was_late');
    expect(await role('score').getAttribute('data-column')).toBe('p_late');
    await role('label').locator('summary').click();
    expect(await role('label').getByTestId('setup-reason').textContent()).toMatch(/only column of .* besides its id.*joined by flight_id/);

    // Ranked findings, computed as soon as the files are in.
    await expect.poll(() => page.getByTestId('finding').count(), { timeout: 240_000 }).toBeGreaterThanOrEqual(5);
    const top5 = (await findingsShown(page)).slice(0, 5);
    for (const f of top5) expect(f.title.length).toBeGreaterThan(20);
    const missing = bug('atl-recent-delay-missing');
    const unit = bug('den-distance-km');
    expect(
      top5.some((f) => namesBug(f, missing)),
      `missing values in ${missing.columns[0]} at ATL from ${missing.window!.start}: ${JSON.stringify(top5)}`,
    ).toBe(true);
    expect(
      top5.some((f) => namesBug(f, unit)),
      `unit change of ${unit.columns[0]} at DEN from ${unit.window!.start}: ${JSON.stringify(top5)}`,
    ).toBe(true);
    expect(await page.getByTestId('finding-evidence').first().textContent()).toMatch(/rows/);
    expect(await page.getByTestId('too-small-text').textContent()).toMatch(/fewer than \d+ rows and were not ranked|at least \d+ rows/);
    await expectNoFlags(page, 'Overview');

    // The Data view shows every role with its reason: the label of the labels file, the score of the log.
    await page
      .getByTestId('dataset-item')
      .filter({ hasText: file('labels') })
      .click();
    const card = page.getByTestId('dataset-card');
    expect(await card.getByTestId('dataset-part').getAttribute('data-part')).toBe('labels');
    expect(await row(card, 'was_late').getAttribute('data-role')).toBe('label');
    expect(await row(card, 'was_late').getByTestId('role-reason').textContent()).toMatch(/only column .* joined by flight_id/);
    await expectNoFlags(page, 'Data view of the labels');
    await page
      .getByTestId('dataset-item')
      .filter({ hasText: file('current') })
      .click();
    expect(await row(card, 'p_late').getAttribute('data-role')).toBe('score');
    expect(await row(card, 'p_late').getByTestId('role-reason').textContent()).toMatch(/values in \[0, 1\]/);

    // "Open" lands in the drift view on the column, in the segment and window, with the segment's own distributions.
    await tab(page, 'Overview').click();
    const unitIndex = (await findingsShown(page)).findIndex((f) => namesBug(f, unit));
    await page.getByTestId('finding').nth(unitIndex).getByTestId('finding-open').click();
    await expect.poll(() => tab(page, 'Drift').getAttribute('aria-selected')).toBe('true');
    const column = page.getByTestId('drift-column');
    await column.waitFor({ timeout: 180_000 });
    expect(await column.locator('h2').textContent()).toContain('distance_mi');
    const place = page.getByTestId('drift-place');
    expect(await place.getAttribute('data-segment')).toBe('origin=DEN');
    expect(await place.getAttribute('data-window-start')).toBe(unit.window!.start);
    await expect.poll(() => place.getByTestId('drift-place-stats').textContent(), { timeout: 120_000 }).toMatch(/rows of the log/);
    await place.locator('svg').first().waitFor({ timeout: 30_000 });
    // The segment x window breakdown, over columns nobody marked as segments: DEN is the most distant segment.
    await page.getByTestId('breakdown-row').first().waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('breakdown-row').first().getAttribute('data-segment')).toBe('origin=DEN');
    expect(await page.getByTestId('breakdown-too-small').textContent()).toMatch(/were not ranked/);
    const another = page.getByTestId('breakdown-row').nth(1);
    const anotherSegment = await another.getAttribute('data-segment');
    await another.getByTestId('breakdown-open').click();
    await expect.poll(() => place.getAttribute('data-segment'), { timeout: 60_000 }).toBe(anotherSegment);
    // Sortable by keyboard: the header is a button with aria-sort.
    await page.getByTestId('sort-rows').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Rows');
    await expectNoFlags(page, 'Drift view');

    // The Performance tab measures on the labels of the labels file.
    await tab(page, 'Performance').click();
    await expect.poll(() => page.getByTestId('metric-roc_auc-value').textContent(), { timeout: 120_000 }).toMatch(/^0\.\d{4}$/);
    await expect.poll(() => page.getByTestId('slice-table').locator('tbody tr').count(), { timeout: 120_000 }).toBeGreaterThan(1);
    expect(await page.getByTestId('slice-table').textContent()).not.toMatch(/undefined|NaN/);
    await expectNoFlags(page, 'Performance view');

    // The user takes the label away: the Overview and the Performance tab say what to do in the app.
    await page
      .getByTestId('dataset-item')
      .filter({ hasText: file('labels') })
      .click();
    await card.getByLabel('Role of was_late').selectOption('ignore');
    await expect.poll(() => row(card, 'was_late').getByTestId('role-reason').textContent()).toContain('set by you');
    await tab(page, 'Performance').click();
    await expect.poll(() => page.getByTestId('performance-problem').textContent(), { timeout: 60_000 }).toMatch(/mark the label column/);
    await expectNoFlags(page, 'Performance without a label');
    await tab(page, 'Overview').click();
    await expect
      .poll(() => page.locator('[data-testid="investigation-skipped"][data-step="performance"]').textContent(), { timeout: 240_000 })
      .toMatch(/mark the label column/);
    await expectNoFlags(page, 'Overview without a label');

    // Back to the inferred role: both follow.
    await page
      .getByTestId('dataset-item')
      .filter({ hasText: file('labels') })
      .click();
    await row(card, 'was_late')
      .getByRole('button', { name: /inferred role/ })
      .click();
    await expect.poll(() => row(card, 'was_late').getAttribute('data-role'), { timeout: 60_000 }).toBe('label');
    await tab(page, 'Performance').click();
    await expect.poll(() => page.getByTestId('metric-roc_auc-value').textContent(), { timeout: 120_000 }).toMatch(/^0\.\d{4}$/);
    await tab(page, 'Overview').click();
    await expect.poll(() => page.getByTestId('finding').count(), { timeout: 240_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-testid="investigation-skipped"][data-step="performance"]').count()).toBe(0);

    // Every other view: no flag either.
    for (const name of ['Explain', 'Checks']) {
      await tab(page, name).click();
      await expectNoFlags(page, name);
    }
    expect(errors).toEqual([]);
  }, 900_000);
});
