/**
 * The little linear algebra the multivariate analyses need, in plain typed arrays: the eigendecomposition
 * of a symmetric matrix (a covariance of a few dozen columns) by cyclic Jacobi rotations, and the leading
 * eigenvectors of a large covariance (embeddings of hundreds of dimensions) by subspace iteration on the
 * rows, without forming the matrix.
 */

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Eigenvectors as rows, in the order of `values`: vectors[k * p + j] is component k's weight on column j. */
  vectors: Float64Array;
}

/**
 * Eigenvalues and eigenvectors of a symmetric p x p matrix (row-major). Cyclic Jacobi (Golub & Van Loan,
 * Matrix Computations, 8.5): accurate to a few ulps of the largest eigenvalue, which is what an exact match
 * with LAPACK's SVD of the same data needs; O(p^3) per sweep, fine for the columns of a table.
 */
export function symmetricEigen(matrix: ArrayLike<number>, p: number): Eigen {
  if (matrix.length !== p * p) throw new Error(`symmetricEigen: expected ${p * p} entries, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const m = (a[i * p + j]! + a[j * p + i]!) / 2;
      a[i * p + j] = m;
      a[j * p + i] = m;
    }
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  let scale = 0;
  for (let i = 0; i < p * p; i++) scale = Math.max(scale, Math.abs(a[i]!));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += a[i * p + j]! * a[i * p + j]!;
    if (off === 0 || Math.sqrt(off) <= 1e-300 + Number.EPSILON * 1e-3 * scale) break;
    for (let q = 0; q < p; q++)
      for (let r = q + 1; r < p; r++) {
        const aqr = a[q * p + r]!;
        if (aqr === 0) continue;
        const aqq = a[q * p + q]!;
        const arr = a[r * p + r]!;
        // The rotation that zeroes a[q][r] (the smaller of the two angles, for stability).
        const theta = (arr - aqq) / (2 * aqr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const akq = a[k * p + q]!;
          const akr = a[k * p + r]!;
          a[k * p + q] = c * akq - s * akr;
          a[k * p + r] = s * akq + c * akr;
        }
        for (let k = 0; k < p; k++) {
          const aqk = a[q * p + k]!;
          const ark = a[r * p + k]!;
          a[q * p + k] = c * aqk - s * ark;
          a[r * p + k] = s * aqk + c * ark;
        }
        a[q * p + r] = 0;
        a[r * p + q] = 0;
        for (let k = 0; k < p; k++) {
          const vkq = v[k * p + q]!;
          const vkr = v[k * p + r]!;
          v[k * p + q] = c * vkq - s * vkr;
          v[k * p + r] = s * vkq + c * vkr;
        }
      }
  }
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => a[y * p + y]! - a[x * p + x]! || x - y);
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach((col, k) => {
    values[k] = a[col * p + col]!;
    // A fixed sign (largest entry positive) so that results do not flip between runs or engines.
    let big = 0;
    for (let j = 0; j < p; j++) if (Math.abs(v[j * p + col]!) > Math.abs(v[big * p + col]!)) big = j;
    const sign = v[big * p + col]! < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) vectors[k * p + j] = sign * v[j * p + col]!;
  });
  return { values, vectors };
}

/**
 * The `k` leading eigenvectors (and eigenvalues) of the covariance of n rows of d values (row-major),
 * centred by `mean`, by subspace iteration: V <- orth(X^T X V). Costs O(n d k) per iteration and never
 * forms the d x d matrix, so 1,536-dimensional embeddings are fine. `total` is the trace (total variance).
 */
export function leadingComponents(
  rows: Float64Array,
  n: number,
  d: number,
  mean: Float64Array,
  k: number,
  options: { iterations?: number; tolerance?: number } = {},
): { values: Float64Array; vectors: Float64Array; total: number } {
  k = Math.min(k, d);
  const iterations = options.iterations ?? 300;
  const tolerance = options.tolerance ?? 1e-10;
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) total += (rows[i * d + j]! - mean[j]!) ** 2;
  total /= Math.max(1, n - 1);
  // A deterministic start that is unlikely to be orthogonal to any eigenvector.
  let v = new Float64Array(k * d);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) v[c * d + j] = Math.sin(1 + 7.3 * c + 1.7 * j + 0.01 * j * j);
  orthonormalize(v, k, d);
  const values = new Float64Array(k);
  const xv = new Float64Array(n * k);
  for (let it = 0; it < iterations; it++) {
    // xv = X v^T (n x k), then w = X^T xv (k x d).
    xv.fill(0);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (rows[i * d + j]! - mean[j]!) * v[c * d + j]!;
        xv[i * k + c] = s;
      }
    const w = new Float64Array(k * d);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const s = xv[i * k + c]!;
        if (s === 0) continue;
        for (let j = 0; j < d; j++) w[c * d + j] = w[c * d + j]! + s * (rows[i * d + j]! - mean[j]!);
      }
    // Rayleigh-Ritz on the small subspace keeps the vectors sorted by eigenvalue as they converge.
    const h = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) h[a * k + b] = dot(v, a, w, b, d) / Math.max(1, n - 1);
    const small = symmetricEigen(h, k);
    orthonormalize(w, k, d);
    let change = 0;
    for (let c = 0; c < k; c++) change = Math.max(change, 1 - Math.abs(dot(v, c, w, c, d)));
    v = w;
    for (let c = 0; c < k; c++) values[c] = small.values[c]!;
    if (change < tolerance) break;
  }
  // Final Ritz vectors in the converged subspace.
  const h = new Float64Array(k * k);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      let sa = 0;
      for (let j = 0; j < d; j++) sa += (rows[i * d + j]! - mean[j]!) * v[a * d + j]!;
      xv[i * k + a] = sa;
    }
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) h[a * k + b] = h[a * k + b]! + xv[i * k + a]! * xv[i * k + b]!;
  for (let a = 0; a < k * k; a++) h[a]! /= Math.max(1, n - 1);
  const small = symmetricEigen(h, k);
  const vectors = new Float64Array(k * d);
  for (let c = 0; c < k; c++) {
    for (let b = 0; b < k; b++) {
      const coef = small.vectors[c * k + b]!;
      for (let j = 0; j < d; j++) vectors[c * d + j] = vectors[c * d + j]! + coef * v[b * d + j]!;
    }
    values[c] = small.values[c]!;
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[c * d + j]!) > Math.abs(vectors[c * d + big]!)) big = j;
    if (vectors[c * d + big]! < 0) for (let j = 0; j < d; j++) vectors[c * d + j] = -vectors[c * d + j]!;
  }
  return { values, vectors, total };
}

function dot(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let x = 0; x < d; x++) s += a[i * d + x]! * b[j * d + x]!;
  return s;
}

/** Modified Gram-Schmidt on k rows of length d, in place; a row that vanishes is replaced by a unit vector. */
function orthonormalize(v: Float64Array, k: number, d: number): void {
  for (let c = 0; c < k; c++) {
    for (let b = 0; b < c; b++) {
      const s = dot(v, c, v, b, d);
      for (let j = 0; j < d; j++) v[c * d + j] = v[c * d + j]! - s * v[b * d + j]!;
    }
    const norm = Math.sqrt(dot(v, c, v, c, d));
    if (norm < 1e-300) {
      for (let j = 0; j < d; j++) v[c * d + j] = j === c ? 1 : 0;
      continue;
    }
    for (let j = 0; j < d; j++) v[c * d + j]! /= norm;
  }
}
