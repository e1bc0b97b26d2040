/**
 * L2-regularised logistic regression (scikit-learn's LogisticRegression objective: C times the summed log
 * loss plus half the squared weights, intercept unpenalised) solved by L-BFGS with a backtracking line
 * search. Deterministic. Used as the domain classifier on TF-IDF (sparse) and embedding (dense) features,
 * where there are many features and a linear model is what Evidently uses.
 */

/** Rows of features the solver reads: `dot` a row with weights, `axpy` a scaled row into a gradient. */
export interface Design {
  rows: number;
  features: number;
  dot(row: number, w: Float64Array): number;
  axpy(row: number, scale: number, out: Float64Array): void;
}

/** Compressed sparse rows: row i's entries are indices/values[indptr[i]..indptr[i+1]). */
export interface Csr {
  rows: number;
  features: number;
  indptr: Uint32Array;
  indices: Uint32Array;
  values: Float64Array;
}

export function csrDesign(m: Csr): Design {
  return {
    rows: m.rows,
    features: m.features,
    dot(row, w) {
      let s = 0;
      for (let k = m.indptr[row]!; k < m.indptr[row + 1]!; k++) s += m.values[k]! * w[m.indices[k]!]!;
      return s;
    },
    axpy(row, scale, out) {
      for (let k = m.indptr[row]!; k < m.indptr[row + 1]!; k++) out[m.indices[k]!] = out[m.indices[k]!]! + scale * m.values[k]!;
    },
  };
}

/** Row-major dense rows, each feature standardised by the given mean and scale. */
export function denseDesign(values: Float64Array, rows: number, features: number, mean: Float64Array, scale: Float64Array): Design {
  return {
    rows,
    features,
    dot(row, w) {
      let s = 0;
      const at = row * features;
      for (let j = 0; j < features; j++) s += ((values[at + j]! - mean[j]!) / scale[j]!) * w[j]!;
      return s;
    },
    axpy(row, factor, out) {
      const at = row * features;
      for (let j = 0; j < features; j++) out[j] = out[j]! + (factor * (values[at + j]! - mean[j]!)) / scale[j]!;
    },
  };
}

export interface LogisticModel {
  weights: Float64Array;
  intercept: number;
  iterations: number;
}

export interface LogisticOptions {
  /** Inverse regularisation strength (scikit-learn's C). */
  c?: number;
  maxIterations?: number;
  /** Stop when the largest gradient entry falls below this (scikit-learn's tol for lbfgs). */
  tolerance?: number;
  /** Called between iterations; may throw to stop. */
  onIteration?: () => void;
}

const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Fits on the given rows of the design (labels 1 = current, 0 = reference). */
export function fitLogistic(design: Design, labels: Uint8Array, rows: Uint32Array, options: LogisticOptions = {}): LogisticModel {
  const c = options.c ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-4;
  const d = design.features;
  // x = [weights..., intercept]
  const evaluate = (x: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const b = x[d]!;
    for (const r of rows) {
      const z = design.dot(r, x) + b;
      const y = labels[r]!;
      loss += softplus(z) - y * z;
      const residual = c * (sigmoid(z) - y);
      design.axpy(r, residual, grad);
      grad[d] = grad[d]! + residual;
    }
    loss *= c;
    for (let j = 0; j < d; j++) {
      loss += 0.5 * x[j]! * x[j]!;
      grad[j] = grad[j]! + x[j]!;
    }
    return loss;
  };
  const x = new Float64Array(d + 1);
  const iterations = lbfgs(evaluate, x, { maxIterations, tolerance, ...(options.onIteration ? { onIteration: options.onIteration } : {}) });
  return { weights: x.slice(0, d), intercept: x[d]!, iterations };
}

export function predictLogit(design: Design, model: LogisticModel, rows: Uint32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = design.dot(rows[i]!, model.weights) + model.intercept;
  return out;
}

/** Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4) minimising `f` from `x` in place; returns iterations. */
function lbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x: Float64Array,
  o: { maxIterations: number; tolerance: number; onIteration?: () => void },
): number {
  const n = x.length;
  const m = 10;
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  let g = new Float64Array(n);
  let fx = f(x, g);
  const dir = new Float64Array(n);
  const alpha = new Float64Array(m);
  let it = 0;
  for (; it < o.maxIterations; it++) {
    if (maxAbs(g) <= o.tolerance) break;
    o.onIteration?.();
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dotv(s[k]!, dir);
      axpy(-alpha[k]!, y[k]!, dir);
    }
    if (s.length) {
      const last = s.length - 1;
      const gamma = dotv(s[last]!, y[last]!) / dotv(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) dir[i]! *= gamma;
    } else {
      const norm = Math.sqrt(dotv(g, g));
      for (let i = 0; i < n; i++) dir[i]! /= Math.max(1, norm);
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dotv(y[k]!, dir);
      axpy(alpha[k]! - beta, s[k]!, dir);
    }
    let slope = dotv(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature lost): restart from the gradient.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i]!;
      slope = dotv(g, dir);
    }
    // Backtracking line search (Armijo).
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx) && !(fNew <= fx + 1e-4 * step * slope)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dotv(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    x.set(xNew);
    const change = Math.abs(fx - fNew) / Math.max(1, Math.abs(fx), Math.abs(fNew));
    fx = fNew;
    g = gNew;
    if (change < 1e-15) {
      it++;
      break;
    }
  }
  return it;
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
