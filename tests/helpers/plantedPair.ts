/**
 * A reference/current pair with planted problems, written as CSV, for the checks tests. Seeded, so every
 * run writes the same bytes. Columns: id, f_stable (drives the score), f_drift, f_missing, f_range,
 * cat_stable, cat_new, y (label), score.
 *
 * Planted in `current` (and only there): f_drift shifted by half a standard deviation; 5% of f_missing
 * NULL; 3% of f_range just above the reference maximum; 1% of cat_new a category the reference never
 * had; 3% duplicated rows; 30% of labels flipped (a performance drop, in every segment). `clean` is a fresh sample of the
 * reference's distribution with none of these.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashU32 } from './seeded';

export const PLANTED_FAILS = [
  'drift:f_drift',
  'missing:f_missing',
  'range:f_range',
  'categories:cat_new',
  'duplicates',
  'performance:accuracy',
  'performance:f1',
  'performance:roc_auc',
  'performance:log_loss',
  // Labels flipped everywhere: every segment is worse than its reference too. (f_drift drifts alike in
  // every segment, which is no segment drift.)
  'performance-by-segment:cat_stable',
  'performance-by-segment:cat_new',
];

function rng(seed: number) {
  let i = 0;
  const u = () => (hashU32(i++, seed) + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return { u, normal };
}

type Plant = { drift: boolean; missing: boolean; range: boolean; newCategory: boolean; duplicates: boolean; flip: boolean };

function rows(n: number, seed: number, p: Plant): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const fStable = r.normal();
    const fDrift = r.normal() + (p.drift ? 0.5 : 0);
    const fMissing = r.u() * 100;
    const missing = p.missing && r.u() < 0.05;
    const fRange = p.range && r.u() < 0.03 ? 10 + r.u() * 0.3 : r.u() * 10;
    const catStable = r.u() < 0.5 ? 'x' : 'y';
    const cats = ['a', 'b', 'c'];
    const catNew = p.newCategory && r.u() < 0.01 ? 'zzz' : cats[Math.floor(r.u() * 3)]!;
    const score = 1 / (1 + Math.exp(-2 * fStable));
    let y = r.u() < score ? 1 : 0;
    if (p.flip && r.u() < 0.3) y = 1 - y;
    out.push(
      [
        `id${seed}-${i}`,
        fStable.toFixed(6),
        fDrift.toFixed(6),
        missing ? '' : fMissing.toFixed(4),
        fRange.toFixed(6),
        catStable,
        catNew,
        y,
        score.toFixed(6),
      ].join(','),
    );
  }
  if (p.duplicates) out.push(...out.slice(0, Math.round(n * 0.03)));
  return out;
}

const HEADER = 'id,f_stable,f_drift,f_missing,f_range,cat_stable,cat_new,y,score';
const NONE: Plant = { drift: false, missing: false, range: false, newCategory: false, duplicates: false, flip: false };

export function writePlantedPair(dir: string, n = 20_000): { reference: string; current: string; clean: string } {
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
    return path;
  };
  return {
    reference: write('reference.csv', rows(n, 1, NONE)),
    current: write('current.csv', rows(n, 2, { drift: true, missing: true, range: true, newCategory: true, duplicates: true, flip: true })),
    clean: write('clean.csv', rows(n, 3, NONE)),
  };
}
