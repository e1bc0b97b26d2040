import { sharedNodeDb } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';

/** One real DuckDB-WASM (Node build) per test file: instantiating the wasm costs about a second. */
export function testDb(): Promise<Db> {
  return sharedNodeDb();
}
