import type { DataSource } from '../lib/db';
import { LanternError } from '../lib/errors';
import type { EngineDb } from '../engine/duckdbDb';
import { PathSource } from '../engine/pathSource';

/**
 * Which DuckDB the CLI runs. Native DuckDB (all cores, spills to disk, reads Parquet/JSON/globs
 * itself) unless LANTERN_ENGINE=wasm asks for the browser's engine, which the parity tests use to
 * prove both give the same numbers (docs/decisions/0009-native-cli-engine.md).
 */
export type EngineKind = 'native' | 'wasm';

export function cliEngineKind(): EngineKind {
  const value = process.env['LANTERN_ENGINE'];
  if (value === undefined || value === '' || value === 'native') return 'native';
  if (value === 'wasm') return 'wasm';
  throw new LanternError('usage', `LANTERN_ENGINE must be "native" or "wasm", not "${value}".`);
}

/**
 * The engine for one command. Native engines are opened per command and closed when it ends
 * (`closeCommandEngines`). The WASM engine is shared by the process unless the command asks for a
 * fresh one, as compiling its 34 MB of wasm is the slowest part of a run.
 */
export async function openCommandDb(options: { fresh?: boolean } = {}): Promise<EngineDb> {
  if (cliEngineKind() === 'wasm') {
    const { openNodeDb, sharedNodeDb } = await import('../engine/node');
    return options.fresh ? openNodeDb() : sharedNodeDb();
  }
  const { openNativeDb } = await import('../engine/nativeDb');
  return openNativeDb(nativeOptions());
}

function nativeOptions() {
  const threads = process.env['LANTERN_THREADS'];
  const memoryLimit = process.env['LANTERN_MEMORY_LIMIT'];
  return { ...(threads ? { threads: Number(threads) } : {}), ...(memoryLimit ? { memoryLimit } : {}) };
}

/** A file argument as a source: natively also a glob or a folder; the WASM engine reads single files. */
export async function openInput(db: EngineDb, path: string): Promise<DataSource> {
  if (cliEngineKind() === 'native') {
    const { openDiskSource } = await import('../engine/nativeFiles');
    return openDiskSource(db, path);
  }
  return PathSource.open(path);
}

export async function closeCommandEngines(): Promise<void> {
  if (cliEngineKind() !== 'native') return;
  const { closeAllNative } = await import('../engine/nativeDb');
  closeAllNative();
}
