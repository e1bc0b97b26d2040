/**
 * What the service worker keeps for offline use, as pure functions of the build's file list. Shared by
 * the build (scripts/vite/precachePlugin.ts, in Node) and the service worker (src/offline/serviceWorker.ts).
 * No DOM and no service-worker globals here, so unit tests run it in Node.
 */

/** DuckDB-WASM ships one wasm per platform level; the synchronous browser build chooses between two. */
export type DuckDbVariant = 'eh' | 'mvp';

export interface PrecacheEntry {
  /** Path relative to the service worker's scope (the folder that holds index.html), e.g. "assets/x.js". */
  url: string;
  /** First 16 hex digits of the SHA-256 of the file: the service worker checks what it downloads. */
  revision: string;
  bytes: number;
  /** Set for a DuckDB wasm that only browsers of one platform level load. */
  variant?: DuckDbVariant;
}

export interface PrecacheManifest {
  /** Hash over every entry's url and revision: a new build with any changed file has a new version. */
  version: string;
  entries: PrecacheEntry[];
}

export const SERVICE_WORKER_FILE = 'sw.js';
const CACHE_PREFIX = 'lantern-v';
/** The cache entry under which a version's own manifest is stored, to reuse unchanged files on update. */
export const MANIFEST_KEY = '__lantern-precache-manifest.json';

/**
 * The exception-handling probe of DuckDB-WASM 1.32 (`getPlatformFeatures().wasmExceptions`, the module
 * `try ... end` from duckdb-wasm's packages/duckdb-wasm/src/platform.ts): the service worker runs the same
 * `WebAssembly.validate` so it caches exactly the wasm the engine worker will ask for.
 */
/**
 * The Server-Timing entry with which the service worker stamps the app page it serves with its version;
 * the page (src/state/offline.svelte.ts) reads it back from PerformanceNavigationTiming.serverTiming.
 */
export const VERSION_TIMING_NAME = 'lantern-version';

export const WASM_EXCEPTIONS_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11];

export function variantOfAsset(path: string): DuckDbVariant | undefined {
  const match = /(?:^|\/)duckdb-(eh|mvp)[-.][^/]*\.wasm$/.exec(path);
  return match ? (match[1] as DuckDbVariant) : undefined;
}

/** Build outputs the service worker does not keep: itself (the browser fetches it) and source maps. */
export function isPrecached(path: string): boolean {
  return path !== SERVICE_WORKER_FILE && !path.endsWith('.map') && !path.split('/').some((part) => part.startsWith('.'));
}

/** Files sorted by path, so the manifest (and the service worker's bytes) depend on content only. */
export function manifestEntries(files: { path: string; revision: string; bytes: number }[]): PrecacheEntry[] {
  return files
    .filter((f) => isPrecached(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => {
      const variant = variantOfAsset(f.path);
      return { url: f.path, revision: f.revision, bytes: f.bytes, ...(variant ? { variant } : {}) };
    });
}

/** The text the version hash is taken over: one "url revision" line per entry. */
export function versionInput(entries: PrecacheEntry[]): string {
  return entries.map((e) => `${e.url} ${e.revision}`).join('\n');
}

/**
 * The entries this browser needs. DuckDB-WASM's blocking `createDuckDB` loads the eh wasm when the
 * browser validates wasm exceptions and the mvp wasm otherwise (duckdb-browser-blocking.mjs, 1.32), so
 * precaching the other one would download 34-39 MB that this browser never runs.
 */
export function entriesFor(manifest: PrecacheManifest, wasmExceptions: boolean): PrecacheEntry[] {
  const wanted: DuckDbVariant = wasmExceptions ? 'eh' : 'mvp';
  const hasWanted = manifest.entries.some((e) => e.variant === wanted);
  return manifest.entries.filter((e) => e.variant === undefined || e.variant === wanted || !hasWanted);
}

export function cacheName(version: string): string {
  return CACHE_PREFIX + version;
}

export function versionOfCache(name: string): string | undefined {
  return name.startsWith(CACHE_PREFIX) ? name.slice(CACHE_PREFIX.length) : undefined;
}

/**
 * Caches to delete when `current` becomes active. The version that was active just before is kept, so a
 * tab still running it can load a file it has not needed yet (the engine worker starts on first use)
 * instead of meeting a half-updated app; older versions go.
 */
export function cachesToDelete(names: string[], current: string, previous: string | undefined): string[] {
  return names.filter((name) => {
    const version = versionOfCache(name);
    return version !== undefined && version !== current && version !== previous;
  });
}

export function totalBytes(entries: PrecacheEntry[]): number {
  return entries.reduce((sum, e) => sum + e.bytes, 0);
}
