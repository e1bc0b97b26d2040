/**
 * Special functions the drift tests need, in plain double precision: log-gamma, the regularized upper
 * incomplete gamma Q(a, x), and the chi-square and normal survival functions built on it. The tails are
 * computed directly (never as 1 - cdf) so that tiny p-values keep their relative accuracy.
 */

// Lanczos approximation, g = 7, n = 9 (Godfrey's coefficients); relative error about 1e-15 for x > 0.
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.9189385332046728;

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  if (x > 15) {
    // Stirling series: more accurate than Lanczos for large x, where lgamma grows and absolute error matters.
    const r = 1 / x;
    const r2 = r * r;
    const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188)))));
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-16;
const MAX_ITER = 1_000_000;

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), for a > 0, x >= 0. */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) return 1 - Math.exp(logPrefix) * lowerSeries(a, x);
  return Math.exp(logPrefix) * upperFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x). */
export function gammaP(a: number, x: number): number {
  if (x === 0) return 0;
  if (x < a + 1) return Math.exp(a * Math.log(x) - x - logGamma(a)) * lowerSeries(a, x);
  return 1 - gammaQ(a, x);
}

/** sum_k x^k / (a (a+1) ... (a+k)): P(a, x) = x^a e^-x / Γ(a) times this. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let k = 1; k < MAX_ITER; k++) {
    term *= x / (a + k);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum;
}

/** Continued fraction for Γ(a, x) e^x x^-a (modified Lentz; Numerical Recipes 6.2.7). */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** P(X > x) for X ~ chi2(dof), as scipy.stats.chi2.sf. */
export function chi2Sf(x: number, dof: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return gammaQ(dof / 2, x / 2);
}

/** P(Z > z) for a standard normal Z, as scipy.stats.norm.sf: Q(1/2, z^2/2) / 2 for z >= 0. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z < 0) return 1 - normalSf(-z);
  if (z === 0) return 0.5;
  return gammaQ(0.5, (z * z) / 2) / 2;
}
