/**
 * Isotonic regression as scikit-learn's IsotonicRegression(increasing=True, out_of_bounds="clip"):
 * points with equal x are merged first (weighted mean of y, summed weights - sklearn's _make_unique),
 * then pool-adjacent-violators with weights, then prediction by linear interpolation between the
 * fitted points (np.interp), clipped to the fitted x range.
 */
export interface IsotonicFit {
  /** Thresholds as sklearn's X_thresholds_ / y_thresholds_: interior points of flat runs removed. */
  x: number[];
  y: number[];
}

/** Fits on distinct ascending x with a mean y and weight per x (e.g. a score table: pos/(pos+neg), pos+neg). */
export function isotonicFit(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): IsotonicFit {
  const n = x.length;
  // Blocks of the PAV: mean value, weight, first index.
  const value: number[] = [];
  const weight: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(w[i]! > 0)) continue;
    value.push(y[i]!);
    weight.push(w[i]!);
    start.push(i);
    while (value.length > 1 && value[value.length - 2]! >= value[value.length - 1]!) {
      const v2 = value.pop()!;
      const w2 = weight.pop()!;
      start.pop();
      const v1 = value[value.length - 1]!;
      const w1 = weight[weight.length - 1]!;
      value[value.length - 1] = (v1 * w1 + v2 * w2) / (w1 + w2);
      weight[weight.length - 1] = w1 + w2;
    }
  }
  // Expand blocks back to points and keep the first and last x of each flat run (sklearn trims the rest;
  // interpolation is the same either way).
  const fitted: number[] = [];
  const xs: number[] = [];
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i]! > 0)) continue;
    while (b + 1 < start.length && start[b + 1]! <= i) b++;
    xs.push(x[i]!);
    fitted.push(value[b]!);
  }
  const outX: number[] = [];
  const outY: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const prevSame = i > 0 && fitted[i - 1] === fitted[i];
    const nextSame = i + 1 < xs.length && fitted[i + 1] === fitted[i];
    if (prevSame && nextSame) continue;
    outX.push(xs[i]!);
    outY.push(fitted[i]!);
  }
  return { x: outX, y: outY };
}

/** np.interp over the fit, with inputs clipped to the fitted range (out_of_bounds="clip"). */
export function isotonicPredict(fit: IsotonicFit, v: number): number {
  const { x, y } = fit;
  const n = x.length;
  if (n === 0) return NaN;
  if (v <= x[0]!) return y[0]!;
  if (v >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo]!;
  const x1 = x[hi]!;
  if (v === x0) return y[lo]!;
  const slope = (y[hi]! - y[lo]!) / (x1 - x0);
  return slope * (v - x0) + y[lo]!;
}
