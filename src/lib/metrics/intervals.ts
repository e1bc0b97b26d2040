import { normalQuantile } from './distributions';
import type { Interval } from './value';

/**
 * Wilson score interval for a proportion k/n (Wilson 1927; what statsmodels' proportion_confint calls
 * method="wilson"). Unlike the normal approximation it stays inside [0, 1] and behaves at k = 0 or k = n.
 */
export function wilsonInterval(k: number, n: number, level = 0.95): Interval | undefined {
  if (!(n > 0)) return undefined;
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half), method: 'wilson', level };
}

/** A small seeded generator (mulberry32): bootstrap intervals must be the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A Poisson(lambda) draw. Resampling n rows with replacement gives each row a Binomial(n, 1/n) weight;
 * the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012) uses Poisson(1) weights instead,
 * and a group of c identical rows then gets a Poisson(c) weight - which lets the bootstrap run on the
 * grouped (score, label) counts instead of on a million rows. Small lambda: inversion; large lambda: the
 * normal approximation, whose error is far below the bootstrap's own Monte Carlo error.
 */
export function poisson(lambda: number, random: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = random();
    while (u > cdf && k < 1000) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
  const u1 = Math.max(random(), 1e-300);
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

/** Percentile interval of bootstrap replicates (non-finite replicates, e.g. a resample with one class, are dropped). */
export function percentileInterval(replicates: number[], level = 0.95): Interval | undefined {
  const finite = replicates.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 10) return undefined;
  const at = (q: number) => {
    const pos = q * (finite.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, finite.length - 1);
    return finite[lo]! + (finite[hi]! - finite[lo]!) * (pos - lo);
  };
  return { lo: at((1 - level) / 2), hi: at(1 - (1 - level) / 2), method: 'bootstrap', level };
}

/**
 * Newcombe's hybrid score interval for the difference k1/n1 - k2/n2 of two independent proportions
 * (Newcombe 1998, method 10: the square-and-add of the two Wilson intervals' distances); what
 * statsmodels' confint_proportions_2indep calls method="newcomb".
 */
export function newcombeInterval(k1: number, n1: number, k2: number, n2: number, level = 0.95): Interval | undefined {
  const a = wilsonInterval(k1, n1, level);
  const b = wilsonInterval(k2, n2, level);
  if (!a || !b) return undefined;
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const d = p1 - p2;
  return {
    lo: d - Math.sqrt((p1 - a.lo) ** 2 + (b.hi - p2) ** 2),
    hi: d + Math.sqrt((a.hi - p1) ** 2 + (p2 - b.lo) ** 2),
    method: 'newcombe',
    level,
  };
}

/**
 * Normal interval for a difference of two independent estimates from their variances (Welch's unpooled
 * standard error when the estimates are means: variance = s^2 / n).
 */
export function differenceInterval(
  difference: number,
  variance1: number,
  variance2: number,
  method: Interval['method'],
  level = 0.95,
): Interval | undefined {
  const se = Math.sqrt(variance1 + variance2);
  if (!Number.isFinite(difference) || !Number.isFinite(se)) return undefined;
  const half = normalQuantile(1 - (1 - level) / 2) * se;
  return { lo: difference - half, hi: difference + half, method, level };
}
