import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precacheManifest } from '../../scripts/vite/precachePlugin';
import {
  cacheName,
  cachesToDelete,
  entriesFor,
  isPrecached,
  manifestEntries,
  variantOfAsset,
  WASM_EXCEPTIONS_PROBE,
  type PrecacheManifest,
} from '../../src/offline/precachePlan';

const file = (path: string, revision = 'r') => ({ path, revision, bytes: 10 });

describe('the precache plan', () => {
  it('tells the two DuckDB wasm files apart from every other asset', () => {
    expect(variantOfAsset('assets/duckdb-eh-9ubY-jlA.wasm')).toBe('eh');
    expect(variantOfAsset('assets/duckdb-mvp-BP0pRkMH.wasm')).toBe('mvp');
    expect(variantOfAsset('assets/parquet_wasm_bg-BHq48xsW.wasm')).toBeUndefined();
    expect(variantOfAsset('assets/duckdb-coi-x.wasm')).toBeUndefined();
    expect(variantOfAsset('demo/duckdb-eh-notes.csv')).toBeUndefined();
  });

  it('keeps everything but the service worker itself, source maps and dot files, sorted by path', () => {
    expect(['sw.js', 'assets/a.js.map', '.well-known/x', 'index.html'].filter(isPrecached)).toEqual(['index.html']);
    const entries = manifestEntries([file('index.html'), file('assets/duckdb-eh-1.wasm'), file('assets/a.js'), file('sw.js')]);
    expect(entries.map((e) => e.url)).toEqual(['assets/a.js', 'assets/duckdb-eh-1.wasm', 'index.html']);
    expect(entries[1]?.variant).toBe('eh');
  });

  it('caches the wasm the blocking build will load: eh with wasm exceptions, mvp without', () => {
    const manifest: PrecacheManifest = {
      version: 'v',
      entries: manifestEntries([file('index.html'), file('assets/duckdb-eh-1.wasm'), file('assets/duckdb-mvp-2.wasm')]),
    };
    expect(entriesFor(manifest, true).map((e) => e.url)).toEqual(['assets/duckdb-eh-1.wasm', 'index.html']);
    expect(entriesFor(manifest, false).map((e) => e.url)).toEqual(['assets/duckdb-mvp-2.wasm', 'index.html']);
    // A build that ships only one of them: that one, whatever the browser.
    const only = { version: 'v', entries: manifestEntries([file('assets/duckdb-mvp-2.wasm')]) };
    expect(entriesFor(only, true).map((e) => e.url)).toEqual(['assets/duckdb-mvp-2.wasm']);
  });

  it("uses duckdb-wasm's own exception-handling probe, which Node's V8 validates", () => {
    // The Node tsconfig has no DOM/WebAssembly lib; the global exists at run time.
    const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    expect(wasm.validate(new Uint8Array(WASM_EXCEPTIONS_PROBE))).toBe(true);
  });

  it('deletes older versions but keeps the one active before, and caches of other apps', () => {
    const names = [cacheName('a'), cacheName('b'), cacheName('c'), 'lantern-meta', 'someone-else'];
    expect(cachesToDelete(names, 'c', 'b')).toEqual([cacheName('a')]);
    expect(cachesToDelete(names, 'c', undefined)).toEqual([cacheName('a'), cacheName('b')]);
  });

  it('builds a manifest whose version changes with any file and only then', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-precache-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<html></html>');
    writeFileSync(join(dir, 'assets', 'duckdb-eh-x.wasm'), 'wasm');
    writeFileSync(join(dir, 'sw.js'), 'old worker');
    const first = precacheManifest(dir);
    expect(first.entries).toEqual([
      // sha256("wasm") and sha256("<html></html>"), first 16 hex digits (`sha256sum`)
      { url: 'assets/duckdb-eh-x.wasm', revision: '336154bf67f765f8', bytes: 4, variant: 'eh' },
      { url: 'index.html', revision: 'b633a587c652d023', bytes: 13 },
    ]);
    writeFileSync(join(dir, 'sw.js'), 'another worker');
    expect(precacheManifest(dir).version).toBe(first.version);
    writeFileSync(join(dir, 'index.html'), '<html> </html>');
    expect(precacheManifest(dir).version).not.toBe(first.version);
  });
});
