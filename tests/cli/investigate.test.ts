import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { plantedPath } from '../helpers/planted';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const demo = (file: string) => fileURLToPath(new URL(`../../public/demo/${file}`, import.meta.url));

interface FindingJson {
  kind: string;
  title: string;
  severity: number;
  columns: string[];
  segment: { column: string; value: string }[];
  window: { start: string; end: string } | null;
  evidence: Record<string, unknown>;
}

describe('lantern investigate', () => {
  it("prints the demo's planted problems as ranked findings in the JSON shape, with the setup it inferred", async () => {
    const { code, out, err } = await run([
      'investigate',
      '--reference',
      demo('training.csv'),
      '--current',
      demo('production.csv'),
      '--labels',
      demo('labels.csv'),
      '--model',
      demo('model.json'),
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out) as { findings: FindingJson[]; setup: { label: string; score: string; timestamp: string } };
    expect(r.setup).toMatchObject({ label: 'is_fraud', score: 'score', timestamp: 'timestamp' });
    const severities = r.findings.map((f) => f.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    for (const f of r.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['kind', 'title', 'severity', 'columns', 'segment', 'window', 'evidence']));
      for (const s of f.segment) expect(Object.keys(s).sort()).toEqual(['column', 'value']);
    }
    const top = r.findings.slice(0, 6);
    // From 2026-09-28, in region north only, amount grows and the model fails; crypto is new; distance goes missing.
    expect(
      top.some(
        (f) =>
          f.columns.includes('amount') &&
          f.segment.some((s) => s.column === 'region' && s.value === 'north') &&
          f.window?.start === '2026-09-28',
      ),
    ).toBe(true);
    expect(top.some((f) => (f.kind === 'performance' || f.kind === 'failing-slice') && f.segment.some((s) => s.value === 'north'))).toBe(
      true,
    );
    expect(top.some((f) => f.kind === 'new-category' && f.segment.some((s) => s.value === 'crypto'))).toBe(true);
    expect(top.some((f) => f.kind === 'missing-values' && f.columns.includes('distance_from_home_km'))).toBe(true);
  });

  it('names a labels file\'s label from its structure (a column not called "label") and says what it found in text', async () => {
    const P = (f: string) => plantedPath('birdstrikes-damage', f);
    const { code, out } = await run([
      'investigate',
      '--reference',
      P('strikes_1990_1996.csv'),
      '--current',
      P('damage_predictions.json'),
      '--labels',
      P('damage_assessments.tsv'),
      '--top',
      '5',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/label: damage_level/);
    expect(out).toMatch(/labels: damage_assessments\.tsv/);
    expect(out).toMatch(/phase_of_flight = Takeoff appears from 2002-01-01/);
    expect(out.split('\n').filter((l) => /^\s*\d+\. \[/.test(l))).toHaveLength(5);
  });

  it.each([
    [['investigate'], /needs --current/],
    [['investigate', '--current', 'nope.csv'], /no such file/],
    [['investigate', '--current', demo('production.csv'), '--top', '0'], /--top takes a whole number/],
    [['investigate', '--current', demo('production.csv'), '--model', 'missing.json'], /Cannot read model/],
    [['investigate', '--bogus'], /Unknown option/],
  ])('usage and input errors exit 2 with a message and nothing on stdout: %j', async (argv, message) => {
    const { code, out, err } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});
