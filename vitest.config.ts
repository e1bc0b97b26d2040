import { defineConfig } from 'vitest/config';

const engineSuites = ['tests/engine/**/*.test.ts', 'tests/cli/**/*.test.ts'];

// Unit tests once; engine and CLI tests once per engine (tests/helpers/db.ts reads LANTERN_ENGINE), so
// every analysis is proven on DuckDB-WASM (the browser's engine) and native DuckDB (the CLI's).
// `npx vitest run --project native <file>` runs one side.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'wasm', include: engineSuites, env: { LANTERN_ENGINE: 'wasm' } } },
      { extends: true, test: { name: 'native', include: engineSuites, env: { LANTERN_ENGINE: 'native' } } },
    ],
  },
});
