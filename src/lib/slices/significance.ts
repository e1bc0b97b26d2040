import { studentTTwoSided } from '../metrics/distributions';

/**
 * Welch's t-test of the mean error inside a slice against the rows outside it (scipy's
 * ttest_ind(equal_var=False)), from sums and sums of squares. For 0/1 errors this is the unpooled
 * two-proportion test with a t reference; the p-value is two-sided.
 */
export function welchFromSums(
  n1: number,
  s1: number,
  q1: number,
  n2: number,
  s2: number,
  q2: number,
): { t: number; df: number; p: number } | undefined {
  if (n1 < 2 || n2 < 2) return undefined;
  const m1 = s1 / n1;
  const m2 = s2 / n2;
  const v1 = Math.max(0, (q1 - n1 * m1 * m1) / (n1 - 1));
  const v2 = Math.max(0, (q2 - n2 * m2 * m2) / (n2 - 1));
  const a = v1 / n1;
  const b = v2 / n2;
  if (a + b === 0) return m1 === m2 ? { t: 0, df: n1 + n2 - 2, p: 1 } : { t: Infinity, df: n1 + n2 - 2, p: 0 };
  const t = (m1 - m2) / Math.sqrt(a + b);
  const df = ((a + b) * (a + b)) / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1));
  return { t, df, p: studentTTwoSided(t, df) };
}

/** Benjamini-Hochberg adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [p, i] = order[r]!;
    running = Math.min(running, (p * m) / (r + 1));
    q[i] = running;
  }
  return q;
}
