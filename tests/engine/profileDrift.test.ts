import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/db';
import type { NumericalStats } from '../../src/lib/drift/columnDrift';
import { profileDriftReport, type ProfileDriftReport } from '../../src/lib/profiles/drift';
import type { Profile } from '../../src/lib/profiles/format';
import { mergeProfiles } from '../../src/lib/profiles/merge';
import { profileTable } from '../../src/lib/profiles/profileTable';
import { closeTo } from '../helpers/close';
import { testDb } from '../helpers/db';
import { flights, movies, tableOf, zipcodes } from '../helpers/realSplits';

const fx = JSON.parse(readFileSync(new URL('../fixtures/profiles/drift.json', import.meta.url), 'utf8'));

interface Expected {
  method: string;
  drifted: boolean;
  score: number | null;
  n_ref: number;
  n_cur: number;
  stats: Record<string, number | string[]> | null;
}

let db: Db;
const SMALL_CAPS = { numericValues: 32, textValues: 2048 };

/** Profiles of a split: reference, current, and the current in three parts merged. */
async function split(
  name: string,
  frame: ReturnType<typeof flights>,
  ref: [number, number, number],
  cur: [number, number, number],
  caps?: typeof SMALL_CAPS,
) {
  await tableOf(db, `${name}_ref`, frame, ...ref);
  await tableOf(db, `${name}_cur`, frame, ...cur);
  const reference = await profileTable(db, `${name}_ref`, { caps });
  const current = await profileTable(db, `${name}_cur`, { caps });
  // The current rows in three uneven parts, keeping the same step.
  const [start, end, step] = cur;
  const cuts = [start, start + step * Math.floor((end - start) / step / 5), start + step * Math.floor((end - start) / step / 2), end];
  const parts: Profile[] = [];
  for (let i = 0; i < 3; i++) {
    await tableOf(db, `${name}_part`, frame, cuts[i]!, cuts[i + 1]!, step);
    parts.push(await profileTable(db, `${name}_part`, { caps }));
  }
  return { reference, current, merged: mergeProfiles(parts) };
}

const measured: string[] = [];

function checkAgainstScipy(label: string, report: ProfileDriftReport, expected: { name: string; expected: Expected }[]) {
  for (const { name, expected: e } of expected) {
    const c = report.columns.find((x) => x.name === name)!;
    expect(c, name).toBeDefined();
    expect(c.method, name).toBe(e.method);
    expect(c.drifted, name).toBe(e.drifted);
    expect([c.nRef, c.nCur]).toEqual([e.n_ref, e.n_cur]);
    const approx = report.approximation[name]!;
    const stats = c.stats as unknown as Record<string, number>;
    if (approx.exact) {
      closeTo(c.score, e.score, 1e-9, 1e-12);
      for (const [k, v] of Object.entries(e.stats ?? {})) {
        if (Array.isArray(v)) expect(stats[k], `${name}.${k}`).toEqual(v);
        else closeTo(stats[k], v, 1e-9, 1e-12);
      }
      continue;
    }
    const s = c.stats as NumericalStats;
    const ks = e.stats!['ks_statistic'] as number;
    const wn = e.stats!['wasserstein_normed'] as number;
    const w = e.stats!['wasserstein'] as number;
    measured.push(
      `${label} ${name}: KS ${s.ks_statistic.toFixed(5)} vs ${ks.toFixed(5)} (bound ${approx.bounds.ks_statistic!.toFixed(5)}), ` +
        `W normed ${s.wasserstein_normed.toPrecision(5)} vs ${wn.toPrecision(5)} (${((100 * Math.abs(s.wasserstein_normed - wn)) / wn).toFixed(3)}%)`,
    );
    expect(Math.abs(s.ks_statistic - ks), `${name} KS`).toBeLessThanOrEqual(0.005);
    // The stated bounds hold: KS only from below, Wasserstein either way.
    expect(s.ks_statistic).toBeLessThanOrEqual(ks + 1e-12);
    expect(ks - s.ks_statistic).toBeLessThanOrEqual(approx.bounds.ks_statistic! + 1e-12);
    expect(Math.abs(s.wasserstein - w)).toBeLessThanOrEqual(approx.bounds.wasserstein! * (1 + 1e-9) + 1e-12);
    expect(Math.abs(s.wasserstein_normed - wn) / wn, `${name} W normed`).toBeLessThanOrEqual(0.02);
  }
}

/** Merged parts give the same drift as the whole, to 1e-9 in every figure. */
function checkMergeIdentity(whole: ProfileDriftReport, merged: ProfileDriftReport) {
  expect(merged.columns.map((c) => [c.name, c.method, c.drifted])).toEqual(whole.columns.map((c) => [c.name, c.method, c.drifted]));
  whole.columns.forEach((c, i) => {
    const m = merged.columns[i]!;
    closeTo(m.score, c.score, 1e-9, 1e-12);
    for (const [k, v] of Object.entries(c.stats ?? {})) {
      const got = (m.stats as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number') closeTo(got as number, v, 1e-9, 1e-12);
      else expect(got).toEqual(v);
    }
  });
  expect(merged.approximation).toEqual(whole.approximation);
}

beforeAll(async () => {
  db = await testDb();
});

describe('drift from profiles of real data, against scipy on the rows', () => {
  const cases: [
    string,
    () => ReturnType<typeof flights>,
    string,
    (n: number) => [[number, number, number], [number, number, number]],
    typeof SMALL_CAPS | undefined,
  ][] = [
    [
      'flights',
      flights,
      'flights',
      (n) => [
        [0, n / 2, 1],
        [n / 2, n, 1],
      ],
      undefined,
    ],
    [
      'flights, 32-value cap (sketch)',
      flights,
      'flights',
      (n) => [
        [0, n / 2, 1],
        [n / 2, n, 1],
      ],
      SMALL_CAPS,
    ],
    [
      'zipcodes, alternate rows',
      zipcodes,
      'zipcodes_alternate',
      (n) => [
        [0, n, 2],
        [1, n, 2],
      ],
      undefined,
    ],
    [
      'zipcodes, halves',
      zipcodes,
      'zipcodes_halves',
      (n) => [
        [0, Math.floor(n / 2), 1],
        [Math.floor(n / 2), n, 1],
      ],
      undefined,
    ],
    [
      'movies',
      movies,
      'movies',
      (n) => [
        [0, Math.floor(n / 2), 1],
        [Math.floor(n / 2), n, 1],
      ],
      undefined,
    ],
  ];
  for (const [label, frameOf, key, bounds, caps] of cases)
    it(label, async () => {
      const frame = frameOf();
      const [ref, cur] = bounds(frame.rows);
      const p = await split(key.replace(/_.*/, ''), frame, ref, cur, caps);
      const whole = profileDriftReport(p.reference, p.current);
      checkAgainstScipy(label, whole, fx.splits[key].columns);
      checkMergeIdentity(whole, profileDriftReport(p.reference, p.merged));
      if (caps) expect(whole.approximate).toBe(true);
    });
  it('reports what it measured', () => {
    console.log(measured.join('\n'));
    expect(measured.length).toBeGreaterThan(0);
  });
});
