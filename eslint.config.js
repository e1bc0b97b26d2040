import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Layer rules: what each layer may import (see ../shared/ARCHITECTURE.md and docs/decisions/0002-layers.md). */
const uiAndEngine = [
  'svelte',
  'svelte/*',
  'dexie',
  'comlink',
  '@duckdb/*',
  'duckdb-browser-blocking',
  '@observablehq/plot',
  'parquet-wasm',
  'parquet-wasm/*',
  'virtua',
  'virtua/*',
];
const appLayers = [
  '**/components/**',
  '**/state/**',
  '**/client/**',
  '**/engine/**',
  '**/cli/**',
  '**/persistence/**',
  '**/views/**',
  '**/rpc/**',
  '**/workers/**',
];

export default ts.config(
  { ignores: ['scratch/', 'dist/', 'node_modules/', 'bench/results/', 'bench/tmp/', 'public/', 'coverage/', '.vite/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'svelte/no-at-html-tags': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } },
  },
  {
    // The analysis core is pure: no UI, framework, storage, RPC or engine bindings.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...uiAndEngine, ...appLayers], message: 'src/lib is the pure analysis core: it talks to the Db interface only.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB'],
    },
  },
  {
    // Views and state reach the engine only through the typed client.
    files: ['src/components/**', 'src/state/**', 'src/views/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/**', '@duckdb/*', 'duckdb-browser-blocking', '**/cli/**', '**/workers/**'],
              message: 'Use the typed client in src/client/.',
            },
          ],
        },
      ],
    },
  },
);
