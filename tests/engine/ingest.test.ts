import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { LanternError } from '../../src/lib/errors';
import { openTestDb, testDb, testEngine } from '../helpers/db';

const dir = mkdtempSync(join(tmpdir(), 'lantern-ingest-'));
let counter = 0;

async function load(name: string, content: string | Uint8Array) {
  const path = join(dir, name);
  writeFileSync(path, content);
  const db = await testDb();
  return loadDataset(db, nodeParquet, await PathSource.open(path), { table: `t${counter++}` });
}

async function loadError(name: string, content: string | Uint8Array): Promise<LanternError> {
  try {
    await load(name, content);
  } catch (error) {
    expect(error).toBeInstanceOf(LanternError);
    return error as LanternError;
  }
  throw new Error('expected the load to fail');
}

describe('loadDataset', () => {
  it('sniffs CSV delimiter, header and types', async () => {
    const ds = await load('a.csv', 'id,amount,when,city\n1,2.5,2024-01-01 10:00:00,Oslo\n2,3.5,2024-01-02 11:00:00,Rome\n');
    expect(ds.format).toBe('csv');
    expect(ds.rows).toBe(2);
    expect(ds.columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'BIGINT'],
      ['amount', 'DOUBLE'],
      ['when', 'TIMESTAMP'],
      ['city', 'VARCHAR'],
    ]);
  });

  it('reads TSV and gzip CSV', async () => {
    expect((await load('a.tsv', 'a\tb\n1\tx\n2\ty\n3\tz\n')).rows).toBe(3);
    const gz = await load('b.csv.gz', gzipSync(Buffer.from('a,b\n1,x\n2,y\n')));
    expect([gz.format, gz.rows]).toEqual(['csv', 2]);
  });

  it('reads JSON arrays and NDJSON', async () => {
    const arr = await load('a.json', '[{"a":1,"b":"x"},{"a":2,"b":null}]');
    expect([arr.format, arr.rows, arr.columns.length]).toEqual(['json', 2, 2]);
    const nd = await load('a.ndjson', '{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n\n{"a":3,"b":"z"}\n');
    expect([nd.format, nd.variant, nd.rows]).toEqual(['json', 'ndjson', 3]);
  });

  it('keeps awkward column names intact', async () => {
    const ds = await load('names.csv', '"we""ird","with space",select,"""; DROP TABLE x; --",prédiction\n1,2,3,4,5\n');
    expect(ds.columns.map((c) => c.name)).toEqual(['we"ird', 'with space', 'select', '"; DROP TABLE x; --', 'prédiction']);
  });

  it.each([
    ['empty.csv', '', 'empty-file'],
    ['header.csv', 'a,b,c\n', 'no-rows'],
    ['ragged.csv', 'a,b,c\n1,2,3\n4,5,6,7,8\n', 'ragged-csv'],
    ['binary.csv', new Uint8Array([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x88, 0x00]), 'binary-file'],
    ['bad.json', '[{"a":1},{"a":', 'bad-json'],
    ['bad.ndjson', '{"a":1}\n{"a":\n', 'bad-json'],
    ['trunc.parquet', new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 3, 4, 5]), 'bad-parquet'],
  ])('refuses %s with a clear message', async (name, content, code) => {
    const error = await loadError(name, content);
    expect(error.code).toBe(code);
    expect(error.message).toContain(name);
  });

  it('leaves earlier tables untouched when a load fails', async () => {
    const db = await testDb();
    const good = await load('good.csv', 'a\n1\n2\n');
    await loadError('bad2.json', '[{"a":');
    const [row] = await db.query(`SELECT count(*) AS n FROM ${good.table}`);
    expect(row?.['n']).toBe(2);
  });
});

describe('ragged CSV beyond the head window', () => {
  it('is an error, never padded data', async () => {
    const lines = ['a,b,c', ...Array.from({ length: 30000 }, (_, i) => `${i},${i},${i}`), '1,2,3,4,5'];
    const error = await loadError('late-ragged.csv', lines.join('\n') + '\n');
    expect(error.code).toBe('ragged-csv');
  });
  it('short rows inside the head are named by line', async () => {
    const error = await loadError('short.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
    expect(error.message).toContain('line 3');
  });
});

describe('a file larger than the engine can hold', () => {
  const lines = ['a,b,c'];
  for (let i = 0; i < 300_000; i++) lines.push(`${i},text-${i}-${'x'.repeat(20)},${i * 0.5}`);

  // DuckDB-WASM cannot spill: past its memory limit a load fails, and must say so in the user's terms.
  it.runIf(testEngine() === 'wasm')('is refused with a message naming the limit, and the engine keeps working', async () => {
    const db = await openTestDb();
    await db.query("SET memory_limit = '8MB'");
    const path = join(dir, 'huge.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const error = await loadDataset(db, nodeParquet, await PathSource.open(path), { table: 'huge' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LanternError);
    expect((error as LanternError).code).toBe('too-large');
    expect((error as LanternError).message).toMatch(/larger than the in-browser engine can hold/);
    const [row] = await db.query('SELECT 1 + 1 AS two');
    expect(row?.['two']).toBe(2);
  });

  // Native DuckDB has a temp directory: a table larger than its memory limit spills to disk. Its CSV
  // reader needs ~30 MB of buffers per thread, so the limit is 96 MB and the table about twice that.
  it.runIf(testEngine() === 'native')(
    'spills to the temp directory instead of failing',
    async () => {
      const db = await openTestDb();
      await db.query("SET memory_limit = '96MB'");
      const path = join(dir, 'larger-than-memory.csv');
      const big = ['a,b,c'];
      for (let i = 0; i < 2_000_000; i++) big.push(`${i},text-${i}-${'x'.repeat(20)},${i * 0.5}`);
      writeFileSync(path, big.join('\n') + '\n');
      const loaded = await loadDataset(db, nodeParquet, await PathSource.open(path), { table: 'huge' });
      expect(loaded.rows).toBe(2_000_000);
      const [row] = await db.query('SELECT sum(c)::DOUBLE AS s, count(DISTINCT b)::DOUBLE AS d FROM huge');
      expect(row).toEqual({ s: (0.5 * 1_999_999 * 2_000_000) / 2, d: 2_000_000 });
      const [spilled] = await db.query('SELECT sum(temporary_storage_bytes)::DOUBLE AS t FROM duckdb_memory()');
      expect(Number(spilled?.['t'])).toBeGreaterThan(0);
    },
    120_000,
  );
});
