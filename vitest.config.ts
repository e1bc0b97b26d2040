import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit, engine and CLI tests: Node, the real DuckDB-WASM Node build, no mocks. State tests build the
// page's rune classes (src/state/*.svelte.ts, compiled by the Svelte plugin) with fake engines.
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/state/**/*.test.ts', 'tests/engine/**/*.test.ts', 'tests/cli/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
