import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { testEngine } from '../helpers/db';
import { goodFiles } from '../helpers/sampleFiles';

/**
 * Both engines, one process, the same command: the CLI's JSON from DuckDB-WASM (the browser's engine)
 * and from native DuckDB must be the same, number for number. Each suite also checks each engine
 * against scipy / sklearn / xgboost; this one checks the engines against each other on every fixture,
 * the demo and every file format, so a difference in types, row order or rounding cannot hide inside
 * a test's tolerance. It runs in the native project only (it opens both engines itself).
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const demo = (f: string) => here(`../../public/demo/${f}`);
const metrics = (f: string) => here(`../fixtures/metrics/${f}`);
const shap = (f: string) => here(`../fixtures/shap/${f}`);
const dir = mkdtempSync(join(tmpdir(), 'lantern-parity-'));

async function runOn(engine: 'wasm' | 'native', argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const before = process.env['LANTERN_ENGINE'];
  process.env['LANTERN_ENGINE'] = engine;
  let out = '';
  let err = '';
  try {
    const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
    return { code, out, err };
  } finally {
    process.env['LANTERN_ENGINE'] = before;
  }
}

/** Runs `argv` on both engines; returns the parsed JSON of each (from stdout, or from a file it wrote). */
async function onBoth(argv: string[], jsonFile?: string): Promise<[unknown, unknown]> {
  const results: unknown[] = [];
  for (const engine of ['wasm', 'native'] as const) {
    const r = await runOn(engine, argv);
    expect(r.err, `${engine}: ${argv.join(' ')}`).toBe('');
    results.push(JSON.parse(jsonFile ? readFileSync(jsonFile, 'utf8') : r.out));
  }
  return results as [unknown, unknown];
}

/**
 * Native DuckDB aggregates in parallel: a sum of doubles (sum, avg, fsum) adds per-thread partial sums
 * in an order that depends on which thread took which rows, so it can differ from DuckDB-WASM's
 * single-threaded sum in the last bit, and from one native run to the next (the demo's average
 * precision, a 13,755-group fsum, comes out as ...153924 or ...15391 across runs). Numbers may therefore
 * differ by a few units in the last place: 1e-14 relative, far below the 4 significant digits the text
 * output prints and any threshold a check compares. Everything else (counts, strings, order, types,
 * which numbers are null) must be identical.
 */
const REL = 1e-14;

function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b && !(Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b)))) out.push(`${path}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    else a.forEach((x, i) => differences(x, b[i], `${path}[${i}]`, out));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a as object);
    if (keys.join() !== Object.keys(b as object).join()) out.push(`${path}: keys ${keys.join()} vs ${Object.keys(b as object).join()}`);
    else for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  } else if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

function expectSame(native: unknown, wasm: unknown): void {
  expect(differences(wasm, native)).toEqual([]);
}

beforeAll(() => {
  for (const f of goodFiles()) writeFileSync(join(dir, f.name), f.bytes);
});

describe.runIf(testEngine() === 'native')('DuckDB-WASM and native DuckDB give the same results', () => {
  it.each([
    ...goodFiles().map((f) => join(dir, f.name)),
    ...['log.csv', 'predictions.csv', 'labels.csv', 'multiclass.csv', 'regression.csv', 'slices.csv', 'cbpe_reference.csv'].map(metrics),
    ...['binary.rows.csv', 'interventional.background.csv'].map(shap),
    ...['training.csv', 'production.csv', 'labels.csv'].map(demo),
  ])('inspect %s: rows, column names, types and roles', async (file) => {
    const [wasm, native] = await onBoth(['inspect', file, '--json']);
    expectSame(native, wasm);
  });

  it('drift on the demo: every statistic, p-value and histogram', async () => {
    const [wasm, native] = await onBoth(['drift', '--reference', demo('training.csv'), '--current', demo('production.csv'), '--json']);
    expectSame(native, wasm);
  }, 120_000);

  it.each([
    [['--data', demo('production.csv'), '--labels', demo('labels.csv'), '--by', 'region']],
    [['--data', metrics('log.csv'), '--by', 'timestamp.day_of_week']],
    [['--data', metrics('predictions.csv'), '--labels', metrics('labels.csv')]],
    [['--data', metrics('multiclass.csv'), '--by', 'segment']],
    [['--data', metrics('regression.csv'), '--by', 'store']],
  ])('metrics %j', async (args) => {
    const [wasm, native] = await onBoth(['metrics', ...args, '--json']);
    expectSame(native, wasm);
  });

  it.each([
    [['--data', demo('production.csv'), '--labels', demo('labels.csv'), '--max-depth', '2']],
    [['--data', metrics('log.csv'), '--max-depth', '2', '--metric', 'log_loss']],
    [['--data', metrics('regression.csv'), '--max-depth', '2']],
  ])(
    'slices %j',
    async (args) => {
      const [wasm, native] = await onBoth(['slices', ...args, '--json']);
      expectSame(native, wasm);
    },
    120_000,
  );

  it('check and report on the demo: the preset suite, every check value, the report data', async () => {
    const suite = join(dir, 'suite.json');
    await runOn('wasm', ['check', '--preset', '--reference', demo('training.csv'), '--model', demo('model.json'), '--out', suite]);
    const presetWasm = readFileSync(suite, 'utf8');
    await runOn('native', ['check', '--preset', '--reference', demo('training.csv'), '--model', demo('model.json'), '--out', suite]);
    expect(readFileSync(suite, 'utf8')).toBe(presetWasm);
    const files = ['--reference', demo('training.csv'), '--current', demo('production.csv'), '--labels', demo('labels.csv')];
    const [wasm, native] = await onBoth(['check', '--suite', suite, ...files, '--model', demo('model.json'), '--json']);
    expectSame(native, wasm);
    const json = join(dir, 'report.json');
    const [reportWasm, reportNative] = await onBoth(['report', ...files, '--out', join(dir, 'report.html'), '--json', json], json);
    // The report stamps the time it was made; everything else must agree.
    expectSame({ ...(reportNative as object), generated: null }, { ...(reportWasm as object), generated: null });
  }, 180_000);

  it('explain: the feature matrix each engine reads gives the same SHAP values', async () => {
    const [wasm, native] = await onBoth(['explain', '--model', shap('binary.json'), '--data', shap('binary.rows.csv'), '--json']);
    expectSame(native, wasm);
    const [a, b] = await onBoth(['explain', '--model', demo('model.json'), '--data', demo('production.csv'), '--limit', '300', '--json']);
    expectSame(b, a);
  }, 120_000);
});
