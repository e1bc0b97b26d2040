import type { EngineDb } from '../../src/engine/duckdbDb';

/**
 * The engine the engine and CLI tests run against: LANTERN_ENGINE=wasm (DuckDB-WASM's Node build, the
 * browser's engine) or native (node-api, the CLI's). vitest.config.ts runs those suites once per engine,
 * so every analysis is checked on both; a test that only one engine can pass says why next to it.
 */
export type TestEngine = 'wasm' | 'native';

export function testEngine(): TestEngine {
  return process.env['LANTERN_ENGINE'] === 'wasm' ? 'wasm' : 'native';
}

let shared: Promise<EngineDb> | undefined;

/**
 * One engine per test file: instantiating the wasm costs about a second (and the WASM CLI commands in
 * the same file share it), a native instance little.
 */
export function testDb(): Promise<EngineDb> {
  shared ??= testEngine() === 'wasm' ? import('../../src/engine/node').then((m) => m.sharedNodeDb()) : openTestDb();
  return shared;
}

/** A fresh engine of the suite's kind, for tests that change its settings. */
export async function openTestDb(): Promise<EngineDb> {
  if (testEngine() === 'wasm') return (await import('../../src/engine/node')).openNodeDb();
  return (await import('../../src/engine/nativeDb')).openNativeDb();
}
