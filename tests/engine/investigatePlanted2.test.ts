import { beforeAll, describe, expect, it } from 'vitest';
import type { Investigation } from '../../src/lib/findings/types';
import { testEngine } from '../helpers/db';
import { found, investigatePlanted } from '../helpers/investigatePlanted';
import { plantedTruth, type PlantedName } from '../helpers/planted';

/**
 * The second set of planted scenarios (scripts/planted2): other data, other file formats and other kinds
 * of bugs - a capped column, a fallback answer, a respelled category, labels late for one league, a
 * retry storm, a feed dropping one plan, a label and its prediction in one file under neutral names.
 * The findings are the same code on either engine (whose numbers the other suites compare), so these run
 * on the CLI's native engine only, to keep the suite short.
 */
const FOUND: Record<string, string[]> = {
  'biopsy-triage': ['lims-worst-area-capped', 'lims-concave-points-missing'],
  'football-result': ['laliga-respelled', 'tips-fallback', 'bundesliga-results-late'],
  'movies-rating': ['runtime-zero-filled', 'sony-budget-thousands'],
  'rand-visits': ['coins50-review-time-utc', 'free-care-score-overflow', 'deductible-plan-feed-drop', 'gateway-retry-storm'],
};

describe.skipIf(testEngine() === 'wasm')('the investigation on the second set of planted scenarios', () => {
  const results = new Map<string, Investigation>();
  beforeAll(async () => {
    for (const name of Object.keys(FOUND)) results.set(name, await investigatePlanted(name as PlantedName, true));
  }, 300_000);

  it.each(Object.entries(FOUND))('%s: the planted bugs are among the top five findings, in place and time', (name, ids) => {
    const inv = results.get(name)!;
    const bugs = plantedTruth(name as PlantedName).bugs;
    for (const id of ids) {
      const bug = bugs.find((b) => b.id === id)!;
      const hit = found(inv, bug);
      expect(
        hit,
        `${id} (${bug.kind}) among:\n${inv.findings
          .slice(0, 8)
          .map((f) => `  ${f.title}`)
          .join('\n')}`,
      ).not.toBeNull();
      expect(hit!.rank, `${id}: ${hit!.finding.title}`).toBeLessThanOrEqual(5);
    }
    for (const f of inv.findings) expect(f.title).not.toMatch(/undefined|NaN|--/);
  });

  it('names a fallback answer as the model output frozen over its days', () => {
    const inv = results.get('football-result')!;
    const frozen = inv.findings.find((f) => f.kind === 'stuck-value' && f.columns.includes('prob_home_win'))!;
    expect(frozen.columns.sort()).toEqual(['prob_away_win', 'prob_draw', 'prob_home_win']);
    expect(frozen.window).toEqual({ start: '2016-02-06', end: '2016-02-15' });
    expect(frozen.detail).toContain('fallback');
  });

  it('names a feed that rounds a percentage to tens as a loss of precision, for its distributor', () => {
    const inv = results.get('movies-rating')!;
    const bug = plantedTruth('movies-rating').bugs.find((b) => b.id === 'warner-critics-pct-rounded')!;
    const hit = found(inv, bug);
    expect(hit?.finding.title).toMatch(/^critics_pct is rounded to multiples of 10 for distributor = Warner Bros\.: 100% of its values/);
    // Found, though below the unit change, the filled-in zeros and the data's own gaps.
    expect(hit!.rank).toBeLessThanOrEqual(10);
  });

  it('names ratings swapped for one league as inputs that no longer move together, there and then', () => {
    const inv = results.get('football-result')!;
    const bug = plantedTruth('football-result').bugs.find((b) => b.id === 'epl-ratings-swapped')!;
    const hit = found(inv, bug);
    expect(hit?.finding.kind).toBe('joint-drift');
    expect(hit!.finding.segment).toEqual([{ column: 'competition', value: 'English Premier League' }]);
    // The relation that broke: each rating against its side's recent form.
    expect(hit!.finding.columns.slice(0, 2).sort()).toEqual(['away_elo', 'home_elo']);
    expect(hit!.finding.title).toMatch(/^The inputs no longer move together as in the reference for competition = English Premier League/);
    // Each column keeps its distribution: no per-column finding of the ratings for the league.
    const perColumn = inv.findings.filter(
      (f) =>
        f.kind !== 'joint-drift' &&
        f.columns.some((c) => c.endsWith('_elo')) &&
        f.segment.some((s) => s.value === 'English Premier League'),
    );
    expect(perColumn).toEqual([]);
    expect(hit!.rank).toBeLessThanOrEqual(10);
  });

  it('names labels miscoded for one group in one season as a performance drop there and then, beside a larger later one', () => {
    const inv = results.get('rand-visits')!;
    const bug = plantedTruth('rand-visits').bugs.find((b) => b.id === 'fair-health-outcomes-flipped')!;
    const hit = found(inv, bug);
    expect(hit?.finding.kind).toBe('performance');
    expect(hit!.finding.title).toMatch(/^Log loss for self_rated_health = fair from 2023-07-/);
    // Below the broken score of the free-care plan (another measure's same kind, months later), yet listed.
    expect(hit!.rank).toBeLessThanOrEqual(10);
  });
});

describe.skipIf(testEngine() === 'wasm')('the investigation of a log without a time column', () => {
  it('without a time column, still finds where: the segments of the whole log', async () => {
    const inv = await investigatePlanted('flights-late', true, true);
    expect(inv.windowUnit).toBeNull();
    expect(inv.steps).toContainEqual({
      step: 'windows',
      status: 'skipped',
      reason: 'No time column in the log: mark one in the Data view to see since when.',
    });
    const titles = inv.findings.slice(0, 5).map((f) => f.title);
    expect(titles[0]).toMatch(/^origin_recent_delay_min is missing for origin = ATL: /);
    expect(titles.some((t) => /^distance_mi for origin = DEN: /.test(t))).toBe(true);
    expect(titles.some((t) => /^The score p_late is not what late_model\.json gives/.test(t))).toBe(true);
    // The screening has one window (the slice search reads time on its own, from the labelled rows).
    for (const f of inv.findings.filter((x) => x.kind !== 'performance')) expect(f.window, f.title).toBeNull();
  }, 120_000);
});
