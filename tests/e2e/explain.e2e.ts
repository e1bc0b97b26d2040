import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModel } from '../../src/lib/model/load';
import { PathDependentExplainer } from '../../src/lib/shap/pathDependent';
import { featureOrder, meanAbsShap } from '../../src/lib/shap/summaries';
import { dropFiles, launch, openApp } from './browser';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'public', 'demo');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'shap');

/**
 * The numbers the Explain tab should show for the demo, computed here in Node by the same core from the
 * CSV (the app samples every k-th row, k = ceil(rows / 2000), in file order).
 */
function expectedDemo(file: string) {
  const model = parseModel(new Uint8Array(readFileSync(join(DEMO, 'model.json'))));
  const [header, ...lines] = readFileSync(join(DEMO, file), 'utf8').trim().split('\n');
  const names = header!.split(',');
  const index = model.featureNames.map((f) => names.indexOf(f));
  const every = Math.ceil(lines.length / 2000);
  const sampled = lines.filter((_, i) => i % every === 0).slice(0, 2000);
  const F = model.featureNames.length;
  const X = new Float64Array(sampled.length * F);
  sampled.forEach((line, r) => {
    const cells = line.split(',');
    index.forEach((c, f) => (X[r * F + f] = cells[c] === '' ? NaN : Number(cells[c])));
  });
  const explainer = new PathDependentExplainer(model);
  const importance = meanAbsShap(explainer.explain(X, sampled.length));
  const row = (id: string) => {
    const cells = lines.find((l) => l.startsWith(`${id},`))!.split(',');
    const x = Float64Array.from(index.map((c) => (cells[c] === '' ? NaN : Number(cells[c]))));
    const shap = explainer.explain(x, 1);
    return shap.values.reduce((a, b) => a + b, shap.expectedValue[0]!);
  };
  return { model, importance: featureOrder(importance).map((f) => [model.featureNames[f]!, importance[f]!.toPrecision(4)]), row };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('explaining a model', () => {
  it('explains the demo model: replay, importance, waterfall and drift show the core numbers', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('button', { name: 'Load demo' }).click();
    await expect
      .poll(() => page.getByTestId('notice-info').last().textContent(), { timeout: 60_000 })
      .toContain('Model "model.json" loaded');
    await page.getByRole('tab', { name: 'Explain' }).click();
    expect(await page.getByTestId('model-format').textContent()).toBe('xgboost-json');
    expect(await page.getByTestId('model-objective').textContent()).toBe('binary:logistic');
    await expect.poll(() => page.getByTestId('feature-match').textContent()).toContain('5 of 5 model features found');
    await page.getByTestId('explain-run').click();
    await page.getByTestId('importance-table').waitFor({ timeout: 120_000 });

    // The demo's scores come from the same model (rounded to 6 decimals): every one replays.
    expect(await page.getByTestId('replay-share').textContent()).toBe('100.0%');

    const expected = expectedDemo('production.csv');
    const shown = await page
      .getByTestId('importance-table')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
    expect(shown).toEqual(expected.importance);

    await page.getByTestId('waterfall-id').fill('pred-000123');
    await page.getByRole('button', { name: 'Explain row' }).click();
    await expect.poll(() => page.getByTestId('waterfall-margin').textContent()).toBe(expected.row('pred-000123').toPrecision(6));
    await page.getByTestId('waterfall-id').fill('pred-nope');
    await page.getByRole('button', { name: 'Explain row' }).click();
    await expect
      .poll(() => page.getByTestId('waterfall-error').textContent())
      .toContain('No row of "production.csv" has prediction_id = "pred-nope"');

    // Six weeks of production: one row per week in the attribution drift table.
    expect(await page.getByTestId('drift-windows').locator('tbody tr').count()).toBe(6);
    expect(errors).toEqual([]);
  });

  it('tells model files from data files by content and reports a model that does not fit', async () => {
    const { page, errors } = await openApp(browser);
    await dropFiles(page, [
      { name: 'rows.csv', bytes: readFileSync(join(FIXTURES, 'binary.rows.csv')) },
      { name: 'my-model.bin', bytes: readFileSync(join(FIXTURES, 'binary.ubj')) },
    ]);
    await expect.poll(() => page.getByTestId('notice-info').last().textContent()).toContain('Model "my-model.bin" loaded');
    expect(await page.getByTestId('dataset-item').count()).toBe(1);
    await page.getByRole('tab', { name: 'Explain' }).click();
    expect(await page.getByTestId('model-format').textContent()).toBe('xgboost-ubjson');
    await page.getByTestId('explain-run').click();
    await page.getByTestId('importance-table').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('importance-value').count()).toBe(6);

    // A LightGBM model whose features this data lacks: the match says which.
    await dropFiles(page, [{ name: 'model.txt', bytes: readFileSync(join(FIXTURES, 'lightgbm_hand.txt')) }]);
    await expect.poll(() => page.getByTestId('model-format').textContent()).toBe('lightgbm-text');
    await expect.poll(() => page.getByTestId('feature-match').textContent()).toContain('0 of 3 model features found');
    expect(await page.getByTestId('explain-run').isDisabled()).toBe(true);

    // An unsupported objective is refused with a message naming it.
    const text = readFileSync(join(FIXTURES, 'lightgbm_hand.txt'), 'utf8').replace('objective=binary sigmoid:1', 'objective=custom');
    await dropFiles(page, [{ name: 'custom.txt', bytes: Buffer.from(text) }]);
    await expect.poll(() => page.getByTestId('notice-error').last().textContent()).toContain('LightGBM objective "custom"');
    expect(errors).toEqual([]);
  });

  it('runs interventional SHAP in the worker pool with progress, cancels it, and runs again', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByRole('button', { name: 'Load demo' }).click();
    await expect
      .poll(() => page.getByTestId('notice-info').last().textContent(), { timeout: 60_000 })
      .toContain('Model "model.json" loaded');
    await page.getByRole('tab', { name: 'Explain' }).click();
    await page.getByTestId('method-select').selectOption('interventional');
    await page.getByTestId('explain-run').click();
    const progress = page.getByTestId('explain-progress');
    await expect.poll(() => progress.textContent(), { timeout: 60_000 }).toMatch(/TreeSHAP \(interventional\) on production\.csv \d+%/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByTestId('notice-info').last().textContent()).toContain('Explanation cancelled.');
    expect(await page.getByTestId('importance-table').count()).toBe(0);

    // The pool replaced its busy workers; they reload the model and background and finish the next run.
    await page.getByTestId('explain-run').click();
    await page.getByTestId('importance-table').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('explain-summary').textContent()).toMatch(/2,000 rows sampled evenly from\s+production\.csv/);
    expect(errors).toEqual([]);
  });
});
