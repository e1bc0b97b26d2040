import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attemptExactKs } from '../../src/lib/drift/ksExact';
import { kolmogorovSf, kstwoSf } from '../../src/lib/drift/kolmogorov';
import { smirnovSf } from '../../src/lib/drift/smirnov';
import { chi2Sf, normalSf } from '../../src/lib/drift/special';
import { closeTo } from '../helpers/close';

interface Fixtures {
  kstwo: { n: number; x: number; sf: number }[];
  ks_exact: { n1: number; n2: number; d: number; p: number; d_rounded: number; success: boolean }[];
  smirnov: { n: number; x: number; sf: number }[];
  kolmogorov: { y: number; sf: number }[];
  chi2: { x: number; dof: number; sf: number }[];
  norm: { z: number; sf: number }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/distributions.json', import.meta.url), 'utf8')) as Fixtures;

// Tolerances: the distributions are closed forms or exact recursions; scipy and these ports differ only by
// rounding order (and by double vs double-double arithmetic in Smirnov's sum), so 1e-9 relative holds;
// probabilities below 1e-300 compare absolutely.
describe('KS distributions against scipy 1.10', () => {
  it.each(fx.kstwo.map((c) => [c.n, c.x, c.sf] as const))('kstwo.sf n=%d x=%f', (n, x, sf) => {
    closeTo(kstwoSf(x, n), sf, 1e-9, 1e-300);
  });

  it.each(fx.ks_exact.map((c) => [c.n1, c.n2, c.d, c] as const))('exact two-sample n1=%d n2=%d d=%f', (n1, n2, d, want) => {
    const r = attemptExactKs(n1, n2, d);
    expect(r.success).toBe(want.success);
    expect(r.d).toBe(want.d_rounded);
    closeTo(r.p, want.p, 1e-9, 1e-300);
  });

  it.each(fx.smirnov.map((c) => [c.n, c.x, c.sf] as const))('smirnov n=%d x=%f', (n, x, sf) => {
    closeTo(smirnovSf(n, x), sf, 1e-9, 1e-300);
  });

  it.each(fx.kolmogorov.map((c) => [c.y, c.sf] as const))('kolmogorov(%f)', (y, sf) => {
    closeTo(kolmogorovSf(y), sf, 1e-12, 1e-300);
  });
});

describe('chi2 and normal tails against scipy', () => {
  it.each(fx.chi2.map((c) => [c.x, c.dof, c.sf] as const))('chi2.sf(%f, %d)', (x, dof, sf) => {
    closeTo(chi2Sf(x, dof), sf, 1e-10, 1e-300);
  });
  it.each(fx.norm.map((c) => [c.z, c.sf] as const))('norm.sf(%f)', (z, sf) => {
    closeTo(normalSf(z), sf, 1e-12, 1e-300);
  });
});
