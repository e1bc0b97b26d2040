/** Lantern's Node engine as the scenarios use it: DuckDB-WASM's Node build and the ingest code the app runs. */
import { nodeParquet, openNodeDb, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { loadDataset, type LoadedDataset } from '../../src/lib/ingest';

export { openNodeDb };

export async function loadFile(db: Db, path: string, table: string): Promise<LoadedDataset> {
  return loadDataset(db, nodeParquet, await PathSource.open(path), { table });
}

/** Whether a module of the analysis core exists in this checkout (analyses land on main one by one). */
export async function hasModule(root: string, relative: string): Promise<boolean> {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  return existsSync(join(root, relative));
}

export const LANTERN_NODE = 'Lantern in Node (DuckDB-WASM 1.32 Node build, one thread; src/engine/node.ts)';
