import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { testEngine } from '../helpers/db';
import { hostileCorpus, INTERNAL_NAMES, type CorpusCase } from '../helpers/hostileCorpus';

/**
 * Every case of the hostile corpus (tests/helpers/hostileCorpus.ts) through the CLI: a refusal is exit 2
 * with nothing on stdout and a message that names the problem without internal names or a stack; a
 * result is the one the file was written to hold. The corpus is written to a temporary folder.
 */
const root = mkdtempSync(join(tmpdir(), 'lantern-hostile-'));
/**
 * On the WASM engine, commands that open a fresh engine per run (metrics, drift, slices, check: about 5-8 s
 * each to instantiate the wasm) are left to the native run; every file still goes through the WASM loader.
 */
const FRESH_ENGINE = new Set(['metrics', 'drift', 'slices', 'check']);
const corpus = hostileCorpus().filter((c) => testEngine() === 'native' || !FRESH_ENGINE.has(c.argv?.[0] ?? 'inspect'));

function place(c: CorpusCase, index: number): string[] {
  const dir = join(root, String(index));
  mkdirSync(dir);
  return c.files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
}

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the hostile corpus through the CLI', () => {
  it('has at least 80 cases with distinct names', () => {
    const all = hostileCorpus();
    expect(all.length).toBeGreaterThanOrEqual(80);
    expect(new Set(all.map((c) => `${c.kind}/${c.name}`)).size).toBe(all.length);
  });

  it.each(corpus.map((c, i) => [`${c.kind}: ${c.name}`, c, i] as const))(
    '%s',
    async (_label, c, i) => {
      const paths = place(c, i);
      const argv = (c.argv ?? ['inspect', '{0}', '--json']).map((a) => a.replace(/\{(\d)\}/g, (_m, k: string) => paths[Number(k)]!));
      const r = await run(argv);
      const e = c.expect;
      if ('refuse' in e) {
        expect({ code: r.code, err: r.err }).toEqual({ code: 2, err: expect.stringMatching(e.refuse) });
        expect(r.out).toBe('');
      } else if ('rows' in e) {
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
        const json = JSON.parse(r.out) as { rows: number; columns: { name: string }[] };
        expect(json.rows).toBe(e.rows);
        if (e.columns) expect(json.columns.map((col) => col.name)).toEqual(e.columns);
      } else {
        expect({ code: r.code, err: r.code === e.code ? '' : r.err }).toEqual({ code: e.code, err: '' });
        e.check(r.out, r.err);
      }
      expect(r.err).not.toMatch(INTERNAL_NAMES);
    },
    30_000,
  );
});
