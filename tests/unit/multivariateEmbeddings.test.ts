import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddingDriftStats, type EmbeddingProjection, type MmdResult } from '../../src/lib/multivariate/embeddingDrift';
import { detectEmbeddings, vectorType } from '../../src/lib/multivariate/embeddingColumns';
import type { ClassifierVerdict } from '../../src/lib/multivariate/verdict';
import { kindOfType, type ColumnInfo } from '../../src/lib/schema';
import { closeTo } from '../helpers/close';
import { expectProjection, type EmbeddingCase } from '../helpers/embeddings';

// numpy / scikit-learn (scripts/fixtures/embeddings.py): unit-length embeddings of Seattle's daily weather,
// 2012-13 days against other 2012-13 days (no drift) and against 2014-15 days, part of them moved.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embeddings.json', import.meta.url), 'utf8')) as {
  cases: EmbeddingCase[];
};

describe.each(fx.cases.map((c) => [c.name, c] as const))('embedding drift (%s) against numpy and scikit-learn', (name, c) => {
  const sides = { dims: c.dims, reference: Float64Array.from(c.reference.flat()), current: Float64Array.from(c.current.flat()) };
  const r = embeddingDriftStats(sides, { permutations: 100 });
  const e = c.expected;

  it('measures the distance, the MMD and its bandwidth', () => {
    closeTo(r.distance.value, e.distance, 1e-12);
    expect(r.distance.drifted).toBe(e.distance > 0.2);
    const mmd = r.mmd as MmdResult;
    closeTo(mmd.gamma, e.gamma, 1e-12);
    // The kernel is kept in single precision (half the memory): the statistic to 1e-6 absolute.
    closeTo(mmd.value, e.mmd, 0, 1e-6);
    expect(mmd.drifted).toBe(name === 'planted shift');
    if (name === 'planted shift') expect(mmd.pValue).toBeCloseTo(1 / 101, 12);
  });

  it("trains scikit-learn's logistic regression and scores the held-out half", () => {
    const model = r.model as ClassifierVerdict;
    expect(model.testRows).toBe(e.test_rows);
    closeTo(model.auc, e.auc, 1e-9);
    expect(model.drifted).toBe(name === 'planted shift');
  });

  it("projects both sides on the reference's first two principal components", () => {
    const p = r.projection as EmbeddingProjection;
    closeTo(p.explained[0], e.explained[0], 1e-9);
    closeTo(p.explained[1], e.explained[1], 1e-9);
    // Coordinates travel as single precision (what a chart needs): to 1e-6.
    expectProjection(p, e, 1e-6);
  });
});

const twice = <T>(x: T): [T, T] => [x, x];

describe('finding embedding columns in a schema', () => {
  const info = (name: string, type: string): ColumnInfo => ({ name, type, kind: kindOfType(type) });
  const emb = Array.from({ length: 10 }, (_, i) => info(`emb_${i}`, 'DOUBLE'));

  it('reads list and array types', () => {
    expect(vectorType('DOUBLE[]')).toEqual({ source: 'list', dims: null });
    expect(vectorType('FLOAT[384]')).toEqual({ source: 'array', dims: 384 });
    expect(vectorType('DECIMAL(9,3)[]')).toEqual({ source: 'list', dims: null });
    expect(vectorType('VARCHAR[]')).toBeNull();
    expect(vectorType('DOUBLE[][]')).toBeNull();
  });

  it('groups numbered columns with a common prefix, lists and arrays, in the reference order', () => {
    const ref = [
      info('id', 'BIGINT'),
      ...emb,
      info('vec', 'FLOAT[]'),
      info('fixed', 'FLOAT[4]'),
      info('x1', 'DOUBLE'),
      info('x2', 'DOUBLE'),
    ];
    const found = detectEmbeddings(ref, [...ref].reverse());
    expect(found.map((f) => [f.name, f.source, f.dims])).toEqual([
      ['emb_*', 'prefix', 10],
      ['vec', 'list', null],
      ['fixed', 'array', 4],
    ]);
    expect(found[0]!.columns).toEqual(emb.map((c) => c.name));
  });

  it('orders by number, not by name, and accepts e0.. and vec_1..', () => {
    const e = Array.from({ length: 12 }, (_, i) => info(`e${11 - i}`, 'FLOAT'));
    const v = Array.from({ length: 8 }, (_, i) => info(`vec_${i + 1}`, 'INTEGER'));
    const found = detectEmbeddings([...e, ...v], [...e, ...v]);
    expect(found.map((f) => f.name)).toEqual(['e*', 'vec_*']);
    expect(found[0]!.columns.slice(0, 3)).toEqual(['e0', 'e1', 'e2']);
  });

  it('leaves out short, gapped, non-numeric and skipped groups, and what the user ungrouped', () => {
    const seven = emb.slice(0, 7);
    expect(detectEmbeddings(seven, seven)).toEqual([]);
    const gapped = emb.filter((c) => c.name !== 'emb_4');
    expect(detectEmbeddings(gapped, gapped)).toEqual([]);
    const text = emb.map((c) => info(c.name, 'VARCHAR'));
    expect(detectEmbeddings(text, text)).toEqual([]);
    // A column that changed type in the current data is not part of the group: 9 remain, still a group.
    const changed = emb.map((c, i) => (i === 9 ? info(c.name, 'VARCHAR') : c));
    expect(detectEmbeddings(emb, changed)[0]!.dims).toBe(9);
    expect(detectEmbeddings(emb, emb, { ungroup: ['emb_*'] })).toEqual([]);
    expect(detectEmbeddings(emb, emb, { skip: new Set(emb.map((c) => c.name)) })).toEqual([]);
    // The current data must have the list column too.
    expect(detectEmbeddings([info('vec', 'DOUBLE[]')], [info('vec', 'VARCHAR')])).toEqual([]);
    // Wider than any embedding model gives: a wide table of numbered features, tested column by column.
    const widest = Array.from({ length: 4096 }, (_, j) => info(`emb_${j}`, 'DOUBLE'));
    expect(detectEmbeddings(widest, widest)[0]!.dims).toBe(4096);
    const wide = [...widest, info('emb_4096', 'DOUBLE')];
    expect(detectEmbeddings(wide, wide)).toEqual([]);
    // Numbered features under names that do not name a vector stay features (a card-fraud table's V1..V28).
    for (const prefix of ['V', 'f', 'x', 'c', 'feature_', 'col'])
      expect(detectEmbeddings(...twice(Array.from({ length: 28 }, (_, j) => info(`${prefix}${j + 1}`, 'DOUBLE'))))).toEqual([]);
    for (const prefix of ['emb_', 'embedding_', 'e', 'vec_', 'z', 'text_emb_', 'latent-'])
      expect(detectEmbeddings(...twice(Array.from({ length: 16 }, (_, j) => info(`${prefix}${j}`, 'DOUBLE')))).map((e) => e.name)).toEqual([
        `${prefix}*`,
      ]);
  });
});
