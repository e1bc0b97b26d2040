import {
  cacheName,
  cachesToDelete,
  entriesFor,
  MANIFEST_KEY,
  VERSION_TIMING_NAME,
  versionOfCache,
  WASM_EXCEPTIONS_PROBE,
  type PrecacheEntry,
  type PrecacheManifest,
} from './precachePlan';

/**
 * The service worker: keeps one complete, verified copy of a build for offline use and serves it.
 *
 * Consistency ("never half-applied"): a version installs only when every file it needs was downloaded and
 * its SHA-256 matches the manifest built into this script; otherwise the install fails and the running
 * version stays. A new version waits until the user asks for it (the page posts `skip-waiting`) or every
 * tab is closed; pages always get index.html and assets from one version's cache.
 */

/** Messages the page may send. */
export type ToServiceWorker = { type: 'skip-waiting' } | { type: 'version' };
/** Sent to every open page when a new version took over from an older one. */
export type FromServiceWorker = { type: 'activated'; version: string };

const META_CACHE = 'lantern-meta';
const ACTIVE_KEY = '__lantern-active-version';

async function sha256Prefix(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Responses from other Lantern versions whose file has the same revision: reused instead of downloaded. */
async function reusableFiles(sw: ServiceWorkerGlobalScope, current: string): Promise<Map<string, Cache>> {
  const reusable = new Map<string, Cache>();
  for (const name of await caches.keys()) {
    const version = versionOfCache(name);
    if (version === undefined || version === current) continue;
    const cache = await caches.open(name);
    const stored = await cache.match(new URL(MANIFEST_KEY, sw.registration.scope).href);
    if (!stored) continue;
    const manifest = (await stored.json()) as PrecacheManifest;
    for (const e of manifest.entries) reusable.set(`${e.url} ${e.revision}`, cache);
  }
  return reusable;
}

async function download(url: string, entry: PrecacheEntry): Promise<Response> {
  // `no-cache` revalidates with the server, so a stale HTTP cache cannot mix two builds.
  const response = await fetch(url, { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`Precaching ${entry.url} failed: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  const revision = await sha256Prefix(body);
  if (revision !== entry.revision)
    throw new Error(`Precaching ${entry.url} got a different build's file (${revision}, expected ${entry.revision})`);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function precache(sw: ServiceWorkerGlobalScope, manifest: PrecacheManifest): Promise<void> {
  const cache = await caches.open(cacheName(manifest.version));
  const reusable = await reusableFiles(sw, manifest.version);
  const entries = entriesFor(manifest, WebAssembly.validate(new Uint8Array(WASM_EXCEPTIONS_PROBE)));
  for (const entry of entries) {
    const url = new URL(entry.url, sw.registration.scope).href;
    if (await cache.match(url)) continue; // an earlier, interrupted install of this version got it
    const previous = await reusable.get(`${entry.url} ${entry.revision}`)?.match(url);
    await cache.put(url, previous ?? (await download(url, entry)));
  }
  // Written last: its presence marks the version as complete.
  await cache.put(new URL(MANIFEST_KEY, sw.registration.scope).href, Response.json(manifest));
}

async function activate(sw: ServiceWorkerGlobalScope, manifest: PrecacheManifest): Promise<void> {
  const meta = await caches.open(META_CACHE);
  const key = new URL(ACTIVE_KEY, sw.registration.scope).href;
  const stored = await meta.match(key);
  const previous = stored ? await stored.text() : undefined;
  if (previous !== manifest.version) await meta.put(key, new Response(manifest.version));
  const keepPrevious = previous !== manifest.version ? previous : undefined;
  await Promise.all(cachesToDelete(await caches.keys(), manifest.version, keepPrevious).map((name) => caches.delete(name)));
  await sw.clients.claim();
  // Pages queue this message until they listen, so a page that started while the switch happened (a
  // reload can activate the waiting version while the old one serves the navigation) still learns of it.
  if (keepPrevious === undefined) return;
  const message: FromServiceWorker = { type: 'activated', version: manifest.version };
  for (const client of await sw.clients.matchAll({ type: 'window' })) client.postMessage(message);
}

/** Lantern's caches, this version's first: a tab still on the previous version finds its files too. */
async function cachedResponse(manifest: PrecacheManifest, request: Request | string): Promise<Response | undefined> {
  const own = await (await caches.open(cacheName(manifest.version))).match(request, { ignoreSearch: true });
  if (own) return own;
  for (const name of await caches.keys()) {
    if (versionOfCache(name) === undefined) continue;
    const hit = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Marks the app page with the version that served it. A reload can let the browser activate a waiting
 * version while the old one still serves the navigation; the page compares this stamp with its
 * controller's version (src/state/offline.svelte.ts) to notice. Server-Timing is the one response header a
 * page can read about its own navigation (PerformanceNavigationTiming.serverTiming).
 */
function stampVersion(response: Response, version: string): Response {
  const headers = new Headers(response.headers);
  headers.set('Server-Timing', `${VERSION_TIMING_NAME};desc="${version}"`);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function respond(sw: ServiceWorkerGlobalScope, manifest: PrecacheManifest, request: Request): Promise<Response> {
  const scope = sw.registration.scope;
  const path = request.url.slice(scope.length).split(/[?#]/)[0] ?? '';
  // Every navigation inside the scope is the app: index.html of this version.
  const key = request.mode === 'navigate' && (path === '' || path === 'index.html') ? new URL('index.html', scope).href : request;
  const hit = await cachedResponse(manifest, key);
  if (hit) return key === request ? hit : stampVersion(hit, manifest.version);
  const response = await fetch(request);
  // A file of this build that was not precached (the other DuckDB wasm, if this browser changed): keep it.
  const entry = manifest.entries.find((e) => e.url === path);
  if (entry && response.ok && request.method === 'GET')
    await (await caches.open(cacheName(manifest.version))).put(new URL(entry.url, scope).href, response.clone());
  return response;
}

export function runServiceWorker(sw: ServiceWorkerGlobalScope, manifest: PrecacheManifest): void {
  sw.addEventListener('install', (event) => event.waitUntil(precache(sw, manifest)));
  sw.addEventListener('activate', (event) => event.waitUntil(activate(sw, manifest)));
  sw.addEventListener('fetch', (event) => {
    const { request } = event;
    // Only this app's own GET requests; anything else is none of the service worker's business.
    if (request.method !== 'GET' || !request.url.startsWith(sw.registration.scope)) return;
    event.respondWith(respond(sw, manifest, request));
  });
  sw.addEventListener('message', (event) => {
    const message = event.data as ToServiceWorker | undefined;
    if (message?.type === 'skip-waiting') event.waitUntil(sw.skipWaiting());
    else if (message?.type === 'version') event.ports[0]?.postMessage(manifest.version);
  });
}
