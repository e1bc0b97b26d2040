import type { Db } from '../../src/lib/db';

export interface Recorded {
  /** Every SQL statement the analysis ran, in order: what native DuckDB replays. */
  statements: string[];
  /** Time spent inside the Db (SQL in DuckDB-WASM plus turning results into rows), ms. */
  dbMs: number;
}

/**
 * Wraps a Db to record the analysis's SQL and the time it spends waiting on the engine, so a figure can
 * be split into SQL and JS and the same statements replayed on native DuckDB.
 */
export function recordingDb(inner: Db): { db: Db; recorded: Recorded } {
  const recorded: Recorded = { statements: [], dbMs: 0 };
  async function timed<T>(work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      recorded.dbMs += performance.now() - start;
    }
  }
  const db: Db = {
    query: (sql, options) => {
      recorded.statements.push(sql);
      return timed(() => inner.query(sql, options));
    },
    queryArrow: (sql, options) => {
      recorded.statements.push(sql);
      return timed(() => inner.queryArrow(sql, options));
    },
    insertArrowStream: (table, ipc) => timed(() => inner.insertArrowStream(table, ipc)),
    insertJsonArray: (table, fileName) => timed(() => inner.insertJsonArray(table, fileName)),
    registerSource: (fileName, source, onRead) => inner.registerSource(fileName, source, onRead),
    registerBuffer: (fileName, bytes) => inner.registerBuffer(fileName, bytes),
    dropFile: (fileName) => inner.dropFile(fileName),
  };
  return { db, recorded };
}
