// The distributions' chart rows moved to src/charts/distribution.ts; the drift view's number format stays
// here under its old name, which the view's components and tests/e2e/drift.e2e.ts import.

/** Statistics as the drift view shows them: 4 significant digits, exponent form below 1e-3. */
export function formatStat(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  if (Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}
