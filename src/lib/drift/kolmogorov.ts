/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n, as scipy.stats.kstwo.sf
 * (scipy 1.10, scipy/stats/_ksstats.py, after Simard & L'Ecuyer 2011). ks_2samp's asymptotic branch calls
 * it with n = round(n1 n2 / (n1 + n2)). The algorithm choice per (n, x) region is scipy's:
 * Ruben-Gambino closed forms at the ends, the Durbin matrix (Marsaglia-Tsang-Wang), the Pomeranz
 * recursion, the Pelz-Good expansion, and 2 * Smirnov's one-sided tail where the two one-sided tails do
 * not overlap.
 */
import { smirnovSf } from './smirnov';

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417, -0.0005952380952380953, 0.0007936507936507937,
  -0.002777777777777778, 0.08333333333333333,
];

const clip = (p: number) => Math.min(1, Math.max(0, p));

function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** P(D_n <= d) by the Durbin matrix method, with the power taken by squaring and rescaled by 2^128. */
export function kolmogornDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      P = matmul(P, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > E128) {
      for (let i = 0; i < H.length; i++) H[i]! /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  if (expnt !== 0) p *= 2 ** expnt;
  return clip(p);
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l]!;
      if (x === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += x * b[l * m + j]!;
    }
  return out;
}

function pomeranzJ1J2(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by the Pomeranz (1974) recursion, as scipy's `_kolmogn_Pomeranz`. */
export function kolmogornPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1]! * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzJ1J2(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ1J2(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const start = k1 - V0s;
      const a = V0.subarray(Math.max(0, start), Math.min(npwrs, start + ln2));
      const b = pwrs.subarray(0, Math.min(npwrs, ln2));
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      const fullLen = a.length + b.length - 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        if (idx < 0 || idx >= fullLen) continue;
        let s = 0;
        const lo = Math.max(0, idx - b.length + 1);
        const hi = Math.min(idx, a.length - 1);
        for (let q = lo; q <= hi; q++) s += a[q]! * b[idx - q]!;
        V1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < V1.length; c++) V1[c]! *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans *= 2 ** expnt;
  return clip(ans);
}

/** The Pelz-Good (1976) approximation to P(D_n <= x), as scipy's `_kolmogn_PelzGood` with cdf=True. */
export function kolmogornPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * SQRT2PI) / div[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kspi = Math.PI * k;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * k2 * qp;
  }
  K[2] = K[2]! + (k2extra * PI2 * SQRT2PI) / (-36 * z3);
  K[3] = K[3]! + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/** scipy.stats.kstwo.sf(x, n): P(D_n > x) for the two-sided one-sample statistic. */
export function kstwoSf(x: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - prob);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - kolmogornDurbin(n, x));
    if (nx2 <= 4) return clip(1 - kolmogornPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  let cdf: number;
  if (nx2 >= 18) cdf = 1;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = kolmogornDurbin(n, x);
  else cdf = kolmogornPelzGood(n, x);
  return clip(1 - clip(cdf));
}

/** scipy.special.kolmogorov(y): the limiting (Kolmogorov) distribution's survival function, kstwobign.sf. */
export function kolmogorovSf(y: number): number {
  if (Number.isNaN(y)) return Number.NaN;
  if (y <= 0 || y <= Math.PI / Math.sqrt(746 * 8)) return 1;
  if (y <= 0.82) {
    const w = SQRT2PI / y;
    const logu8 = -PI2 / (y * y);
    const u = Math.exp(logu8 / 8);
    const u8 = Math.exp(logu8);
    let P = 1;
    P = 1 + u8 ** 3 * P;
    P = 1 + u8 * u8 * P;
    P = 1 + u8 * P;
    return clip(1 - w * u * P);
  }
  const v = Math.exp(-2 * y * y);
  const v3 = v ** 3;
  let P = 1;
  P = 1 - v3 * v3 * v * P;
  P = 1 - v3 * v * v * P;
  P = 1 - v3 * P;
  return clip(2 * v * P);
}
