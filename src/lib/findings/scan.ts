/**
 * The search over segments and time for one measure. For every segment (each value of each segmenting
 * column, and all rows) it compares with the baseline every run of windows a problem could occupy: each
 * window, short runs of up to four windows, every "from this window on" and "until this window", and the
 * whole log - so that a bug starting on some date in a small segment is tested on all its rows at once,
 * however few a single window holds. Runs with too few rows are never tested. Every comparison of the
 * investigation is one false-discovery family (Benjamini-Hochberg). Per segment the run that stands out
 * most - strong, and unlike the same segment outside it - becomes a candidate.
 */
import { benjaminiHochberg } from '../slices/significance';
import { ALL, type SegmentKey } from './grid';
import type { Comparison, Measure } from './measures';

export interface ScanContext {
  windows: number;
  /** Segments to search: every code of every dimension (ALL is always searched). */
  segments: SegmentKey[];
  minSupport: number;
  /** Rows of the log (reach). */
  rows: number;
  /** Whether there is a reference; without one, a run's baseline is its own segment outside the run. */
  hasReference: boolean;
  /** The column each dimension cuts by. */
  dimColumns?: string[];
}

export interface RunTest {
  measure: number;
  segment: SegmentKey;
  from: number;
  to: number;
  rows: number;
  baselineRows: number;
  comparison: Comparison;
  q: number;
}

/** A place where a measure stands out: a segment (or ALL) over a run of windows. */
export interface Candidate {
  measure: number;
  segment: SegmentKey;
  from: number;
  to: number;
  rows: number;
  baselineRows: number;
  comparison: Comparison;
  q: number;
  /** The same measure over the rest of the log against the whole reference (null without one). */
  elsewhere: Comparison | null;
  /** The same segment outside the run (null for a run spanning the log). */
  outside: Comparison | null;
  /** The other rows in the same windows against their own baseline: a change they share is not the segment's. */
  rest: Comparison | null;
  /** The measure's typical effect in one window of one segment of the same column (or of all rows): normal variation. */
  noise: number;
}

export const FDR = 0.01;
/** Short runs tested from every window: a problem of a day, a week, a month, two months. */
const SHORT_RUN = 8;

/** The runs of windows tested: short runs, every suffix and prefix, and the whole log. */
export function runsOf(windows: number): [number, number][] {
  const last = windows - 1;
  const seen = new Set<string>();
  const out: [number, number][] = [];
  const add = (a: number, b: number) => {
    const k = `${a}:${b}`;
    if (a < 0 || b > last || a > b || seen.has(k)) return;
    seen.add(k);
    out.push([a, b]);
  };
  for (let a = 0; a <= last; a++) for (let len = 1; len <= SHORT_RUN; len++) add(a, a + len - 1);
  for (let k = 0; k <= last; k++) {
    add(k, last);
    add(0, k);
  }
  return out;
}

/**
 * A segment is compared with the same segment in the reference, never with all of it: a column that
 * depends on the segment (a species' identification rate) would look drifted against the others' mix.
 * Without enough reference rows the segment is not tested (a segment new in the log shows as new values).
 */
function baseline<T>(m: Measure<T>, ctx: ScanContext, segment: SegmentKey, from: number, to: number): T {
  const mode = modeOf(m as Measure<unknown>, ctx);
  if (mode === 'reference') return m.reference(segment);
  if (mode === 'rest-of-window') return m.minus(m.current(ALL, from, to), m.current(segment, from, to));
  // Its own history is what came before the run (a later problem must not raise the bar), or, for a run
  // at the start, what came after.
  if (from > 0) {
    const before = m.current(segment, 0, from - 1);
    if (m.rows(before) >= ctx.minSupport) return before;
  }
  return m.minus(m.current(segment, 0, ctx.windows - 1), m.current(segment, from, to));
}

const modeOf = (m: Measure<unknown>, ctx: ScanContext) => m.baseline ?? (ctx.hasReference ? 'reference' : 'history');

