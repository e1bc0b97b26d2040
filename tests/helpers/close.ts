import { expect } from 'vitest';

/** |actual - expected| <= rel * |expected| (or <= abs, for values that are themselves ~0). */
export function closeTo(actual: number | null | undefined, expected: number | null, rel: number, abs = 0): void {
  if (expected === null) {
    expect(actual ?? null).toBeNull();
    return;
  }
  expect(actual, `expected ${expected}`).toBeTypeOf('number');
  const a = actual as number;
  if (Number.isNaN(expected)) {
    expect(a).toBeNaN();
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(a).toBe(expected);
    return;
  }
  const err = Math.abs(a - expected);
  if (err <= abs) return;
  expect(err / Math.abs(expected), `actual ${a} vs expected ${expected}`).toBeLessThanOrEqual(rel);
}
