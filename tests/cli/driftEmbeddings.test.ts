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
});
