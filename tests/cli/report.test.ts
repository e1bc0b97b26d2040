import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { REPORT_CSP } from '../../src/lib/report/html';
import { writePredictionLog } from '../helpers/bigCsv';
import { writePlantedPair } from '../helpers/plantedPair';

const dir = mkdtempSync(join(tmpdir(), 'lantern-report-cli-'));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** What makes a file "self-contained": no URL a browser would fetch, and a CSP that forbids fetching anyway. */
function expectSelfContained(html: string) {
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
  expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
  expect(html).not.toMatch(/\b(src|href)\s*=/i);
  // The only URL is the SVG namespace, which is an identifier, not a request.
  expect(html.match(/https?:\/\/[^"\s<]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
}

describe('lantern report', () => {
  it('writes a self-contained report and the JSON of all results, without any row of the data', async () => {
    const pair = writePlantedPair(dir, 5_000);
    const out = join(dir, 'r.html');
    const json = join(dir, 'r.json');
    const r = await run(['report', '--reference', pair.reference, '--current', pair.current, '--out', out, '--json', json]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expectSelfContained(html);
    expect(html).toMatch(/<svg /);
    expect(html).toContain('f_missing');
    // Row ids and exact row values never appear: the planted ids are id2-0 ... id2-4999.
    expect(html).not.toMatch(/id2-\d/);
    const firstRow = readFileSync(pair.current, 'utf8').split('\n')[1]!.split(',');
    expect(html).not.toContain(firstRow[1]!); // f_stable, 6 decimals
    const data = JSON.parse(readFileSync(json, 'utf8'));
    expect(data.format).toBe('lantern-report');
    expect(data.tables.map((t: { id: string }) => t.id)).toEqual(['checks', 'drift', 'missing', 'quality', 'performance', 'slices']);
    expect(JSON.stringify(data)).not.toMatch(/id2-\d/);
  }, 180_000);

  it('stays small for a 1,000,000-row current file', async () => {
    const reference = join(dir, 'ref-100k.csv');
    const current = join(dir, 'cur-1m.csv');
    writePredictionLog(reference, 100_000);
    writePredictionLog(current, 1_000_000);
    expect(statSync(current).size).toBeGreaterThan(60_000_000);
    const out = join(dir, 'big.html');
    const r = await run(['report', '--reference', reference, '--current', current, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expectSelfContained(html);
    expect(html).toContain('1,000,000');
    // Size depends on columns and bins, not rows: 250 KB is a generous bound (about 60-90 KB in practice).
    expect(statSync(out).size).toBeLessThan(250_000);
  }, 600_000);

  it('exits 2 on usage errors with nothing on stdout', async () => {
    for (const argv of [['report'], ['report', '--reference', 'a.csv', '--current', 'b.csv']]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/needs --reference, --current and --out/);
    }
  });
});
