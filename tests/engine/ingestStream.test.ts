import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { openNativeDb } from '../../src/engine/nativeDb';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { LanternError } from '../../src/lib/errors';
import { loadDataset, type LoadProgress } from '../../src/lib/ingest';
import { testDb, testEngine } from '../helpers/db';

/**
 * Files loaded a piece at a time: Parquet by row group (the browser's path; the native engine reads
 * Parquet from disk itself), Arrow IPC streams and files batch by batch through range reads.
 */
const dir = mkdtempSync(join(tmpdir(), 'lantern-stream-'));
const ROWS = 50_000;
const GROUP = 4_096;
const file = (name: string) => join(dir, name);
let expected: Record<string, unknown>[];

const SQL = `SELECT i::INTEGER AS id, (i * 0.37)::DOUBLE % 11 AS x, CASE WHEN i % 5 = 0 THEN NULL ELSE 'seg_' || (i % 7) END AS segment,
  TIMESTAMP '2026-01-01' + to_seconds(i) AS ts FROM range(${ROWS}) t(i)`;

beforeAll(async () => {
  const native = await openNativeDb();
  try {
    await native.query(`COPY (${SQL}) TO '${file('groups.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP})`);
    await native.query(`COPY (${SQL} LIMIT 0) TO '${file('empty.parquet')}' (FORMAT parquet)`);
    const ipc = await native.queryArrow(SQL);
    const table = tableFromIPC(ipc);
    // Many small batches, as a producer that flushes often writes them.
    const batches = table.batches.flatMap((b) =>
      Array.from({ length: Math.ceil(b.numRows / 1000) }, (_, i) => b.slice(i * 1000, i * 1000 + 1000)),
    );
    writeFileSync(file('batches.arrows'), tableToIPC(new (table.constructor as typeof import('apache-arrow').Table)(batches), 'stream'));
    writeFileSync(file('batches.arrow'), tableToIPC(new (table.constructor as typeof import('apache-arrow').Table)(batches), 'file'));
    expected = await native.query(`SELECT * FROM (${SQL}) ORDER BY id`);
  } finally {
    native.close();
  }
});

async function load(
  name: string,
  table: string,
  options: { columns?: string[]; signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {},
) {
  return loadDataset(await testDb(), nodeParquet, await PathSource.open(file(name)), { table, ...options });
}

describe('streamed loads', () => {
  it.each(['groups.parquet', 'batches.arrows', 'batches.arrow'])('%s gives every row and value', async (name) => {
    const table = `s_${name.replace(/\W/g, '_')}`;
    const loaded = await load(name, table);
    expect(loaded.rows).toBe(ROWS);
    expect(loaded.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:INTEGER', 'x:DOUBLE', 'segment:VARCHAR', 'ts:TIMESTAMP']);
    const db = await testDb();
    expect(await db.query(`SELECT * FROM ${table} ORDER BY id`)).toEqual(expected);
  });

  it.runIf(testEngine() === 'wasm')('reports progress once per Parquet row group, in order', async () => {
    const seen: number[] = [];
    await load('groups.parquet', 's_progress', {
      onProgress: (p) => p.phase === 'reading' && p.fraction !== undefined && seen.push(p.fraction),
    });
    const groups = Math.ceil(ROWS / GROUP);
    expect(seen).toHaveLength(groups + 1);
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it.runIf(testEngine() === 'wasm')('stops between row groups when cancelled, and leaves no table behind', async () => {
    const controller = new AbortController();
    let groupsRead = 0;
    const error = await load('groups.parquet', 's_cancel', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'reading' && (p.fraction ?? 0) > 0 && ++groupsRead === 3) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as LanternError).code).toBe('cancelled');
    expect(groupsRead).toBe(3);
    const db = await testDb();
    const tables = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 's_cancel%'`);
    expect(tables).toEqual([]);
  });

  it('loads only the columns asked for', async () => {
    for (const name of ['groups.parquet', 'batches.arrows']) {
      const loaded = await load(name, `s_cols_${name.replace(/\W/g, '_')}`, { columns: ['x', 'id'] });
      expect(loaded.columns.map((c) => c.name)).toEqual(name.endsWith('.parquet') && testEngine() === 'native' ? ['x', 'id'] : ['id', 'x']);
      expect(loaded.rows).toBe(ROWS);
    }
  });

  it('says a Parquet file without rows has no data rows', async () => {
    const error = await load('empty.parquet', 's_empty').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LanternError);
    expect((error as LanternError).code).toBe('no-rows');
    expect((error as LanternError).message).toContain('has column names (4) but no data rows');
  });
});

describe('JSON in chunks', () => {
  // 240,000 records (~14 MB): two chunks and more. The first chunk holds integers only, later ones
  // doubles and a column the first never saw; strings carry quotes, brackets and commas.
  const N = 240_000;
  const record = (i: number) => ({
    id: i,
    amount: i < 150_000 ? i : i + 0.5,
    note: `say "hi", [${i % 10}] {x}`,
    ...(i >= 200_000 ? { late: `l${i % 3}` } : {}),
  });
  beforeAll(() => {
    const lines = Array.from({ length: N }, (_, i) => JSON.stringify(record(i)));
    writeFileSync(file('big.ndjson'), lines.join('\n') + '\n');
    writeFileSync(file('big.json'), `[\n${lines.join(',\n')}\n]`);
    writeFileSync(file('late-bad.ndjson'), lines.slice(0, 200_000).join('\n') + '\n{"id": 1,\n');
  });

  it.each(['big.ndjson', 'big.json'])('%s: every record, types widened where later chunks need it, columns in file order', async (name) => {
    const table = `j_${name.replace(/\W/g, '_')}`;
    const loaded = await load(name, table);
    expect(loaded.rows).toBe(N);
    expect(loaded.columns.map((c) => c.name)).toEqual(['id', 'amount', 'note', 'late']);
    expect(loaded.columns.find((c) => c.name === 'amount')?.type).toBe('DOUBLE');
    const db = await testDb();
    const [row] = await db.query(
      `SELECT sum(amount)::DOUBLE AS s, count(late)::DOUBLE AS late, count(DISTINCT note)::DOUBLE AS notes, max(id)::DOUBLE AS top FROM ${table}`,
    );
    expect(row).toEqual({ s: ((N - 1) * N) / 2 + 0.5 * (N - 150_000), late: N - 200_000, notes: 10, top: N - 1 });
  });

  it('names the bad line of an NDJSON file past the first chunk', async () => {
    const error = await load('late-bad.ndjson', 'j_bad').catch((e: unknown) => e);
    expect((error as LanternError).code).toBe('bad-json');
    if (testEngine() === 'wasm') expect((error as LanternError).message).toContain('line 200001');
  });
});
