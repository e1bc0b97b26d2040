/**
 * Replaces the README's benchmark block (between the two marker comments) with a run's table and the
 * machine it ran on. `npx tsx bench/lib/readme.ts [results.json]` does it for a given or the latest
 * full-scale result; `npm run bench` calls it after a full run.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { machineLine, renderTable } from './report';
import type { BenchResults } from './results';

export const BEGIN = '<!-- bench:begin (written by bench/lib/readme.ts; edit there, not here) -->';
export const END = '<!-- bench:end -->';

export function benchBlock(r: BenchResults, file: string): string {
  return [
    BEGIN,
    `Latest run: ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.git['branch']} at ${r.git['commit']} ([${file}](${file})).`,
    '',
    ...(r.note ? [`Note: ${r.note}`, ''] : []),
    `Machine: ${machineLine(r)}.`,
    '',
    renderTable(r),
    END,
  ].join('\n');
}

export function updateReadme(readmePath: string, r: BenchResults, file = 'bench/results/'): void {
  const text = readFileSync(readmePath, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const block = benchBlock(r, file);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n## Benchmarks\n\n\`npm run bench\` measures Lantern next to native DuckDB and xgboost on generated data; see bench/README.md.\n\n${block}\n`;
  writeFileSync(readmePath, next);
}

function latestFull(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('-full.json'))
    .sort();
  const last = files[files.length - 1];
  if (!last) throw new Error(`no full-scale results in ${dir}`);
  return join(dir, last);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const root = resolve(import.meta.dirname, '../..');
  const path = process.argv[2] ? resolve(process.argv[2]) : latestFull(join(root, 'bench/results'));
  const results = JSON.parse(readFileSync(path, 'utf8')) as BenchResults;
  updateReadme(join(root, 'README.md'), results, path.slice(root.length + 1));
  process.stderr.write(`README benchmark section now shows ${path}\n`);
}
