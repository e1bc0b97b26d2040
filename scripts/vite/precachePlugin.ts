import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { manifestEntries, SERVICE_WORKER_FILE, versionInput, type PrecacheManifest } from '../../src/offline/precachePlan.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The manifest of everything in a finished build folder (see docs/decisions/0500-offline-service-worker.md). */
export function precacheManifest(outDir: string): PrecacheManifest {
  const files = filesUnder(outDir).map((path) => {
    const bytes = readFileSync(path);
    return { path: relative(outDir, path).split(sep).join('/'), revision: sha256(bytes).slice(0, 16), bytes: bytes.length };
  });
  const entries = manifestEntries(files);
  return { version: sha256(versionInput(entries)).slice(0, 12), entries };
}

/**
 * After the app is written, hashes every file of dist/ into a precache manifest and bundles the service
 * worker (workers/service-worker.ts) with the manifest inlined, as one classic script `dist/sw.js`. Any
 * changed file changes sw.js's bytes, which is how browsers notice a new version.
 */
export function precachePlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'lantern:precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    async closeBundle() {
      const outDir = config.build.outDir;
      const manifest = precacheManifest(outDir);
      await build({
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        define: { __LANTERN_PRECACHE__: JSON.stringify(manifest) },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2022',
          minify: true,
          lib: {
            entry: fileURLToPath(new URL('../../workers/service-worker.ts', import.meta.url)),
            formats: ['iife'],
            name: 'lanternServiceWorker',
            fileName: () => SERVICE_WORKER_FILE,
          },
        },
      });
    },
  };
}
