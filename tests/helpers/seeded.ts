/**
 * The counter-based generator of scripts/fixtures/drift.py (lowbias32 over i * golden + seed * c), so a
 * test can rebuild a million-row fixture bit for bit instead of reading it from disk.
 */
export function hashU32(i: number, seed: number): number {
  let x = (Math.imul(i >>> 0, 0x9e3779b1) + Math.imul(seed >>> 0, 0x85ebca77)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function uniform(n: number, seed: number, offset = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = hashU32(offset + i, seed) / 2 ** 32;
  return out;
}
