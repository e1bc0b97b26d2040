import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddingDriftStats, type MmdResult } from '../../src/lib/multivariate/embeddingDrift';
import { closeTo } from '../helpers/close';

// numpy / scikit-learn (scripts/fixtures/multivariate.py): cars' numerical columns as vectors, US-made
// against the rest.
const fx = JSON.parse(readFileSync(new URL('../fixtures/multivariate/embedding.json', import.meta.url), 'utf8')) as {
  dims: number;
  reference: number[];
  current: number[];
  expected: { distance: number; gamma: number; mmd: number; explained: [number, number] };
};

describe('embedding drift (core) against numpy and scikit-learn', () => {
  const sides = { dims: fx.dims, reference: Float64Array.from(fx.reference), current: Float64Array.from(fx.current) };
  const r = embeddingDriftStats(sides, { permutations: 50 });

  it('measures the distance between the mean vectors', () => {
    closeTo(r.distance.value, fx.expected.distance, 1e-12);
    expect(r.distance.drifted).toBe(fx.expected.distance > r.distance.threshold);
  });

  it('computes the unbiased MMD with the median-distance bandwidth', () => {
    const mmd = r.mmd as MmdResult;
    closeTo(mmd.gamma, fx.expected.gamma, 1e-12);
    // The kernel matrix is kept in single precision (half the memory): the statistic to 1e-5.
    closeTo(mmd.value, fx.expected.mmd, 1e-5);
    expect(mmd.pValue).toBeCloseTo(1 / 51, 12);
    expect(mmd.drifted).toBe(true);
  });

  it("projects on the reference's first two principal components", () => {
    const p = r.projection as { explained: [number, number]; reference: { x: Float32Array } };
    closeTo(p.explained[0], fx.expected.explained[0], 1e-9);
    closeTo(p.explained[1], fx.expected.explained[1], 1e-6);
    expect(p.reference.x.length).toBe(fx.reference.length / fx.dims);
  });

  it('says what it needs', () => {
    const tiny = embeddingDriftStats({ dims: 2, reference: Float64Array.from([1, 2]), current: Float64Array.from([1, 2, 3, 4]) });
    expect(tiny.mmd).toEqual({ unavailable: 'Each side needs at least two vectors.' });
    const big = embeddingDriftStats(sides, { mmdMaxRows: 100 });
    expect((big.mmd as { unavailable: string }).unavailable).toMatch(/Sample at most 50 rows per side/);
  });
});
