import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { profileColumns } from '../../src/lib/profile';
import { testDb } from '../helpers/db';

describe('profileColumns', () => {
  it('counts nulls, distinct values, range, histogram and top values exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-profile-'));
    const lines = ['x,city,"odd ""name"""'];
    // x = 0..99 with every tenth value missing; city has a clear mode.
    for (let i = 0; i < 100; i++) lines.push(`${i % 10 === 0 ? '' : i},${i < 60 ? 'Oslo' : i < 90 ? 'Rome' : 'Lima'},${i % 3}`);
    writeFileSync(join(dir, 'p.csv'), lines.join('\n') + '\n');
    const db = await testDb();
    const ds = await loadDataset(db, nodeParquet, await PathSource.open(join(dir, 'p.csv')), { table: 'profile_t' });
    const [x, city, odd] = await profileColumns(db, ds.table, ds.columns);
    expect(x).toMatchObject({ rows: 100, nulls: 10, nullShare: 0.1, distinct: 90, min: 1, max: 99 });
    const values = Array.from({ length: 100 }, (_, i) => i).filter((i) => i % 10 !== 0);
    expect(x!.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
    expect(x!.histogram!.reduce((n, b) => n + b.count, 0)).toBe(90);
    expect(x!.histogram![0]).toMatchObject({ x0: 1, count: 5 }); // width 98/20 = 4.9: 1..5 fall in [1, 5.9)
    expect(city!.top).toEqual([
      { value: 'Oslo', count: 60 },
      { value: 'Rome', count: 30 },
      { value: 'Lima', count: 10 },
    ]);
    expect(odd!.name).toBe('odd "name"');
    expect(odd!.distinct).toBe(3);
  });
});
