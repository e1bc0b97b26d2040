import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit, engine and CLI tests: Node, the real DuckDB-WASM Node build, no mocks. State tests build the
// page's rune classes (src/state/*.svelte.ts, compiled by the Svelte plugin) with fake engines. Chart
// tests draw every builder of src/charts with Plot on jsdom, in UTC so no snapshot depends on where it ran.
export default defineConfig({
  plugins: [svelte()],
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/state/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/cli/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'charts', include: ['tests/charts/**/*.test.ts'], env: { TZ: 'UTC' } },
      },
    ],
  },
});
