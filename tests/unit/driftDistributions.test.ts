import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attemptExactKs } from '../../src/lib/drift/ksExact';
import { kolmogorovSf, kstwoSf } from '../../src/lib/drift/kolmogorov';
import { smirnovSf } from '../../src/lib/drift/smirnov';
import { chi2Sf, normalSf } from '../../src/lib/drift/special';
import { closeTo } from '../helpers/close';

const fx = JSON.parse(readFileSync(new URL('../fixtures/drift/distributions.json', import.meta.url), 'utf8'));

// Tolerances: the distributions are closed forms or exact recursions; scipy and these ports differ only by
// rounding order (and by double vs double-double arithmetic in Smirnov's sum), so 1e-9 relative holds,
// except where a probability is itself below ~1e-300 (compared absolutely).
describe('KS distributions against scipy 1.10', () => {
  it.each<any[]>(fx.kstwo.map((c: { n: number; x: number; sf: number }) => [c.n, c.x, c.sf]))('kstwo.sf n=%d x=%f', (n, x, sf) => {
    closeTo(kstwoSf(x as number, n as number), sf as number, 1e-9, 1e-300);
  });

  it.each<any[]>(fx.ks_exact.map((c: { n1: number; n2: number; d: number; p: number; d_rounded: number; success: boolean }) => [c.n1, c.n2, c.d, c]))(
    'exact two-sample n1=%d n2=%d d=%f',
    (n1, n2, d, c) => {
      const r = attemptExactKs(n1 as number, n2 as number, d as number);
      const want = c as { p: number; d_rounded: number; success: boolean };
      expect(r.success).toBe(want.success);
      expect(r.d).toBe(want.d_rounded);
      closeTo(r.p, want.p, 1e-9, 1e-300);
    },
  );

  it.each<any[]>(fx.smirnov.map((c: { n: number; x: number; sf: number }) => [c.n, c.x, c.sf]))('smirnov n=%d x=%f', (n, x, sf) => {
    closeTo(smirnovSf(n as number, x as number), sf as number, 1e-9, 1e-300);
  });

  it.each<any[]>(fx.kolmogorov.map((c: { y: number; sf: number }) => [c.y, c.sf]))('kolmogorov(%f)', (y, sf) => {
    closeTo(kolmogorovSf(y as number), sf as number, 1e-12, 1e-300);
  });
});

describe('chi2 and normal tails against scipy', () => {
  it.each<any[]>(fx.chi2.map((c: { x: number; dof: number; sf: number }) => [c.x, c.dof, c.sf]))('chi2.sf(%f, %d)', (x, dof, sf) => {
    closeTo(chi2Sf(x as number, dof as number), sf as number, 1e-10, 1e-300);
  });
  it.each<any[]>(fx.norm.map((c: { z: number; sf: number }) => [c.z, c.sf]))('norm.sf(%f)', (z, sf) => {
    closeTo(normalSf(z as number), sf as number, 1e-12, 1e-300);
  });
});
