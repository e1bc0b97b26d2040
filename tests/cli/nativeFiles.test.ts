import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { openNativeDb } from '../../src/engine/nativeDb';
import { testEngine } from '../helpers/db';

/** What only the native engine does: globs, folders, hive partitions, all cores, spilling, offline readers. */
const dir = mkdtempSync(join(tmpdir(), 'lantern-native-'));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe.runIf(testEngine() === 'native')('the CLI on native DuckDB', () => {
  beforeAll(async () => {
    const db = await openNativeDb();
    try {
      // Two weeks of a log, written the way Spark and DuckDB write partitioned data: logs/date=YYYY-MM-DD/part-N.parquet.
      await db.query(`COPY (
          SELECT i AS id, (i % 100) / 100.0 AS score, CASE WHEN i % 3 = 0 THEN 'north' ELSE 'south' END AS region,
                 (DATE '2026-01-01' + (i % 14)::INTEGER) AS date
          FROM range(14000) t(i)
        ) TO '${join(dir, 'logs')}' (FORMAT parquet, PARTITION_BY (date), FILENAME_PATTERN 'part-{i}')`);
      await db.query(`COPY (SELECT i AS id, (i % 90) / 100.0 AS score, 'north' AS region FROM range(5000) t(i))
        TO '${join(dir, 'reference.parquet')}' (FORMAT parquet)`);
      mkdirSync(join(dir, 'mixed'));
      await db.query(`COPY (SELECT 1 AS a) TO '${join(dir, 'mixed', 'a.parquet')}' (FORMAT parquet)`);
      writeFileSync(join(dir, 'mixed', 'b.csv'), 'a\n1\n');
      writeFileSync(join(dir, 'logs', '_SUCCESS'), '');
    } finally {
      db.close();
    }
  });

  it('reads a glob over hive-partitioned Parquet: every part, the partition key as a column', async () => {
    const r = await run(['inspect', join(dir, 'logs', 'date=*', 'part-*.parquet'), '--json']);
    expect(r.err).toBe('');
    const result = JSON.parse(r.out);
    expect(result.format).toBe('parquet');
    expect(result.rows).toBe(14_000);
    expect(result.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'id:BIGINT',
      'score:DOUBLE',
      'region:VARCHAR',
      'date:DATE',
    ]);
  });

  it('reads a folder as one dataset, skipping the _SUCCESS marker', async () => {
    const r = await run(['inspect', join(dir, 'logs'), '--json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).rows).toBe(14_000);
  });

  it('runs drift with a glob as --current', async () => {
    const r = await run([
      'drift',
      '--reference',
      join(dir, 'reference.parquet'),
      '--current',
      join(dir, 'logs', 'date=*', '*.parquet'),
      '--columns',
      'score,region',
      '--json',
    ]);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out);
    expect(report.columns.map((c: { name: string }) => c.name).sort()).toEqual(['region', 'score']);
  });

  it.each([
    [[join(dir, 'logs', 'date=*', '*.csv')], /no file matches/],
    [[join(dir, 'mixed')], /mixes \.parquet, \.csv files|mixes \.csv, \.parquet files/],
    [[join(dir, 'nowhere.parquet')], /no such file/],
  ])('says clearly why %j cannot be read (exit 2, nothing on stdout)', async (args, message) => {
    const r = await run(['inspect', ...args]);
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(message);
  });

  it('uses every core, spills to its own temp directory, removed on close, and never loads an extension on demand', async () => {
    const db = await openNativeDb();
    const [row] = await db.query(
      `SELECT current_setting('threads')::DOUBLE AS threads, current_setting('temp_directory') AS temp,
              current_setting('autoload_known_extensions') AS autoload, current_setting('autoinstall_known_extensions') AS autoinstall,
              current_setting('TimeZone') AS tz`,
    );
    expect(row).toEqual({ threads: availableParallelism(), temp: db.tempDirectory, autoload: false, autoinstall: false, tz: 'UTC' });
    expect(existsSync(db.tempDirectory)).toBe(true);
    db.close();
    expect(existsSync(db.tempDirectory)).toBe(false);
  });
});
