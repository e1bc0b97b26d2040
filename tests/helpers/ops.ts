import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { testDb } from './db';

/** The service log fixtures of scripts/fixtures/ops_costs.py (flights as requests to a prediction service). */
export function opsFixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/ops/${name}`, import.meta.url));
}

export function opsFixture<T>(name: string): T {
  return JSON.parse(readFileSync(opsFixturePath(name), 'utf8')) as T;
}

/** Loads a fixture file into the test file's engine under `table`. */
export async function loadOpsFixture(name: string, table: string): Promise<void> {
  const db = await testDb();
  await loadDataset(db, nodeParquet, await PathSource.open(opsFixturePath(name)), { table });
}

/** Equal to 1e-9 (relative past 1), or both null. */
export function expectClose(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

export const iso = (ms: number) => new Date(ms).toISOString();
