/**
 * When the machine is too busy for a whole run, only some scenarios are rerun: this writes one results
 * file from several, later files replacing earlier ones scenario by scenario, with a note saying which
 * scenario comes from which run, and puts it in the README.
 * `npx tsx bench/lib/merge.ts <older.json> <newer.json> [...]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { updateReadme } from './readme';
import type { BenchResults } from './results';

const root = resolve(import.meta.dirname, '../..');
const paths = process.argv.slice(2).map((p) => resolve(p));
if (paths.length < 2) throw new Error('usage: merge.ts <older.json> <newer.json> [...]');
const runs = paths.map((p) => ({ path: p.slice(root.length + 1), r: JSON.parse(readFileSync(p, 'utf8')) as BenchResults }));
const latest = runs[runs.length - 1]!.r;
const byId = new Map<string, { scenario: BenchResults['scenarios'][number]; from: string }>();
for (const { path, r } of runs)
  for (const s of r.scenarios) if (s.status !== 'pending' || !byId.has(s.id)) byId.set(s.id, { scenario: s, from: path });
const order = runs[0]!.r.scenarios.map((s) => s.id);
for (const id of byId.keys()) if (!order.includes(id)) order.push(id);
const sources = runs.map(({ path, r }) => {
  const ids = [...byId.entries()].filter(([, v]) => v.from === path).map(([id]) => id);
  const load = r.machine.loadAverageAtStart.map((x) => x.toFixed(2)).join(', ');
  return `${ids.join(', ')} from ${path} (${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${r.git['branch']} at ${r.git['commit']}, load average at start ${load})`;
});
const merged: BenchResults = {
  ...latest,
  scenarios: order.map((id) => byId.get(id)!.scenario),
  note: `merged from ${runs.length} runs, the machine being too busy (load average above the cores) to rerun every scenario: ${sources.join('; ')}.`,
};
const out = join(root, 'bench/results', `${latest.startedAt.replace(/[:.]/g, '-').slice(0, 19)}-merged-full.json`);
writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
updateReadme(join(root, 'README.md'), merged, out.slice(root.length + 1));
process.stderr.write(`wrote ${out} and the README table\n`);
