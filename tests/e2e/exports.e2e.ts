import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openApp } from './browser';

// scipy's numbers for the bundled demo (scripts/fixtures/drift.py): the downloads must carry exactly these.
const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/demo.json', import.meta.url), 'utf8')) as {
  columns: Record<string, { score: number; drifted: boolean; n_ref: number; n_cur: number }>;
};

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Presses Enter on the focused control and returns the file the browser downloaded. */
async function downloadByKeyboard(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.keyboard.press('Enter')]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

function parseCsv(text: string): string[][] {
  // The exported table has no quoted fields with line breaks: split by CRLF, then by commas outside quotes.
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')),
    );
}

describe('exports from the views', () => {
  it('downloads the drift table as CSV and Parquet with scipy numbers, and a chart as SVG and PNG, from the keyboard', async () => {
    const { page, errors } = await openApp(browser);
    await page.getByTestId('load-demo').click();
    await expect.poll(() => page.getByTestId('dataset-item').count(), { timeout: 90_000 }).toBe(3);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-summary').waitFor({ timeout: 120_000 });

    const exportBar = page.getByTestId('drift-table-export');
    await exportBar.getByTestId('export-csv').focus();
    const csv = await downloadByKeyboard(page);
    expect(csv.name).toBe('Features-most-drifted-first.csv');
    const [header, ...rows] = parseCsv(csv.bytes.toString('utf8'));
    expect(header!.slice(0, 7)).toEqual(['column', 'role', 'kind', 'method', 'score', 'threshold', 'drifted']);
    const features = Object.keys(fx.columns).filter((name) => rows.some((r) => r[0] === name));
    expect(features.length).toBe(rows.length);
    for (const row of rows) {
      const want = fx.columns[row[0]!]!;
      expect(Math.abs(Number(row[4]) - want.score), row[0]).toBeLessThan(1e-9);
      expect(row[6], row[0]).toBe(String(want.drifted));
      expect(Number(row[9]), row[0]).toBe(want.n_ref);
      expect(Number(row[10]), row[0]).toBe(want.n_cur);
    }

    await exportBar.getByTestId('export-parquet').focus();
    const parquet = await downloadByKeyboard(page);
    expect(parquet.name).toBe('Features-most-drifted-first.parquet');
    const table = tableFromIPC(readParquet(new Uint8Array(parquet.bytes)).intoIPCStream());
    expect(table.numRows).toBe(rows.length);
    const names = table.getChild('column')!.toArray() as string[];
    const scores = table.getChild('score')!.toArray() as Float64Array;
    names.forEach((name, i) => expect(Math.abs(scores[i]! - fx.columns[name]!.score), name).toBeLessThan(1e-9));
    expect(names).toEqual(rows.map((r) => r[0]));

    // A chart of the amount column: SVG as drawn, PNG at the screen's resolution and at twice the size.
    await page.getByRole('button', { name: 'Open amount' }).click();
    const figure = page.getByTestId('drift-column').locator('figure.plot-figure').first();
    await figure.locator('svg').first().waitFor({ timeout: 60_000 });
    const label = (await figure.getAttribute('aria-label'))!;
    await figure.getByTestId('chart-svg').focus();
    const svg = await downloadByKeyboard(page);
    expect(svg.name.endsWith('.svg')).toBe(true);
    const svgText = svg.bytes.toString('utf8');
    expect(svgText).toMatch(/^<svg[^>]* xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const width = Number(/ width="(\d+)"/.exec(svgText)![1]);
    const height = Number(/ height="(\d+)"/.exec(svgText)![1]);
    expect(width).toBeGreaterThan(100);
    await figure.getByTestId('chart-png-2x').focus();
    const png = await downloadByKeyboard(page);
    expect(png.name.endsWith('@2x.png')).toBe(true);
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([2 * width, 2 * height]);
    await figure.getByTestId('chart-png').focus();
    const screen = await downloadByKeyboard(page);
    expect([screen.bytes.readUInt32BE(16), screen.bytes.readUInt32BE(20)]).toEqual([width, height]); // deviceScaleFactor 1
    expect(await figure.getByTestId('chart-svg').getAttribute('aria-label')).toBe(`Download ${label} as SVG`);
    expect(errors).toEqual([]);
  });
});
