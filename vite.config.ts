import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { contentSecurityPolicy } from './scripts/vite/contentSecurityPolicy.ts';
import { precachePlugin } from './scripts/vite/precachePlugin.ts';

/**
 * LANTERN_ISOLATE=1 makes the dev and preview servers send the two headers that make a page cross-origin
 * isolated (see docs/decisions/0502-threads.md). Off by default: isolation changes nothing for the
 * synchronous engine, and it blocks cross-origin embeds a developer may be testing.
 */
const isolationHeaders: Record<string, string> =
  process.env['LANTERN_ISOLATE'] === '1'
    ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }
    : {};

export default defineConfig({
  // Relative asset URLs: the static build works from any host and any sub-path.
  base: './',
  plugins: [
    svelte(),
    {
      name: 'lantern:csp-meta',
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy.meta }, injectTo: 'head-prepend' },
      ],
    },
    precachePlugin(),
  ],
  resolve: {
    alias: {
      // DuckDB-WASM's synchronous browser build is shipped but not in its package exports map.
      'duckdb-browser-blocking': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000, assetsInlineLimit: 0 },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  server: { port: 5173, headers: isolationHeaders },
  // The preview server sends the policy as a header too, so e2e tests run under it in workers as well.
  preview: { port: 4173, headers: { 'Content-Security-Policy': contentSecurityPolicy.header, ...isolationHeaders } },
});
