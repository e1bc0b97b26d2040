import { availableParallelism } from 'node:os';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const engineSuites = ['tests/engine/**/*.test.ts', 'tests/cli/**/*.test.ts'];
/**
 * The CLI runs native DuckDB; DuckDB-WASM is its fallback. Every CLI file runs on native. On WASM run the
 * CLI files about the fallback itself (how it reads files and says what it guessed, and `profile` on it);
 * the other commands' numbers are checked on WASM by the engine tests against the same references, and
 * tests/cli/parity.test.ts runs the commands on both engines and compares them number for number
 * (docs/decisions/0990-which-engine-runs-which-test.md).
 */
const wasmSuites = [
  'tests/engine/**/*.test.ts',
  'tests/cli/dataWarnings.test.ts',
  'tests/cli/hostileCorpus.test.ts',
  'tests/cli/profile.test.ts',
];
// CLI tests that run bin/lantern.mjs as a process run the built CLI (cli-dist/): build it from the source first.
const globalSetup = ['tests/helpers/buildCli.ts'];

// Node, no mocks. Unit and state tests once (state tests build the page's rune classes, compiled by the
// Svelte plugin, with fake engines); engine tests once per engine (tests/helpers/db.ts reads
// LANTERN_ENGINE), so every analysis is proven on DuckDB-WASM (the browser's engine) and native DuckDB
// (the CLI's); CLI tests on native and, for the CLI's WASM fallback, some on WASM (wasmSuites); chart tests
// draw every builder of src/charts with Plot on jsdom, in UTC so no snapshot depends on where it ran. `npx vitest run --project native <file>` runs one side.
export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest runs one file at a time on a 2-core machine unless told (its default is cores - 1): most
    // files are single-threaded (DuckDB-WASM, jsdom), so two at once use the second core. Native DuckDB
    // files then share the cores with the other file, which only slows them (docs/decisions/0990).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/state/**/*.test.ts'] } },
      { extends: true, test: { name: 'wasm', include: wasmSuites, globalSetup, env: { LANTERN_ENGINE: 'wasm' } } },
      { extends: true, test: { name: 'native', include: engineSuites, globalSetup, env: { LANTERN_ENGINE: 'native' } } },
      { extends: true, test: { name: 'charts', include: ['tests/charts/**/*.test.ts'], env: { TZ: 'UTC' } } },
    ],
  },
});
