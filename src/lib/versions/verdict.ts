/**
 * Promote, hold or roll back, with the reasons. Roll back when the challenger is significantly worse
 * overall (on the primary metric, or in accuracy at the operating threshold) or in the latest window (a
 * canary degrading now); hold when it is worse in some window or slice, when too few rows are labelled,
 * or when nothing is significant either way; promote only when it is significantly better on the
 * primary metric and nowhere significantly worse.
 */
import type { Decision, SliceComparison, Verdict, WindowComparison } from './types';

export interface OverallTest {
  metric: string;
  /** Challenger minus champion. */
  difference: number;
  p_value: number;
  /** The test's name, for the reason. */
  test: string;
  lowerIsBetter?: boolean;
}

export interface VerdictInput {
  champion: string;
  challenger: string;
  /** Labelled rows of each version. */
  rows: [number, number];
  primary: OverallTest | null;
  /** Accuracy at the threshold (McNemar or the z-test) when the primary is a score metric. */
  secondary: OverallTest | null;
  windows: WindowComparison[];
  slices: SliceComparison[];
  alpha: number;
  minRows: number;
}

const fmt = (x: number) => (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(1));
const pfmt = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));

function worseBy(t: OverallTest | null, alpha: number): boolean {
  return t !== null && t.p_value < alpha && (t.lowerIsBetter ? t.difference > 0 : t.difference < 0);
}

function betterBy(t: OverallTest | null, alpha: number): boolean {
  return t !== null && t.p_value < alpha && (t.lowerIsBetter ? t.difference < 0 : t.difference > 0);
}

function sentence(t: OverallTest, who: string, direction: string): string {
  return `${who} is ${direction} on ${t.metric} by ${fmt(Math.abs(t.difference))} (${t.test}, p = ${pfmt(t.p_value)})`;
}

export function verdict(input: VerdictInput): Verdict {
  const { challenger, alpha } = input;
  const primary = input.primary?.metric ?? input.secondary?.metric ?? 'accuracy';
  const reasons: string[] = [];
  let decision: Decision = 'hold';
  const few = input.rows[0] < input.minRows || input.rows[1] < input.minRows;
  if (few) {
    reasons.push(`Too few labelled rows to decide: ${input.rows[0]} and ${input.rows[1]} (at least ${input.minRows} each).`);
    return { decision: 'hold', primary, reasons };
  }
  const worseOverall = [input.primary, input.secondary].filter((t): t is OverallTest => worseBy(t, alpha));
  const tested = input.windows.filter((w) => w.primary.p_value !== null || w.secondary.p_value !== null);
  const latest = tested[tested.length - 1];
  const worseWindows = input.windows.filter((w) => w.worse);
  const worseSlices = input.slices.filter((s) => s.worse);
  if (worseOverall.length) {
    decision = 'roll back';
    for (const t of worseOverall) reasons.push(`${sentence(t, challenger, 'worse')}.`);
  }
  if (latest?.worse) {
    decision = 'roll back';
    reasons.push(`${challenger} is significantly worse in the latest window (from ${latest.start.slice(0, 10)}).`);
  }
  if (worseWindows.length && !(worseWindows.length === 1 && worseWindows[0] === latest))
    reasons.push(
      `${challenger} is significantly worse in ${worseWindows.length} window${worseWindows.length > 1 ? 's' : ''}: ${worseWindows.map((w) => `from ${w.start.slice(0, 10)}`).join(', ')}.`,
    );
  if (worseSlices.length)
    reasons.push(
      `${challenger} is significantly worse in ${worseSlices.length} slice${worseSlices.length > 1 ? 's' : ''}: ${worseSlices
        .slice(0, 3)
        .map((s) => `${s.label} (${fmt(s.champion)} -> ${fmt(s.challenger)})`)
        .join('; ')}${worseSlices.length > 3 ? '; ...' : ''}.`,
    );
  if (decision === 'roll back') return { decision, primary, reasons };
  if (worseWindows.length || worseSlices.length) return { decision: 'hold', primary, reasons };
  if (betterBy(input.primary ?? input.secondary, alpha)) {
    const t = (input.primary ?? input.secondary)!;
    reasons.unshift(`${sentence(t, challenger, 'better')}, and significantly worse in no window or slice.`);
    return { decision: 'promote', primary, reasons };
  }
  const t = input.primary ?? input.secondary;
  reasons.unshift(
    t
      ? `No significant difference on ${t.metric}: ${fmt(t.difference)} (${t.test}, p = ${pfmt(t.p_value)}); keep collecting rows or keep the champion.`
      : `The versions could not be tested against each other on ${primary}.`,
  );
  return { decision: 'hold', primary, reasons };
}
