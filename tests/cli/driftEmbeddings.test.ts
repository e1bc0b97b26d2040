import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { closeTo } from '../helpers/close';
import { listParquet, prefixCsv, type EmbeddingCase } from '../helpers/embeddings';

// Unit-length embeddings of Seattle's daily weather (scripts/fixtures/embeddings.py): a reference against
// 2014-15 days with part of them moved, as 24 numbered CSV columns and as a Parquet list column. numpy /
// scikit-learn numbers; the core's own test is tests/unit/multivariateEmbeddings.test.ts.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embeddings.json', import.meta.url), 'utf8')) as {
  cases: EmbeddingCase[];
};
const shift = fx.cases.find((c) => c.name === 'planted shift')!;
const same = fx.cases.find((c) => c.name === 'no drift')!;

const dir = mkdtempSync(join(tmpdir(), 'lantern-embedding-cli-'));
const file = (name: string, bytes: string | Uint8Array) => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};
const csv = { ref: file('ref.csv', prefixCsv(shift.reference)), cur: file('cur.csv', prefixCsv(shift.current)) };
const parquet = { ref: file('ref.parquet', listParquet(shift.reference)), cur: file('cur.parquet', listParquet(shift.current)) };
const control = file('control.parquet', listParquet(same.current));

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface Entry {
  name: string;
  kind: string;
  method: string;
  score: number | null;
  threshold: number | null;
  drifted: boolean;
  stats: Record<string, unknown> & {
    distance: { value: number; drifted: boolean };
    mmd: { value: number; gamma: number; p_value: number; drifted: boolean } | { unavailable: string };
    domain_classifier: { auc: number; test_rows: number };
    projection_explained: [number, number];
  };
}

function check(entry: Entry, e: EmbeddingCase['expected']) {
  expect(entry.kind).toBe('embedding');
  expect(entry.method).toBe('embedding_domain_classifier');
  closeTo(entry.score!, e.auc, 1e-9);
  closeTo(entry.stats.distance.value, e.distance, 1e-12);
  const mmd = entry.stats.mmd as { value: number; gamma: number };
  closeTo(mmd.gamma, e.gamma, 1e-12);
  closeTo(mmd.value, e.mmd, 0, 1e-6);
  closeTo(entry.stats.projection_explained[0], e.explained[0], 1e-9);
  expect(entry.stats.domain_classifier.test_rows).toBe(e.test_rows);
}

