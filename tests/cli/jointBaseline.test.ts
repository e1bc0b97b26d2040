import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { uniform } from '../helpers/seeded';

/**
 * The joint-drift finding on a small training set. A PCA rebuilds the rows it was fitted on better than
 * any other, so a baseline measured on those rows made a log from the same distribution read as a broken
 * relation (+24% error on 120 rows of 24 columns). The baseline is the held-out half of the reference now:
 * a clean log gives no joint finding, a log where one column lost its relation to the others still does.
 */
const ROWS = 120;
const COLUMNS = 24;
const dir = mkdtempSync(join(tmpdir(), 'lantern-joint-'));

/**
 * Columns that share one factor (so there is a relation to break) with noise of their own, or unrelated
 * columns (`factor` 0: the case where a fitted baseline is most optimistic, every component fitting noise).
 */
function write(name: string, seed: number, broken: boolean, factor = 4): string {
  const shared = uniform(ROWS, seed * 1000);
  const noise = Array.from({ length: COLUMNS }, (_, c) => uniform(ROWS, seed * 1000 + c + 1));
  const other = uniform(ROWS, seed * 1000 + 999);
  const lines = [Array.from({ length: COLUMNS }, (_, c) => `x${c}`).join(',')];
  for (let r = 0; r < ROWS; r++)
    lines.push(
      Array.from({ length: COLUMNS }, (_, c) => {
        // Broken: x3 follows another factor of the same spread in the second half of the rows.
        const f = broken && c === 3 && r >= ROWS / 2 ? other[r]! : shared[r]!;
        return (f * factor + noise[c]![r]! * 0.8).toFixed(4);
      }).join(','),
    );
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function findings(reference: string, current: string): Promise<{ kind: string; title: string }[]> {
  const out: string[] = [];
  const code = await main(['investigate', '--reference', reference, '--current', current, '--json'], {
    out: (t) => out.push(t),
    err: () => {},
  });
  expect(code).toBe(0);
  return JSON.parse(out.join('\n')).findings;
}

describe('joint drift against a small training set', () => {
  const reference = write('training.csv', 1, false);

  it('finds nothing in a log from the same distribution', async () => {
    const unrelated = write('unrelated.csv', 1, false, 0);
    for (const seed of [2, 3, 4]) {
      const kinds = async (ref: string, cur: string) => (await findings(ref, cur)).map((f) => f.kind);
      expect(await kinds(reference, write(`clean${seed}.csv`, seed, false))).not.toContain('joint-drift');
      expect(await kinds(unrelated, write(`unrelated${seed}.csv`, seed, false, 0))).not.toContain('joint-drift');
    }
  }, 120_000);

  it('finds the column that lost its relation to the others', async () => {
    const found = await findings(reference, write('broken.csv', 2, true));
    const joint = found.find((f) => f.kind === 'joint-drift');
    expect(joint?.title).toMatch(/most for x3\b/);
  }, 120_000);
});
