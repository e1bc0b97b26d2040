import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { textDriftStats } from '../../src/lib/multivariate/textDrift';
import { closeTo } from '../helpers/close';

// Real movies (vega-datasets): a free-text line per film, from before 1996 as the reference and from 2005 on
// as the current data. The text core is checked against scikit-learn in tests/unit/multivariateText.test.ts;
// this checks that the CLI finds the free text, hands it over whole and reports what the core computes.
interface Movie {
  Title: string | number | null;
  'Major Genre': string | null;
  'MPAA Rating': string | null;
  'Release Date': string | null;
  'IMDB Rating': number | null;
}
const movies = JSON.parse(readFileSync(new URL('../../node_modules/vega-datasets/data/movies.json', import.meta.url), 'utf8')) as Movie[];
const year = (m: Movie) => Number(/(\d{4})$/.exec(m['Release Date'] ?? '')?.[1] ?? NaN);
const line = (m: Movie) =>
  `${String(m.Title).replace(/[",]/g, '')} is a ${m['Major Genre'] ?? 'film'} rated ${m['MPAA Rating'] ?? 'unrated'}`;
const pick = (keep: (y: number) => boolean) => movies.filter((m) => m.Title !== null && keep(year(m))).slice(0, 400);
const old = pick((y) => y <= 1995);
const recent = pick((y) => y >= 2005);

const dir = mkdtempSync(join(tmpdir(), 'lantern-text-cli-'));
function write(file: string, rows: Movie[]): string {
  const path = join(dir, file);
  writeFileSync(path, ['summary,imdb', ...rows.map((m) => `${line(m)},${m['IMDB Rating'] ?? ''}`)].join('\n') + '\n');
  return path;
}
const ref = write('old.csv', old);
const cur = write('recent.csv', recent);

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

type TextEntry = { name: string; kind: string; score: number; threshold: number; drifted: boolean; stats: Record<string, unknown> };

describe('lantern drift on free text', () => {
  it('adds the text column with kind "text": descriptors and the domain classifier', async () => {
    const r = await run(['drift', '--reference', ref, '--current', cur, '--json']);
    expect(r.err).toBe('');
    const json = JSON.parse(r.out) as { columns: TextEntry[] };
    const text = json.columns.find((c) => c.name === 'summary')!;
    expect(text.kind).toBe('text');
    const direct = textDriftStats(old.map(line), recent.map(line));
    closeTo(text.score, direct.classifier!.auc, 1e-12);
    closeTo(text.threshold, direct.classifier!.threshold, 1e-12);
    expect(text.drifted).toBe(direct.classifier!.drifted);
    expect(text.stats['current_words']).toEqual(direct.classifier!.currentWords.map((w) => w.word));
    const descriptors = text.stats['descriptors'] as Record<string, { score: number; drifted: boolean }>;
    expect(Object.keys(descriptors)).toEqual(['length', 'word_count', 'oov_share', 'non_letter_share']);
    for (const d of direct.descriptors) closeTo(descriptors[d.name]!.score, d.drift.score, 1e-12);
    expect(json.columns.find((c) => c.name === 'imdb')!.kind).toBe('numerical');

    const textOut = await run(['drift', '--reference', ref, '--current', cur]);
    expect(textOut.out).toMatch(/Text column summary: .*domain classifier ROC AUC/);
  });

  it('samples texts when asked, and refuses a bad sample size', async () => {
    const r = await run(['drift', '--reference', ref, '--current', cur, '--text-sample', '60', '--json']);
    const text = (JSON.parse(r.out) as { columns: TextEntry[] }).columns.find((c) => c.name === 'summary')!;
    expect([text.stats['sampled'], text.stats['reference_texts'], text.stats['current_texts']]).toEqual([60, 60, 60]);
    const bad = await run(['drift', '--reference', ref, '--current', cur, '--text-sample', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--text-sample must be a whole number of at least 2/);
  });
});