/** Every testable run of every segment for one measure; `tooSmall` counts runs left out for too few rows. */
export function testRuns<T>(m: Measure<T>, index: number, ctx: ScanContext, counter: { tooSmall: number }): RunTest[] {
  const out: RunTest[] = [];
  const runs = runsOf(ctx.windows);
  for (const segment of [ALL, ...ctx.segments]) {
    // A column is never tested within the segments it defines itself, nor all rows against themselves.
    if (segment.dim >= 0 && ctx.dimColumns?.[segment.dim] === m.column) continue;
    const mode = modeOf(m as Measure<unknown>, ctx);
    if (segment.dim < 0 && mode === 'rest-of-window') continue;
    if (m.rows(m.current(segment, 0, ctx.windows - 1)) < ctx.minSupport) {
      counter.tooSmall++;
      continue;
    }
    for (const [from, to] of runs) {
      // Against its own history, the whole log has nothing to be compared with, and a run from the start is
      // the mirror image of the run after it: "since when" is a suffix.
      if (mode === 'history' && from === 0) continue;
      const cur = m.current(segment, from, to);
      const rows = m.rows(cur);
      if (rows < ctx.minSupport) {
        if (rows > 0 && to === from) counter.tooSmall++;
        continue;
      }
      const b = baseline(m, ctx, segment, from, to);
      const baselineRows = m.rows(b);
      if (baselineRows < ctx.minSupport) continue;
      const comparison = m.compare(cur, b);
      if (comparison) out.push({ measure: index, segment, from, to, rows, baselineRows, comparison, q: 1 });
    }
  }
  return out;
}

/** Benjamini-Hochberg q-values over every test of the investigation (one family). */
export function adjust(tests: RunTest[]): void {
  const q = benjaminiHochberg(tests.map((t) => t.comparison.p));
  tests.forEach((t, i) => (t.q = q[i]!));
}

const median = (xs: number[]) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** The rows outside a segment in the segment's windows, compared with their own baseline (null for all rows). */
function restOf<T>(m: Measure<T>, ctx: ScanContext, t: RunTest): Comparison | null {
  if (t.segment.dim < 0) return null;
  const last = ctx.windows - 1;
  const cur = m.minus(m.current(ALL, t.from, t.to), m.current(t.segment, t.from, t.to));
  const mode = modeOf(m as Measure<unknown>, ctx);
  if (mode === 'rest-of-window') return null;
  const base =
    mode === 'reference'
      ? m.minus(m.reference(ALL), m.reference(t.segment))
      : m.minus(
          m.minus(m.current(ALL, 0, last), m.current(ALL, t.from, t.to)),
          m.minus(m.current(t.segment, 0, last), m.current(t.segment, t.from, t.to)),
        );
  return m.rows(cur) >= ctx.minSupport && m.rows(base) >= ctx.minSupport ? m.compare(cur, base) : null;
}

