// Builds the `lantern` CLI to plain JavaScript in cli-dist/, so an installed CLI compiles nothing at run
// time. npm dependencies stay external: they install with the package (native DuckDB, DuckDB-WASM and
// parquet-wasm with their .wasm files), and the core is bundled. Chunks are split so each command still
// loads only its own part of the core (src/cli/main.ts imports commands when called).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = join(root, 'cli-dist');

/** `clean` empties cli-dist first (the package build); tests rebuild in place, as two test projects may build at once. */
export async function buildCli({ clean = true } = {}) {
  if (clean) await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/cli/main.ts',
      // Next to the chunks, where nodeStats.ts finds it through new URL('./nodeStatsWorker.mjs', import.meta.url).
      nodeStatsWorker: 'src/engine/nodeStatsServe.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  await buildCli();
  console.log(`lantern CLI built to cli-dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
