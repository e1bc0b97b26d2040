import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const engineSuites = ['tests/engine/**/*.test.ts', 'tests/cli/**/*.test.ts'];
// CLI tests that run bin/lantern.mjs as a process run the built CLI (cli-dist/): build it from the source first.
const globalSetup = ['tests/helpers/buildCli.ts'];

// Node, no mocks. Unit and state tests once (state tests build the page's rune classes, compiled by the
// Svelte plugin, with fake engines); engine and CLI tests once per engine (tests/helpers/db.ts reads
// LANTERN_ENGINE), so every analysis is proven on DuckDB-WASM (the browser's engine) and native DuckDB
// (the CLI's); chart tests draw every builder of src/charts with Plot on jsdom, in UTC so no snapshot
// depends on where it ran. `npx vitest run --project native <file>` runs one side.
export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/state/**/*.test.ts'] } },
      { extends: true, test: { name: 'wasm', include: engineSuites, globalSetup, env: { LANTERN_ENGINE: 'wasm' } } },
      { extends: true, test: { name: 'native', include: engineSuites, globalSetup, env: { LANTERN_ENGINE: 'native' } } },
      { extends: true, test: { name: 'charts', include: ['tests/charts/**/*.test.ts'], env: { TZ: 'UTC' } } },
    ],
  },
});
