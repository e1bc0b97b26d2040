import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Layer rules: what each layer may import (see docs/architecture.md and docs/decisions/0002-layers.md).
 * The full set, with cycles, is .dependency-cruiser.js (`npm run lint:deps`); these stay because eslint
 * also sees type-only imports inside .svelte files, which dependency-cruiser cannot (decision 0008).
 */
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
  'codemirror',
  '@codemirror/*',
];
/** Reaching the engine without the typed client. */
const engineDirect = ['**/engine/**', '@duckdb/*', 'duckdb-browser-blocking', '**/cli/**', '**/workers/**'];
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
  { ignores: ['scratch/', 'dist/', 'cli-dist/', 'node_modules/', 'bench/results/', 'bench/tmp/', 'public/', 'coverage/', '.vite/'] },
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
    // State reaches the engine only through the typed client.
    files: ['src/state/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: engineDirect, message: 'Use the typed client in src/client/.' }] }],
    },
  },
  {
    // Components and views get the state from context (useWorkspace) or props; the engine, the client,
    // storage and worker plumbing stay behind the state layer. Type-only imports count too.
    files: ['src/components/**', 'src/views/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: engineDirect, message: 'Components reach the engine through the state (src/state/).' },
            {
              group: ['**/client/**', '**/persistence', '**/persistence/**', '**/rpc/**', 'comlink', 'dexie', 'apache-arrow'],
              message:
                'Components use the state (useWorkspace() from src/state/context.ts, or props); result types come from src/state/results.ts.',
            },
            {
              group: ['@observablehq/plot'],
              message: 'Charts are built by src/charts/ and drawn by src/components/charts/PlotFigure.svelte.',
            },
          ],
        },
      ],
    },
  },
  {
    // The mounting component is the one place a component draws with Plot (same rules otherwise).
    files: ['src/components/charts/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: engineDirect, message: 'Components reach the engine through the state (src/state/).' },
            {
              group: ['**/client/**', '**/persistence', '**/persistence/**', '**/rpc/**', 'comlink', 'dexie', 'apache-arrow'],
              message: 'Use the state.',
            },
          ],
        },
      ],
    },
  },
  {
    // Chart builders are pure functions of (data, options): no page state, no framework, no engine, and
    // nothing that makes two renders of the same data differ.
    files: ['src/charts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'svelte',
                'svelte/*',
                '**/state/**',
                '**/client/**',
                '**/engine/**',
                '**/components/**',
                '**/views/**',
                '**/persistence/**',
                '**/rpc/**',
                'dexie',
                'comlink',
                '@duckdb/*',
              ],
              message: 'src/charts builds Plot options from data: it may import src/lib and @observablehq/plot only.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB'],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Charts are deterministic: use a seeded generator.' },
        { object: 'Date', property: 'now', message: 'Charts are deterministic: take the time from the data.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^toLocale/][arguments.length=0]',
          message: 'Name the locale: a chart must read the same on every machine.',
        },
      ],
    },
  },
);
