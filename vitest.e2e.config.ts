import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app, served by `vite preview`, driven in Debian's Chromium via playwright-core.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One browser at a time: the machine has two cores and each page runs a DuckDB worker.
    fileParallelism: false,
  },
});
