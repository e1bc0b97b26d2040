import { fileURLToPath } from 'node:url';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import type { ColumnInfo } from '../../src/lib/schema';
import { testDb } from './db';

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/metrics/${name}`, import.meta.url));
}

/** Loads a fixture CSV into the shared test DuckDB under `table`. */
export async function loadFixture(name: string, table: string): Promise<ColumnInfo[]> {
  const db = await testDb();
  const ds = await loadDataset(db, nodeParquet, await PathSource.open(fixturePath(name)), { table });
  return ds.columns;
}

export function kindOf(columns: ColumnInfo[], name: string) {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.kind;
}