describe('lantern drift on embeddings', () => {
  it('groups 24 numbered CSV columns as one embedding with kind "embedding" and keeps them out of the column tests', async () => {
    const r = await run(['drift', '--reference', csv.ref, '--current', csv.cur, '--json', '--fail-on-drift']);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out) as { columns: Entry[]; not_tested?: unknown };
    expect(json.columns.map((c) => [c.name, c.kind])).toEqual([
      ['reading', 'numerical'],
      ['emb_*', 'embedding'],
    ]);
    const entry = json.columns[1]!;
    check(entry, shift.expected);
    expect(entry.stats['source']).toBe('prefix');
    expect(entry.stats['columns']).toHaveLength(24);
    expect([entry.stats['reference_vectors'], entry.stats['current_vectors'], entry.stats['dims']]).toEqual([300, 300, 24]);
    expect(entry.drifted).toBe(true);
    // The embedding drifted: --fail-on-drift fails the run.
    expect(r.code).toBe(1);

    const text = await run(['drift', '--reference', csv.ref, '--current', csv.cur]);
    expect(text.out).toMatch(/Embedding emb_\* \(24 numbered columns emb_0..emb_23, 24 numbers\): DRIFT/);
    expect(text.out).toMatch(/MMD\^2 +0\.02\d+ +p /);
  });

  it('tests the numbered columns one by one when asked to ungroup them', async () => {
    const r = await run(['drift', '--reference', csv.ref, '--current', csv.cur, '--json', '--ungroup-embedding', 'emb_*']);
    const json = JSON.parse(r.out) as { columns: Entry[] };
    expect(json.columns).toHaveLength(25);
    expect(json.columns.some((c) => c.kind === 'embedding')).toBe(false);
  });

  it('reads a Parquet list column as an embedding, with the same numbers', async () => {
    const r = await run(['drift', '--reference', parquet.ref, '--current', parquet.cur, '--json']);
    expect(r.err).toBe('');
    const entry = (JSON.parse(r.out) as { columns: Entry[] }).columns.find((c) => c.name === 'vec')!;
    check(entry, shift.expected);
    expect(entry.stats['source']).toBe('list');

    const calm = await run(['drift', '--reference', parquet.ref, '--current', control, '--json', '--fail-on-drift']);
    const still = (JSON.parse(calm.out) as { columns: Entry[] }).columns.find((c) => c.name === 'vec')!;
    check(still, same.expected);
    expect([still.drifted, still.stats.distance.drifted, (still.stats.mmd as { drifted: boolean }).drifted]).toEqual([false, false, false]);
  });

  it('samples vectors when asked, and refuses a bad sample size', async () => {
    const r = await run(['drift', '--reference', parquet.ref, '--current', parquet.cur, '--embedding-sample', '100', '--json']);
    const entry = (JSON.parse(r.out) as { columns: Entry[] }).columns.find((c) => c.name === 'vec')!;
    expect([entry.stats['sampled'], entry.stats['reference_vectors'], entry.stats['current_vectors']]).toEqual([100, 100, 100]);
    const bad = await run(['drift', '--reference', parquet.ref, '--current', parquet.cur, '--embedding-sample', '1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--embedding-sample must be a whole number of at least 2/);
  });

  it('runs as a check by each method, and the report carries the three results', async () => {
    const suite = file(
      'suite.json',
      JSON.stringify({
        format: 'lantern-check-suite',
        version: 1,
        checks: [
          { id: 'model', kind: 'embedding-drift' },
          { id: 'distance', kind: 'embedding-drift', embedding: 'vec', method: 'distance' },
          { id: 'mmd', kind: 'embedding-drift', embedding: 'vec', method: 'mmd' },
          { id: 'missing', kind: 'embedding-drift', embedding: 'emb_*' },
          { id: 'column', kind: 'drift-column', column: 'reading' },
        ],
      }),
    );
    type Result = { id: string; status: string; value: number | null; message: string };
    const results = (out: string) => Object.fromEntries((JSON.parse(out) as { results: Result[] }).results.map((r) => [r.id, r]));
    const moved = await run(['check', '--suite', suite, '--reference', parquet.ref, '--current', parquet.cur, '--json']);
    expect(moved.err).toBe('');
    expect(moved.code).toBe(1);
    const m = results(moved.out);
    expect([m['model']!.status, m['distance']!.status, m['mmd']!.status]).toEqual(['fail', 'fail', 'fail']);
    closeTo(m['model']!.value!, shift.expected.auc, 1e-9);
    closeTo(m['distance']!.value!, shift.expected.distance, 1e-12);
    expect(m['missing']!.status).toBe('not-evaluated');
    expect(m['missing']!.message).toMatch(/no embedding "emb_\*" in both files \(found: vec\)/);
    const calm = results((await run(['check', '--suite', suite, '--reference', parquet.ref, '--current', control, '--json'])).out);
    expect([calm['model']!.status, calm['distance']!.status, calm['mmd']!.status]).toEqual(['pass', 'pass', 'pass']);
    closeTo(calm['distance']!.value!, same.expected.distance, 1e-12);

    const data = join(dir, 'report.json');
    const report = await run([
      'report',
      '--suite',
      suite,
      '--reference',
      parquet.ref,
      '--current',
      parquet.cur,
      '--out',
      join(dir, 'r.html'),
      '--json',
      data,
    ]);
    expect(report.err).toBe('');
    const tables = (JSON.parse(readFileSync(data, 'utf8')) as { tables: { title: string; rows: (string | number | boolean | null)[][] }[] })
      .tables;
    const table = tables.find((t) => t.title.startsWith('Embedding vec: drift'))!;
    closeTo(table.rows[0]![1] as number, shift.expected.auc, 1e-9);
    closeTo(table.rows[1]![1] as number, shift.expected.distance, 1e-12);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('Embedding vec');
  });

  it('a check names a numbered column: it is tested on its own', async () => {
    const suite = file(
      'suite2.json',
      JSON.stringify({ format: 'lantern-check-suite', version: 1, checks: [{ id: 'c', kind: 'drift-column', column: 'emb_3' }] }),
    );
    const r = await run(['check', '--suite', suite, '--reference', csv.ref, '--current', csv.cur, '--json']);
    const [result] = (JSON.parse(r.out) as { results: { status: string }[] }).results;
    expect(result!.status).not.toBe('not-evaluated');
  });

  it('the preset checks an embedding as one, not each of its numbered columns', async () => {
    const preset = join(dir, 'preset.json');
    const made = await run(['check', '--preset', '--reference', csv.ref, '--current', csv.cur, '--out', preset]);
    expect(made.err).toBe('');
    const r = await run(['check', '--suite', preset, '--reference', csv.ref, '--current', csv.cur, '--json']);
    expect(r.err).toBe('');
    const results = (JSON.parse(r.out) as { results: { id: string; status: string; value: number | null }[] }).results;
    const embedding = results.find((x) => x.id === 'embedding-drift:emb__')!;
    expect(embedding.status).toBe('fail');
    closeTo(embedding.value!, shift.expected.auc, 1e-9);
    expect(results.some((x) => x.id === 'drift:emb_3')).toBe(false);
    expect(results.find((x) => x.id === 'drift:reading')?.status).toBe('pass');
  });
});
