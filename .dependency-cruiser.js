/**
 * Import rules, checked by `npm run lint:deps` (part of `npm run lint`, hence of `npm test` and CI).
 * Every import of src/ and workers/ must match one of the `allowed` rules below, one per layer; anything
 * else fails. `tsPreCompilationDeps` makes type-only imports count too, for the rules and for cycles.
 * The layers and the reasons are in docs/architecture.md; the choice of tool in
 * docs/decisions/0008-import-rules.md.
 *
 * One gap, covered by eslint.config.js: dependency-cruiser reads a .svelte file through Svelte's compiler,
 * which drops type-only imports, so the layer rules for components also live in eslint's
 * no-restricted-imports (which sees `import type`).
 */

/** Packages by name, as a path pattern under node_modules. */
const npm = (...names) => `^node_modules/(${names.join('|')})/`;
/** Vite asset URLs (`...wasm?url`) are build-time imports that no resolver finds; they are allowed where used. */
const viteUrl = '\\?url$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycles anywhere, type-only ones included: split out the shared type, or pass a callback in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing package (Vite ?url imports excepted).',
      from: {},
      to: { couldNotResolve: true, pathNot: viteUrl },
    },
    {
      name: 'engine-not-to-its-api',
      severity: 'error',
      comment: 'The worker API (src/engine/api*) sits on top of the engine: adapters, scheduler and queue never import it.',
      from: { path: '^src/engine/', pathNot: '^src/engine/api(\\.ts$|/)' },
      to: { path: '^src/engine/api(\\.ts$|/)' },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    {
      comment: 'src/lib, the analysis core: pure TypeScript over the Db interface, in the browser worker and in Node.',
      from: { path: '^src/lib/' },
      to: { path: ['^src/lib/', npm('apache-arrow', 'fflate', 'zod')] },
    },
    {
      comment: 'src/engine: DuckDB-WASM adapters, scheduler, queue and the worker API over the core.',
      from: { path: '^src/engine/' },
      to: { path: ['^src/(engine|lib|rpc)/', npm('@duckdb/duckdb-wasm', 'parquet-wasm', 'comlink', 'apache-arrow'), viteUrl] },
    },
    {
      comment: 'The Node adapters (CLI, tests, bench) use Node itself, and tsx to load TypeScript in a worker thread.',
      from: { path: '^src/engine/(node[A-Za-z]*|native[A-Za-z]*|pathSource)\\.(ts|mjs)$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      comment: "The CLI's engine: native DuckDB through its Node API.",
      from: { path: '^src/engine/native[A-Za-z]*\\.ts$' },
      to: { path: npm('@duckdb/node-api', '@duckdb/node-bindings') },
    },
    {
      from: { path: '^src/engine/nodeStatsWorker\\.mjs$' },
      to: { path: npm('tsx') },
    },
    {
      comment: 'workers/: entry files of a few lines each.',
      from: { path: '^workers/' },
      to: { path: ['^src/(engine|lib|rpc|offline)/', npm('comlink')] },
    },
    {
      comment: 'src/client: typed wrappers over the workers; it knows the worker APIs and core results as types only.',
      from: { path: '^src/client/' },
      to: { path: ['^src/(client|rpc)/', npm('comlink')] },
    },
    {
      from: { path: '^src/client/' },
      to: { path: ['^src/engine/(api\\.ts$|api/|shapApi\\.ts$)', '^src/lib/'], dependencyTypes: ['type-only'] },
    },
    {
      comment: 'src/state: rune classes; the one root (Workspace) hands each its client, storage and callbacks.',
      from: { path: '^src/state/' },
      to: { path: ['^src/(state|client|lib|persistence|rpc)/', '^src/offline/precachePlan\\.ts$', npm('svelte', 'zod')] },
    },
    {
      comment: 'src/charts: pure builders from (data, options) to Plot options; core types and pure helpers, never state or Svelte.',
      from: { path: '^src/charts/' },
      to: { path: ['^src/(charts|lib)/', npm('@observablehq/plot')] },
    },
    {
      comment: 'src/components and src/views: state (from context or props), core types and pure helpers, chart builders.',
      from: { path: '^src/(components|views)/' },
      to: { path: ['^src/(components|views|state|lib|charts)/', npm('svelte', 'virtua')] },
    },
    {
      comment: 'src/components/charts: the one mounting component, the only component that calls Plot.',
      from: { path: '^src/components/charts/' },
      to: { path: npm('@observablehq/plot') },
    },
    {
      comment: 'src/components/console: the SQL editor (CodeMirror) is mounted by one component, as Plot is.',
      from: { path: '^src/components/console/SqlEditor\\.svelte$' },
      to: { path: npm('codemirror', '@codemirror/[a-z-]+') },
    },
    {
      comment: 'src/persistence: the one module over IndexedDB; it knows the core by its types only.',
      from: { path: '^src/persistence/' },
      to: { path: ['^src/persistence/', npm('dexie', 'fflate', 'zod')] },
    },
    {
      from: { path: '^src/persistence/' },
      to: { path: '^src/lib/', dependencyTypes: ['type-only'] },
    },
    {
      comment: 'src/cli: the lantern command, on the core and the Node engine adapters.',
      from: { path: '^src/cli/' },
      to: { path: ['^src/(cli|lib)/', '^src/engine/(node|nodeStats|nativeDb|nativeFiles|pathSource|duckdbDb)\\.ts$'] },
    },
    {
      from: { path: '^src/cli/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      comment: 'src/offline: the service worker and its plan (shared with the build).',
      from: { path: '^src/offline/' },
      to: { path: '^src/offline/' },
    },
    {
      comment: 'src/rpc: what both sides of a worker boundary share (error transfer).',
      from: { path: '^src/rpc/' },
      to: { path: ['^src/(rpc|lib)/', npm('comlink')] },
    },
    {
      comment: 'src/main.ts, the composition root: makes the engine client, SHAP pool and storage, then the workspace.',
      from: { path: '^src/main\\.ts$' },
      to: { path: ['^src/(client|state|components|persistence)/', '^src/(zodJitless\\.ts|app\\.css)$', npm('svelte')] },
    },
    {
      from: { path: '^src/zodJitless\\.ts$' },
      to: { path: npm('zod') },
    },
    {
      comment: 'Tests, scripts, benchmarks and the CLI launcher stand outside the layers (cycles still count).',
      from: { path: '^(tests|scripts|bench|bin)/' },
      to: {},
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|public|bench/results|bench/tmp|scratch)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['svelte', 'browser', 'import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.svelte', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
