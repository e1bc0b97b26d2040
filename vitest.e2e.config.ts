import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app, served by `vite preview`, driven in Debian's Chromium via playwright-core.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two files at once, each with its own browser: a page's work is mostly its one DuckDB worker, so one
    // browser left the second core idle while it waited on it (docs/decisions/0990).
    maxWorkers: 2,
  },
});
