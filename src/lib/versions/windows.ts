/**
 * Each version's metrics per calendar window and the same tests as overall within each window, with
 * Benjamini-Hochberg over the windows: a canary that degrades in its third week is seen in that week,
 * not averaged away by the weeks before.
 */
import { windowEnd, type CalendarUnit } from '../findings/windows';
import { benjaminiHochberg } from '../slices/significance';
import { aucComponents, delongIndependent, delongPaired, whenDefined } from './delong';
import { mcnemar } from './mcnemar';
import { pairedTTest, welchTTest } from './pairedErrors';
import { twoProportionZ } from './proportions';
import type { VersionRows } from './rows';
import type { WindowComparison } from './types';

export interface WindowOptions {
  unit: CalendarUnit;
  names: string[];
  /** Index of the challenger (split; paired compares the two columns). */
  challenger: number;
  task: 'binary' | 'multiclass' | 'regression';
  scores: boolean;
  fdr: number;
  /** Windows with fewer rows of a version are shown but not tested. */
  minRows: number;
}

function auc(y: number[], s: number[]): number | null {
  return aucComponents(s, y)?.auc ?? null;
}

const mean = (x: number[]) => (x.length ? x.reduce((a, b) => a + b, 0) / x.length : null);

export function compareWindows(rows: VersionRows, options: WindowOptions): WindowComparison[] {
  const { names, challenger, task, scores, minRows } = options;
  const byWindow = new Map<number, number[]>();
  for (let i = 0; i < rows.window.length; i++) {
    const w = rows.window[i]!;
    if (Number.isNaN(w)) continue;
    const list = byWindow.get(w) ?? [];
    list.push(i);
    byWindow.set(w, list);
  }
  const regression = task === 'regression';
  const out: WindowComparison[] = [...byWindow.keys()]
    .sort((a, b) => a - b)
    .map((start) => {
      const idx = byWindow.get(start)!;
      const versions: WindowComparison['versions'] = {};
      const primary = { difference: null as number | null, p_value: null as number | null, q_value: null as number | null };
      const secondary = { ...primary };
      const window: WindowComparison = {
        start: new Date(start).toISOString(),
        end: new Date(windowEnd(start, options.unit)).toISOString(),
        n: idx.length,
        versions,
        primary,
        secondary,
        worse: false,
      };
      if (rows.other) {
        // Paired: both versions on every row of the window.
        const other = rows.other;
        const pick = (a: ArrayLike<number>) => idx.map((i) => a[i]!);
        const y = pick(rows.y);
        if (regression) {
          const ea = idx.map((i) => Math.abs(rows.output[i]! - rows.y[i]!));
          const eb = idx.map((i) => Math.abs(other.output[i]! - rows.y[i]!));
          versions[names[0]!] = { n: idx.length, mae: mean(ea) };
          versions[names[1]!] = { n: idx.length, mae: mean(eb) };
          const t = idx.length >= minRows ? whenDefined(pairedTTest(eb.map((e, i) => e - ea[i]!))) : null;
          if (t) Object.assign(primary, { difference: t.mean_difference, p_value: t.p_value });
          return window;
        }
        let b = 0;
        let c = 0;
        for (const i of idx) {
          if (rows.correct[i] && !other.correct[i]) b++;
          if (!rows.correct[i] && other.correct[i]) c++;
        }
        const accA = mean(pick(rows.correct));
        const accB = mean(pick(other.correct));
        versions[names[0]!] = { n: idx.length, accuracy: accA, ...(scores ? { roc_auc: auc(y, pick(rows.output)) } : {}) };
        versions[names[1]!] = { n: idx.length, accuracy: accB, ...(scores ? { roc_auc: auc(y, pick(other.output)) } : {}) };
        const test = idx.length >= minRows ? mcnemar(b, c) : null;
        const acc = test ? { difference: accB! - accA!, p_value: test.exact_p_value } : null;
        if (scores) {
          const d = idx.length >= minRows ? whenDefined(delongPaired(y, pick(rows.output), pick(other.output))) : null;
          if (d) Object.assign(primary, { difference: d.difference, p_value: d.p_value });
          if (acc) Object.assign(secondary, acc);
        } else if (acc) Object.assign(primary, acc);
        return window;
      }
      // Split: each version's own rows in the window.
      const of = (v: number) => idx.filter((i) => rows.version[i] === v);
      window.share = {};
      names.forEach((name, v) => {
        const mine = of(v);
        window.share![name] = mine.length / idx.length;
        if (regression) versions[name] = { n: mine.length, mae: mean(mine.map((i) => Math.abs(rows.output[i]! - rows.y[i]!))) };
        else
          versions[name] = {
            n: mine.length,
            accuracy: mean(mine.map((i) => rows.correct[i]!)),
            ...(scores
              ? {
                  roc_auc: auc(
                    mine.map((i) => rows.y[i]!),
                    mine.map((i) => rows.output[i]!),
                  ),
                }
              : {}),
          };
      });
      const base = of(0);
      const chal = of(challenger);
      if (base.length < minRows || chal.length < minRows) return window;
      if (regression) {
        const err = (list: number[]) => list.map((i) => Math.abs(rows.output[i]! - rows.y[i]!));
        const t = whenDefined(welchTTest(err(chal), err(base)));
        if (t) Object.assign(primary, { difference: t.mean_difference, p_value: t.p_value });
        return window;
      }
      const k = (list: number[]) => list.reduce((a, i) => a + rows.correct[i]!, 0);
      const z = whenDefined(twoProportionZ(k(chal), chal.length, k(base), base.length));
      const acc = z ? { difference: z.difference, p_value: z.p_value } : null;
      if (scores) {
        const side = (list: number[]) => ({ y: list.map((i) => rows.y[i]!), score: list.map((i) => rows.output[i]!) });
        const d = whenDefined(delongIndependent(side(base), side(chal)));
        if (d) Object.assign(primary, { difference: d.difference, p_value: d.p_value });
        if (acc) Object.assign(secondary, acc);
      } else if (acc) Object.assign(primary, acc);
      return window;
    });
  // One family per test over the windows: q-values, then "worse" where either test says so.
  for (const part of ['primary', 'secondary'] as const) {
    const tested = out.filter((w) => w[part].p_value !== null);
    const q = benjaminiHochberg(tested.map((w) => w[part].p_value!));
    tested.forEach((w, i) => (w[part].q_value = q[i]!));
  }
  for (const w of out) {
    // Regression's primary difference is in error (lower is better); the others are in accuracy or AUC.
    const worse = (t: WindowComparison['primary'], lowerIsBetter: boolean) =>
      t.q_value !== null && t.q_value < options.fdr && t.difference !== null && (lowerIsBetter ? t.difference > 0 : t.difference < 0);
    w.worse = worse(w.primary, regression) || worse(w.secondary, false);
  }
  return out;
}
