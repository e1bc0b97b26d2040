import { studentTTwoSided } from '../metrics/distributions';

/**
 * Mean and sample variance (n - 1) from a sum and a sum of squares. A sum of squared deviations below
 * 1e-8 of the sum of squares is the rounding of the two sums, not spread (a million copies of one value
 * that is not a binary fraction, summed in order, leave up to ~3e-11): such a group has none. A real
 * coefficient of variation below 1e-4 is lost with it, which no error metric needs.
 */
function moments(n: number, s: number, q: number): { m: number; v: number } {
  const m = s / n;
  const deviations = q - n * m * m;
  return { m, v: deviations <= 1e-8 * q ? 0 : deviations / (n - 1) };
}

/**
 * Two groups without spread whose means differ only by the rounding of their sums (each row's error the
 * same value, summed in a different order and count) have the same mean: a relative gap of 1e-9 is far
 * above the rounding of a million-row sum and far below any difference between two constant groups.
 */
function sameMean(m1: number, m2: number): boolean {
  return Math.abs(m1 - m2) <= 1e-9 * Math.max(Math.abs(m1), Math.abs(m2));
}

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
  const { m: m1, v: v1 } = moments(n1, s1, q1);
  const { m: m2, v: v2 } = moments(n2, s2, q2);
  const a = v1 / n1;
  const b = v2 / n2;
  if (a + b === 0) return sameMean(m1, m2) ? { t: 0, df: n1 + n2 - 2, p: 1 } : { t: (m1 - m2) * Infinity, df: n1 + n2 - 2, p: 0 };
  const t = (m1 - m2) / Math.sqrt(a + b);
  const df = ((a + b) * (a + b)) / ((a * a) / (n1 - 1) + (b * b) / (n2 - 1));
  return { t, df, p: studentTTwoSided(t, df) };
}

/**
 * The effect size of Slice Finder (Chung, Kraska, Polyzotis, Tae & Whang, "Slice Finder: Automated Data
 * Slicing for Model Validation", ICDE 2019, section 2): phi = sqrt(2) (mean1 - mean2) / sqrt(var1 +
 * var2), the difference of the mean errors in units of the root mean square of the two groups' standard
 * deviations (sample variances, n - 1). It is Cohen's d with the two variances weighted equally instead
 * of by group size, so a 1% slice's own spread counts as much as the rest's; Cohen's conventions (0.2
 * small, 0.5 medium, 0.8 large) read the same. Infinite when neither group has any spread and the means
 * differ; undefined below two rows on a side.
 */
export function effectSizeFromSums(n1: number, s1: number, q1: number, n2: number, s2: number, q2: number): number | undefined {
  if (n1 < 2 || n2 < 2) return undefined;
  const { m: m1, v: v1 } = moments(n1, s1, q1);
  const { m: m2, v: v2 } = moments(n2, s2, q2);
  if (v1 + v2 === 0) return sameMean(m1, m2) ? 0 : (m1 - m2) * Infinity;
  return (m1 - m2) / Math.sqrt((v1 + v2) / 2);
}

/** Benjamini-Hochberg adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  const order = Array.from(pValues, (p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const q = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [p, i] = order[r]!;
    running = Math.min(running, (p * m) / (r + 1));
    q[i] = running;
  }
  return q;
}