/** The best run of each segment where the measure stands out, as candidates. */
export function candidates<T>(m: Measure<T>, index: number, tests: RunTest[], ctx: ScanContext): Candidate[] {
  const mine = tests.filter((t) => t.measure === index);
  const last = ctx.windows - 1;
  // Normal variation differs by level: all rows move little from window to window, one airport much more.
  const noiseByDim = new Map<number, number>();
  const deviation = (t: RunTest) => t.comparison.deviation ?? t.comparison.effect;
  const overall = median(mine.map(deviation));
  for (const dim of new Set(mine.map((t) => t.segment.dim))) {
    // One window of one segment is the unit of normal variation; where too few single windows could be
    // tested (small segments), every run of the level is, and failing that the whole measure's.
    const single = mine.filter((t) => t.from === t.to && t.segment.dim === dim);
    const level = mine.filter((t) => t.segment.dim === dim);
    noiseByDim.set(dim, single.length >= 5 ? median(single.map(deviation)) : level.length >= 5 ? median(level.map(deviation)) : overall);
  }
  const bySegment = new Map<string, RunTest[]>();
  for (const t of mine) {
    if (t.q >= FDR || t.comparison.effect < m.threshold) continue;
    const k = `${t.segment.dim}:${t.segment.code}`;
    bySegment.set(k, [...(bySegment.get(k) ?? []), t]);
  }
  const all = m.current(ALL, 0, last);
  const allBase = modeOf(m as Measure<unknown>, ctx) === 'reference' ? baseline(m, ctx, ALL, 0, last) : undefined;
  const out: Candidate[] = [];
  for (const runs of bySegment.values()) {
    const scored = runs.map((t) => {
      const whole = t.from === 0 && t.to === last;
      const segmentAll = m.current(t.segment, 0, last);
      const outsideStats = m.minus(segmentAll, m.current(t.segment, t.from, t.to));
      const outside =
        !whole && m.rows(outsideStats) >= ctx.minSupport ? m.compare(outsideStats, baseline(m, ctx, t.segment, 0, last)) : null;
      // A run is the right scope when the segment looks normal outside it.
      const timeContrast = whole || !outside ? 1 : Math.min(1, t.comparison.effect / Math.max(outside.effect, 0.1 * m.threshold) / 3);
      // Within a segment, the run whose evidence is strongest (effect times the square root of its rows, as
      // a z statistic grows): a long run with a slightly smaller effect beats its strongest sub-run, so the
      // onset is where the problem starts, not where it peaks.
      return { t, outside, strength: t.comparison.effect * Math.sqrt(t.rows) * timeContrast };
    });
    scored.sort((a, b) => b.strength - a.strength);
    // The strongest run, and up to two more that do not overlap it: one segment can hold two problems at
    // two times (labels flipped in summer, scores saturated in autumn).
    const chosen: typeof scored = [];
    for (const s of scored) {
      if (chosen.length === 3) break;
      // A smaller problem at another time is still a problem (a big one after it must not hide it).
      if (chosen.length > 0 && s.strength < 0.2 * chosen[0]!.strength && s.t.comparison.effect < 3 * m.threshold) continue;
      if (chosen.some((c) => c.t.from <= s.t.to && s.t.from <= c.t.to)) continue;
      chosen.push(s);
    }
    // A problem still going on is reported as such ("since when"): a run that stops short of the log's
    // end becomes the run to the end when that keeps nearly all of its effect (the last windows often
    // hold few rows, or few labels yet, and read a little weaker).
    for (const [i, c] of chosen.entries()) {
      if (c.t.to === last) continue;
      const suffix = scored.find((s) => s.t.from === c.t.from && s.t.to === last);
      if (!suffix || suffix.t.comparison.effect < 0.9 * c.t.comparison.effect) continue;
      if (chosen.some((o) => o !== c && o.t.from > c.t.to)) continue;
      chosen[i] = suffix;
    }
    // Adjacent runs of one segment are one problem that the run shapes cut in two: join them.
    chosen.sort((a, b) => a.t.from - b.t.from);
    for (let i = 0; i + 1 < chosen.length;) {
      const a = chosen[i]!;
      const b = chosen[i + 1]!;
      if (b.t.from !== a.t.to + 1) {
        i++;
        continue;
      }
      const from = a.t.from;
      const to = b.t.to;
      const cur = m.current(a.t.segment, from, to);
      const base = baseline(m, ctx, a.t.segment, from, to);
      const comparison = m.compare(cur, base);
      if (!comparison || comparison.effect < 0.7 * Math.max(a.t.comparison.effect, b.t.comparison.effect)) {
        i++;
        continue;
      }
      const p = Math.min(a.t.q, b.t.q);
      chosen.splice(i, 2, { ...a, t: { ...a.t, from, to, rows: m.rows(cur), baselineRows: m.rows(base), comparison, q: p } });
    }
    for (const { t, outside } of chosen) {
      const here = m.current(t.segment, t.from, t.to);
      const others = m.minus(all, here);
      const elsewhere = allBase !== undefined && m.rows(others) >= ctx.minSupport ? m.compare(others, allBase) : null;
      out.push({ ...t, elsewhere, outside, rest: restOf(m, ctx, t), noise: noiseByDim.get(t.segment.dim) ?? 0 });
    }
  }
  return out;
}
