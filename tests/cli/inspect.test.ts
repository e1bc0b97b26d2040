import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { badFiles, goodFiles, SAMPLE_ROWS } from '../helpers/sampleFiles';

const dir = mkdtempSync(join(tmpdir(), 'lantern-cli-'));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

beforeAll(() => {
  for (const f of [...goodFiles(), ...badFiles()]) writeFileSync(join(dir, f.name), f.bytes);
});

describe('lantern inspect', () => {
  it.each(goodFiles().map((f) => [f.name, f.format]))('reports %s as %s with rows, types and roles', async (name, format) => {
    const { code, out, err } = await run(['inspect', join(dir, name), '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ file: join(dir, name), format, rows: SAMPLE_ROWS });
    expect(result.columns).toEqual([
      { name: 'prediction_id', type: 'VARCHAR', role: 'id' },
      { name: 'amount', type: 'DOUBLE', role: 'feature' },
      { name: 'segment', type: 'VARCHAR', role: 'segment' },
    ]);
  });

  it.each(badFiles().map((f) => [f.name, f.message]))('refuses %s: message on stderr, nothing on stdout, exit 2', async (name, message) => {
    const { code, out, err } = await run(['inspect', join(dir, name), '--json']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });

  it.each([[['inspect']], [['inspect', 'a.csv', 'b.csv']], [['inspect', '--nope', 'a.csv']], [['frobnicate']], [[]]])(
    'treats %j as a usage error',
    async (argv) => {
      const { code, out, err } = await run(argv);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(/Usage|Unknown/);
    },
  );

  it('names a missing file', async () => {
    const { code, err } = await run(['inspect', join(dir, 'missing.csv')]);
    expect(code).toBe(2);
    expect(err).toContain('no such file');
  });

  it('runs as `npx lantern` from the checkout', () => {
    writeFileSync(join(dir, 'cli.csv'), 'id,score,label\n1,0.2,0\n2,0.9,1\n3,0.4,0\n');
    const result = spawnSync(process.execPath, ['bin/lantern.mjs', 'inspect', join(dir, 'cli.csv'), '--json'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      file: join(dir, 'cli.csv'),
      format: 'csv',
      rows: 3,
      columns: [
        { name: 'id', type: 'BIGINT', role: 'id' },
        { name: 'score', type: 'DOUBLE', role: 'score' },
        { name: 'label', type: 'BIGINT', role: 'label' },
      ],
    });
    const bad = spawnSync(process.execPath, ['bin/lantern.mjs', 'inspect', join(dir, 'binary.csv')], { encoding: 'utf8' });
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    // Two whole CLI processes, each compiling the engine's wasm: slow on a loaded two-core machine.
  }, 240_000);
});
