/**
 * Ascending sort of finite doubles, in the same order as Float64Array.prototype.sort (-0 before +0),
 * by an LSD radix sort on the IEEE-754 bits: 6 passes of 11 bits, passes whose digit is the same for
 * every value skipped. On 1,000,000 doubles it takes a fraction of the comparison sort's time, and
 * drift sorts two sides of every continuous column (decision 0101).
 *
 * The order-preserving key of a double is its bits with the sign bit flipped (positive values) or all
 * bits flipped (negative values); the digits are read from that key, the values themselves are moved
 * as doubles (finite values only: a NaN's bits are not guaranteed to survive a copy).
 */
const BITS = 11;
const RADIX = 1 << BITS;
const PASSES = 6;
/** Below this, the built-in sort is as fast and allocates nothing. */
const MIN_RADIX = 4096;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * One pass: moves every value to its bucket's next slot. The digit is read from the order-preserving
 * key (mask is -1 for negative values: flip all bits; else flip the sign bit); pass 2 straddles the words.
 */
function scatter(src: Float64Array, words: Uint32Array, dst: Float64Array, counts: Uint32Array, base: number, pass: number): void {
  const n = src.length;
  if (pass < 2) {
    const shift = pass * BITS;
    for (let i = 0; i < n; i++) {
      const kl = words[2 * i]! ^ (words[2 * i + 1]! >> 31);
      dst[counts[base + ((kl >>> shift) & 0x7ff)]!++] = src[i]!;
    }
  } else if (pass === 2) {
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + 1]!;
      const mask = hi >> 31;
      const kl = words[2 * i]! ^ mask;
      const kh = hi ^ (mask | 0x80000000);
      dst[counts[base + (((kl >>> 22) | (kh << 10)) & 0x7ff)]!++] = src[i]!;
    }
  } else {
    const shift = pass * BITS - 32;
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + 1]!;
      const kh = hi ^ ((hi >> 31) | 0x80000000);
      dst[counts[base + ((kh >>> shift) & 0x7ff)]!++] = src[i]!;
    }
  }
}

/**
 * Sorts finite values ascending in place and returns the array. NaN or ±inf in the input: unspecified
 * order. `scratch` (at least as long as `values`) lets a caller sorting many columns reuse one buffer:
 * a fresh 8 MB array per sort costs page faults and garbage collection.
 */
export function sortFinite(values: Float64Array, scratch?: Float64Array): Float64Array {
  const n = values.length;
  if (n < MIN_RADIX || !LITTLE_ENDIAN || values.byteOffset % 8 !== 0) return values.sort();
  const counts = new Uint32Array(PASSES * RADIX);
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    const mask = hi >> 31;
    const kl = (words[2 * i]! ^ mask) >>> 0;
    const kh = (hi ^ (mask | 0x80000000)) >>> 0;
    counts[kl & 0x7ff]!++;
    counts[RADIX + ((kl >>> 11) & 0x7ff)]!++;
    counts[2 * RADIX + (((kl >>> 22) | (kh << 10)) & 0x7ff)]!++;
    counts[3 * RADIX + ((kh >>> 1) & 0x7ff)]!++;
    counts[4 * RADIX + ((kh >>> 12) & 0x7ff)]!++;
    counts[5 * RADIX + (kh >>> 23)]!++;
  }
  let src = values;
  let srcWords = words;
  let dst: Float64Array | null = null;
  let dstWords: Uint32Array | null = null;
  for (let p = 0; p < PASSES; p++) {
    const base = p * RADIX;
    // A digit every value shares does not reorder anything.
    let skip = false;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[base + d]!;
      if (c === n) skip = true;
      counts[base + d] = sum;
      sum += c;
    }
    if (skip) continue;
    if (!dst) {
      dst = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
      dstWords = new Uint32Array(dst.buffer, dst.byteOffset, 2 * n);
    }
    scatter(src, srcWords, dst, counts, base, p);
    [src, dst] = [dst, src];
    [srcWords, dstWords] = [dstWords!, srcWords];
  }
  if (src !== values) values.set(src);
  return values;
}
