import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { plantedPath, plantedScenario } from '../helpers/planted';
import { PLANTED_FAILS, writePlantedPair } from '../helpers/plantedPair';

const dir = mkdtempSync(join(tmpdir(), 'lantern-check-cli-'));
const pair = writePlantedPair(dir);
const suitePath = join(dir, 'suite.json');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Well-formedness of the JUnit file without an XML library: every tag closes in order. */
function tagsBalance(xml: string): boolean {
  const stack: string[] = [];
  for (const m of xml.replace(/<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z-]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

describe('lantern check', () => {
  beforeAll(async () => {
    const r = await run(['check', '--preset', '--reference', pair.reference, '--out', suitePath]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  }, 120_000);

  it('writes a preset suite that is valid, versioned JSON', () => {
    const suite = JSON.parse(readFileSync(suitePath, 'utf8'));
    expect(suite.format).toBe('lantern-check-suite');
    expect(suite.version).toBe(1);
    expect(suite.settings).toEqual({ label: 'y', score: 'score', positive: '1' });
    const kinds = new Set(suite.checks.map((c: { kind: string }) => c.kind));
    for (const k of [
      'schema',
      'missing-share',
      'out-of-range',
      'unseen-categories',
      'drift-column',
      'drift-share',
      'duplicate-rows',
      'metric-vs-reference',
      'slices',
      'segment-drift',
      'metric-by-segment',
    ])
      expect(kinds.has(k), k).toBe(true);
    // id and label are not features: no checks on them.
    expect(suite.checks.some((c: { column?: string }) => c.column === 'id' || c.column === 'y')).toBe(false);
  });

  it('fails exactly the planted problems, with exit code 1 and a JUnit file', async () => {
    const junit = join(dir, 'out.xml');
    const r = await run([
      'check',
      '--suite',
      suitePath,
      '--reference',
      pair.reference,
      '--current',
      pair.current,
      '--json',
      '--junit',
      junit,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out);
    const failed = result.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
    expect(failed.sort()).toEqual([...PLANTED_FAILS].sort());
    expect(result.results.filter((x: { status: string }) => x.status !== 'fail' && x.status !== 'pass')).toEqual([]);
    for (const x of result.results) {
      expect(typeof x.threshold).toBe('string');
      expect(x.message.length).toBeGreaterThan(0);
    }
    const missing = result.results.find((x: { id: string }) => x.id === 'missing:f_missing');
    expect(missing.value).toBeGreaterThan(0.04);
    expect(missing.value).toBeLessThan(0.06);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(tagsBalance(xml)).toBe(true);
    expect(xml.match(/<testcase /g)?.length).toBe(result.results.length);
    expect(xml.match(/<failure /g)?.length).toBe(PLANTED_FAILS.length);
    expect(xml).toContain(`failures="${PLANTED_FAILS.length}"`);
  }, 120_000);

  it('passes a clean sample of the reference distribution with exit code 0', async () => {
    const r = await run(['check', '--suite', suitePath, '--reference', pair.reference, '--current', pair.clean]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/34 checks: 34 passed, 0 warned, 0 failed, 0 not evaluated/);
  }, 120_000);

  it('reports attribution drift as not evaluated, never as a pass, and exits 1', async () => {
    const suite = { format: 'lantern-check-suite', version: 1, checks: [{ id: 'attr', kind: 'attribution-drift', max: 0.1 }] };
    const path = join(dir, 'attr.json');
    writeFileSync(path, JSON.stringify(suite));
    const r = await run(['check', '--suite', path, '--reference', pair.reference, '--current', pair.clean, '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.out);
    expect(result.results[0].status).toBe('not-evaluated');
    expect(result.results[0].message).toMatch(/needs a model/);
  }, 120_000);

  it('exits 2 with nothing on stdout for usage and input errors', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ format: 'lantern-check-suite', version: 1, checks: [{ id: 'x', kind: 'missing-share', column: 'a', max: 2 }] }),
    );
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{"format":');
    const dup = join(dir, 'dup.json');
    writeFileSync(
      dup,
      JSON.stringify({
        format: 'lantern-check-suite',
        version: 1,
        checks: [
          { id: 'a', kind: 'schema', columns: [] },
          { id: 'a', kind: 'schema', columns: [] },
        ],
      }),
    );
    const cases: [string[], RegExp][] = [
      [['check'], /needs --suite/],
      [['check', '--suite', suitePath, '--reference', pair.reference], /needs --suite, --reference and --current/],
      [['check', '--suite', join(dir, 'nope.json'), '--reference', pair.reference, '--current', pair.clean], /Cannot read the suite/],
      [['check', '--suite', bad, '--reference', pair.reference, '--current', pair.clean], /checks\.0\.max/],
      [['check', '--suite', notJson, '--reference', pair.reference, '--current', pair.clean], /not valid JSON/],
      [['check', '--suite', dup, '--reference', pair.reference, '--current', pair.clean], /duplicate check id/],
      [['check', '--suite', suitePath, '--reference', pair.reference, '--current', join(dir, 'missing.csv')], /no such file/],
      [
        ['check', '--suite', suitePath, '--reference', pair.reference, '--current', pair.clean, '--model', join(dir, 'm.json')],
        /no such file/,
      ],
      [['check', '--preset'], /--preset needs --reference/],
      [['check', '--preset', '--reference', pair.reference, '--suite', suitePath], /does not take --suite/],
      [['check', '--bogus'], /Unknown option/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out, argv.join(' ')).toBe('');
      expect(r.err, argv.join(' ')).toMatch(message);
    }
  }, 120_000);
});

describe('lantern check --preset from the files of a deployment', () => {
  it('infers the setup as the app does: the label of the labels file is the label, the join id is named, no check reads them as inputs', async () => {
    const files = plantedScenario('flights-late').files;
    const path = (role: string) => plantedPath('flights-late', files.find((f) => f.role === role)!.file);
    const out = join(dir, 'flights.json');
    const r = await run([
      'check',
      '--preset',
      '--reference',
      path('reference'),
      '--current',
      path('current'),
      '--labels',
      path('labels'),
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const suite = JSON.parse(readFileSync(out, 'utf8'));
    expect(suite.settings).toMatchObject({ label: 'was_late', score: 'p_late', id: 'flight_id' });
    const reads = (c: Record<string, unknown>) => [c['column'], c['segment'], ...((c['segments'] as string[]) ?? [])];
    for (const c of suite.checks)
      for (const col of ['was_late', 'p_late', 'flagged', 'flight_id']) expect(reads(c), c.id).not.toContain(col);
    expect(suite.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['performance:roc_auc', 'performance-by-segment:origin', 'segment-drift:distance_mi']),
    );
  }, 240_000);
});

describe('lantern check with a model', () => {
  it('evaluates attribution drift with exact TreeSHAP on the demo', async () => {
    const demo = (f: string) => new URL(`../../public/demo/${f}`, import.meta.url).pathname;
    const path = join(dir, 'attr-model.json');
    writeFileSync(
      path,
      JSON.stringify({
        format: 'lantern-check-suite',
        version: 1,
        checks: [
          { id: 'total', kind: 'attribution-drift', max: 0.2 },
          { id: 'amount', kind: 'attribution-drift', feature: 'amount', max: 0.000001 },
          { id: 'nope', kind: 'attribution-drift', feature: 'nope', max: 0.1 },
        ],
      }),
    );
    const r = await run([
      'check',
      '--suite',
      path,
      '--reference',
      demo('training.csv'),
      '--current',
      demo('production.csv'),
      '--model',
      demo('model.json'),
      '--json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const [total, amount, nope] = JSON.parse(r.out).results;
    expect(total.status).toBe('pass');
    expect(total.value).toBeGreaterThan(0);
    expect(total.value).toBeLessThan(0.2);
    // amount drifts in the demo (north, from week 4): its attribution moves, if only a little.
    expect(amount.status).toBe('fail');
    expect(amount.value).toBeGreaterThan(0);
    expect(amount.value).toBeLessThanOrEqual(total.value);
    expect(nope.status).toBe('not-evaluated');
    expect(nope.message).toMatch(/no feature "nope"/);
  }, 180_000);
});
