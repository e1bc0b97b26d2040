import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { closeTo } from '../helpers/close';

interface Case {
  name: string;
  kind: string;
  reference: (number | string | null)[];
  current: (number | string | null)[];
  expected: { method: string; score: number; threshold: number; drifted: boolean; stats: Record<string, unknown> };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/columns.json', import.meta.url), 'utf8')) as { cases: Case[] };
const NAMES = [
  'small_unequal_exact',
  'integer_ties',
  'three_values',
  'wasserstein_large',
  'cat_chisquare',
  'cat_new_categories',
  'cat_missing_category',
  'breast_cancer_mean_radius',
];
const cases = NAMES.map((n) => fx.cases.find((c) => c.name === n)!);

const dir = mkdtempSync(join(tmpdir(), 'lantern-drift-cli-'));

/** One CSV with a column per fixture case; shorter columns are padded with empty fields, which are NULL and dropped. */
function writeCsv(name: string, side: 'reference' | 'current'): string {
  const rows = Math.max(...cases.map((c) => c[side].length));
  const lines = [cases.map((c) => c.name).join(',')];
  for (let r = 0; r < rows; r++)
    lines.push(cases.map((c) => (r < c[side].length && c[side][r] !== null ? String(c[side][r]) : '')).join(','));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
const ref = writeCsv('ref.csv', 'reference');
const cur = writeCsv('cur.csv', 'current');

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lantern drift', () => {
  it('prints the issue-3 JSON with scipy numbers', async () => {
    const r = await run(['drift', '--reference', ref, '--current', cur, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual([
      'reference_rows',
      'current_rows',
      'dataset_drift',
      'columns',
      'schema',
      'not_tested',
      'dropped',
      'warnings',
    ]);
    expect(json.reference_rows).toBe(Math.max(...cases.map((c) => c.reference.length)));
    expect(Object.keys(json.dataset_drift)).toEqual(['drifted_columns', 'share', 'drifted']);
    expect(json.columns.map((c: { name: string }) => c.name)).toEqual(NAMES);
    const drifted = cases.filter((c) => c.expected.drifted).length;
    expect(json.dataset_drift).toEqual({ drifted_columns: drifted, share: drifted / cases.length, drifted: drifted / cases.length >= 0.5 });
    for (const c of cases) {
      const got = json.columns.find((x: { name: string }) => x.name === c.name);
      expect(Object.keys(got)).toEqual(['name', 'kind', 'method', 'score', 'threshold', 'drifted', 'stats']);
      expect([got.kind, got.method, got.threshold, got.drifted], c.name).toEqual([
        c.kind,
        c.expected.method,
        c.expected.threshold,
        c.expected.drifted,
      ]);
      closeTo(got.score, c.expected.score, 1e-6, 1e-300);
      expect(Object.keys(got.stats).sort()).toEqual(Object.keys(c.expected.stats).sort());
      for (const [k, v] of Object.entries(c.expected.stats)) {
        if (Array.isArray(v)) expect(got.stats[k], `${c.name}.${k}`).toEqual(v);
        else closeTo(got.stats[k], v as number, k.endsWith('p_value') ? 1e-6 : 1e-9, 1e-300);
      }
    }
  });

  it('limits to --columns, takes per-column methods, and fails on drift when asked', async () => {
    const r = await run([
      'drift',
      '--reference',
      ref,
      '--current',
      cur,
      '--columns',
      'cat_chisquare,small_unequal_exact',
      '--method',
      'small_unequal_exact=psi',
      '--json',
    ]);
    const json = JSON.parse(r.out);
    expect(json.columns.map((c: { name: string; method: string }) => [c.name, c.method])).toEqual([
      ['cat_chisquare', 'chisquare'],
      ['small_unequal_exact', 'psi'],
    ]);
    closeTo(json.columns[1].score, cases[0]!.expected.stats['psi'] as number, 1e-9);
    const fail = await run(['drift', '--reference', ref, '--current', cur, '--columns', 'integer_ties', '--fail-on-drift']);
    expect(fail.code).toBe(1);
    expect(fail.out).toContain('DRIFT');
  });

  it('a run that compared no column says so in the JSON and fails --fail-on-drift', async () => {
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'alpha,beta,small_unequal_exact\n1,2,x\n3,4,y\n5,6,z\n');
    const r = await run(['drift', '--reference', ref, '--current', other, '--columns', 'small_unequal_exact', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('small_unequal_exact');
    const none = await run(['drift', '--reference', ref, '--current', other, '--json', '--fail-on-drift']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no column could be compared');
    const json = JSON.parse(none.out);
    expect(json.columns).toEqual([]);
    expect(json.schema.missing_columns).toEqual(NAMES.filter((n) => n !== 'small_unequal_exact'));
    expect(json.schema.new_columns).toEqual(['alpha', 'beta']);
    expect(json.schema.type_changes).toEqual([{ name: 'small_unequal_exact', reference_type: 'DOUBLE', current_type: 'VARCHAR' }]);
    expect(json.warnings[0]).toMatch(/No column could be compared/);
    const plain = await run(['drift', '--reference', ref, '--current', other]);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('Warning: No column could be compared');
  });

  it.each([
    [['drift', '--reference', 'x.csv'], 'needs --reference and --current'],
    [['drift', '--reference', '/nonexistent.csv', '--current', '/nonexistent2.csv'], 'no such file'],
    [['drift', '--current', 'a', '--reference', 'b', '--bogus'], 'Unknown option'],
  ])('exits 2 on %j', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });

  it('exits 2 on an unknown column or method, with nothing on stdout', async () => {
    for (const extra of [
      ['--columns', 'nope'],
      ['--method', 'cat_chisquare=ks'],
      ['--method', 'integer_ties=magic'],
      ['--drift-share', '2'],
    ]) {
      const r = await run(['drift', '--reference', ref, '--current', cur, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.length).toBeGreaterThan(0);
    }
  });
});
