import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { readCase, SHAP_FIXTURES } from '../helpers/shapFixtures';

const fx = (file: string) => join(SHAP_FIXTURES, file);

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lantern explain', () => {
  it('prints path-dependent values that match xgboost pred_contribs (binary)', async () => {
    const { code, out, err } = await run(['explain', '--model', fx('binary.json'), '--data', fx('binary.rows.csv'), '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out) as { features: string[]; expected_value: number; values: number[][] };
    const fixture = readCase('binary');
    expect(result.features).toEqual(fixture.features);
    expect(result.values).toHaveLength(fixture.rows.length);
    (fixture.contribs as number[][]).forEach((row, r) => {
      row.slice(0, -1).forEach((v, f) => expect(Math.abs(result.values[r]![f]! - v)).toBeLessThan(1e-5));
      expect(Math.abs(result.expected_value - row.at(-1)!)).toBeLessThan(1e-5);
    });
  });

  it('gives multi-class values as [class][row][feature] with one expected value per class, and honours --limit', async () => {
    const { code, out } = await run([
      'explain',
      '--model',
      fx('softprob.ubj'),
      '--data',
      fx('softprob.rows.csv'),
      '--limit',
      '5',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { expected_value: number[]; values: number[][][] };
    const fixture = readCase('softprob');
    expect(result.expected_value).toHaveLength(3);
    expect(result.values).toHaveLength(3);
    expect(result.values[0]).toHaveLength(5);
    for (let k = 0; k < 3; k++)
      for (let r = 0; r < 5; r++) {
        const expected = (fixture.contribs as number[][][])[r]![k]!;
        expected.slice(0, -1).forEach((v, f) => expect(Math.abs(result.values[k]![r]![f]! - v)).toBeLessThan(1e-5));
        expect(Math.abs(result.expected_value[k]! - expected.at(-1)!)).toBeLessThan(1e-5);
      }
  });

  it('is interventional with --background (brute-force Shapley reference)', async () => {
    const { code, out } = await run([
      'explain',
      '--model',
      fx('interventional.json'),
      '--data',
      fx('interventional.rows.csv'),
      '--background',
      fx('interventional.background.csv'),
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { expected_value: number; values: number[][] };
    const fixture = readCase('interventional');
    expect(Math.abs(result.expected_value - fixture.expected_value!)).toBeLessThan(2e-6);
    fixture.values!.forEach((row, r) => row.forEach((v, f) => expect(Math.abs(result.values[r]![f]! - v)).toBeLessThan(2e-6)));
  });

  it('explains LightGBM text models', async () => {
    const { code, out } = await run(['explain', '--model', fx('lightgbm_hand.txt'), '--data', fx('lightgbm_hand.rows.csv'), '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { expected_value: number; values: number[][] };
    expect(result.expected_value).toBeCloseTo(0.0025, 15);
    expect(result.values).toHaveLength(6);
  });

  it('prints a readable importance table without --json', async () => {
    const { code, out } = await run(['explain', '--model', fx('regression.json'), '--data', fx('regression.rows.csv')]);
    expect(code).toBe(0);
    expect(out).toMatch(/Explained 61 rows with path-dependent TreeSHAP/);
    expect(out).toMatch(/mean \|SHAP\|/);
  });

  it.each([
    [['explain', '--data', 'x.csv'], /needs --model and --data/],
    [['explain', '--model', 'm.json', '--data', 'x.csv', '--limit', '0'], /--limit takes a whole number/],
    [['explain', '--model', 'm.json', '--data', 'x.csv', '--bogus'], /Unknown option/],
    [['explain', '--model', '/nonexistent/m.json', '--data', 'x.csv'], /Cannot read model/],
    [['explain', '--model', fx('binary.rows.csv'), '--data', fx('binary.rows.csv')], /not a model file/],
    [['explain', '--model', fx('binary.json'), '--data', fx('lightgbm_hand.rows.csv')], /no column for model features "age", "tenure"/],
  ])('exits 2 with a message for %j', async (argv, message) => {
    const { code, out, err } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });

  it('runs as the real binary: exit 2 and nothing on stdout for a mismatched model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-explain-'));
    writeFileSync(join(dir, 'd.csv'), 'a,b\n1,2\n');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'lantern.mjs');
    const child = spawnSync(process.execPath, [bin, 'explain', '--model', fx('binary.json'), '--data', join(dir, 'd.csv')], {
      encoding: 'utf8',
    });
    expect(child.status).toBe(2);
    expect(child.stdout).toBe('');
    expect(child.stderr).toMatch(/does not fit this data/);
  });
});
