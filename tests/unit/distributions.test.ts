import { describe, expect, it } from 'vitest';
import { normalQuantile, normalSf, studentTTwoSided } from '../../src/lib/metrics/distributions';
import { wilsonInterval } from '../../src/lib/metrics/intervals';
import { expectClose, readFixture } from '../helpers/close';

const d = readFixture<{
  normal_sf: [number, number][];
  t_two_sided: [number, number, number][];
  normal_quantile: [number, number][];
  wilson: [number, number, number, number][];
}>('distributions.json');

describe('distribution functions against scipy', () => {
  it('normal upper tail', () => {
    for (const [z, p] of d.normal_sf) expectClose(normalSf(z), p, 1e-13, `sf(${z})`);
  });
  it("Student's t two-sided p-value", () => {
    for (const [t, df, p] of d.t_two_sided) expectClose(studentTTwoSided(t, df), p, 1e-11, `t=${t} df=${df}`);
  });
  it('normal quantile', () => {
    for (const [p, z] of d.normal_quantile) expectClose(normalQuantile(p), z, 1e-13, `ppf(${p})`);
  });
  it('Wilson interval as scipy binomtest(...).proportion_ci(method="wilson")', () => {
    for (const [k, n, lo, hi] of d.wilson) {
      const w = wilsonInterval(k, n)!;
      expect(w.method).toBe('wilson');
      expectClose(w.lo, lo, 1e-12, `lo ${k}/${n}`);
      expectClose(w.hi, hi, 1e-12, `hi ${k}/${n}`);
    }
  });
});
