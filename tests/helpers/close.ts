import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { MetricValue } from '../../src/lib/metrics/value';

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

/** |actual - expected| <= max(rel * |expected|, 1e-15): relative, with an absolute floor for expected zeros. */
export function expectClose(actual: number | null | undefined, expected: number, rel = 1e-9, what = ''): void {
  expect(actual, what).not.toBeNull();
  expect(actual, what).not.toBeUndefined();
  const tol = Math.max(rel * Math.abs(expected), 1e-15);
  if (!(Math.abs((actual as number) - expected) <= tol)) {
    throw new Error(
      `${what}: expected ${expected}, got ${actual} (relative error ${Math.abs((actual as number) - expected) / Math.abs(expected || 1)})`,
    );
  }
}

/** A metric against a sklearn fixture value; null in the fixture means sklearn could not define it. */
export function expectMetric(m: MetricValue | undefined, expected: number | null, rel = 1e-9, what = ''): void {
  expect(m, what).toBeDefined();
  if (expected === null) {
    expect(m!.defined, `${what} should be undefined`).toBe(false);
    if (!m!.defined) expect(m!.reason.length, what).toBeGreaterThan(5);
    return;
  }
  expect(m!.defined, `${what} should be defined (${JSON.stringify(m)})`).toBe(true);
  if (m!.defined) expectClose(m!.value, expected, rel, what);
}

export function readFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8')) as T;
}
