/**
 * The exact null distribution of the two-sample Kolmogorov-Smirnov statistic (two-sided), ported from
 * scipy 1.10: `_compute_prob_outside_square` (scipy/stats/_stats_py.py) for equal sample sizes and
 * `_compute_outer_prob_inside_method` (scipy/stats/_stats_pythran.py) otherwise, which follows Hodges
 * (1958) with the numerically stable 1 - p recursion of Viehmann (arXiv:2102.08037).
 */

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} >= h/n): 2 * sum_k (-1)^k binom(2n, n-kh) / binom(2n, n), evaluated Horner-like as scipy does. */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm(m,n), computed
 * column by column over a sliding window of the band (scipy's `_compute_outer_prob_inside_method`).
 */
export function outerProbInsideMethod(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  // scipy sizes A to lenA; the window can outgrow that estimate, so give it room for the whole column.
  const A = new Float64Array(Math.max(lenA, n + 2)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj]! * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1]!;
}

export interface ExactAttempt {
  success: boolean;
  /** The statistic rounded to the lattice, h / lcm(n1, n2), which scipy reports in exact mode. */
  d: number;
  p: number;
}

/** scipy's `_attempt_exact_2kssamp` for the two-sided alternative. */
export function attemptExactKs(n1: number, n2: number, d: number): ExactAttempt {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dRounded = h / lcm;
  if (h === 0) return { success: true, d: dRounded, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
  if (!Number.isFinite(p)) return { success: false, d: dRounded, p: Number.NaN };
  if (!(p >= 0 && p <= 1)) return { success: false, d: dRounded, p };
  return { success: true, d: dRounded, p };
}

/** numpy.round rounds half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
