/**
 * The version check: "challenger not worse than champion on <metric> by more than <margin>", overall or
 * in one slice. Judged from a comparison (src/lib/usecases/compare.ts), the same in the tab and in CI:
 * fail when the challenger's loss is beyond the margin, warn when only the worse end of its 95% interval
 * is (the data cannot yet rule that loss out), pass otherwise.
 */
import type { Check } from '../checks/suite';
import type { Comparison, VersionComparison } from './types';
import { PRIMARY_DIRECTION } from './types';

export type VersionCheck = Extract<Check, { kind: 'version-not-worse' }>;

export interface VersionCheckVerdict {
  status: 'pass' | 'warn' | 'fail' | 'not-evaluated';
  value: number | null;
  threshold: string;
  message: string;
}

const num = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(4))));

export function versionCheckTitle(c: VersionCheck): string {
  return `Challenger not worse than champion on ${c.metric} by more than ${num(c.margin)}${c.slice ? ` in ${c.slice.column} = ${c.slice.value}` : ''}`;
}

/** Loss of the challenger in the metric's direction (positive = worse); mean_error by its size. */
function loss(metric: string, champion: number, challenger: number): number {
  const direction = PRIMARY_DIRECTION[metric];
  if (direction === 'higher') return champion - challenger;
  if (direction === 'lower') return challenger - champion;
  return Math.abs(challenger) - Math.abs(champion);
}

/** The worse end of the difference's 95% interval, as a loss, where the comparison has one. */
function worstLoss(metric: string, cmp: VersionComparison): number | null {
  const higher = PRIMARY_DIRECTION[metric] === 'higher';
  const b = cmp.tests.bootstrap?.[metric];
  if (b) return higher ? -b.lo : b.hi;
  if (metric === 'mae') {
    const t = cmp.tests.errors?.absolute_error.t;
    if (t && !('defined' in t)) return t.hi;
  }
  return null;
}

function sideValues(c: VersionCheck, comparison: Comparison, cmp: VersionComparison): { a: number | null; b: number | null } | string {
  const pick = (v: Record<string, number | null> | undefined) => v?.[c.metric] ?? null;
  if (!c.slice) {
    const a = comparison.versions.find((v) => v.name === cmp.champion);
    const b = comparison.versions.find((v) => v.name === cmp.challenger);
    return { a: pick(a?.flat), b: pick(b?.flat) };
  }
  const { column, value } = c.slice;
  const measured = comparison.sliceMetrics.find((s) => s.column === column && s.value === value);
  if (measured) return { a: pick(measured.versions[cmp.champion]), b: pick(measured.versions[cmp.challenger]) };
  // The slices compared by the comparison itself carry accuracy (classification) or MAE (regression).
  const compared = cmp.slices.find(
    (s) => s.predicates.length === 1 && s.predicates[0]!.column === column && String(s.predicates[0]!.value) === value,
  );
  const own = comparison.task === 'regression' ? 'mae' : 'accuracy';
  if (compared && c.metric === own) return { a: compared.champion, b: compared.challenger };
  return `the slice ${column} = ${value} was not measured`;
}

export function judgeVersionCheck(c: VersionCheck, comparison: Comparison | { unavailable: string } | undefined): VersionCheckVerdict {
  const lower = PRIMARY_DIRECTION[c.metric] === 'lower';
  const threshold = `challenger - champion ${lower ? `<= +${num(c.margin)}` : `>= -${num(c.margin)}`}`;
  const notEvaluated = (why: string): VersionCheckVerdict => ({
    status: 'not-evaluated',
    value: null,
    threshold,
    message: `not evaluated: ${why}`,
  });
  if (!comparison) return notEvaluated('the versions were not compared');
  if ('unavailable' in comparison) return notEvaluated(comparison.unavailable);
  const cmp = c.challenger ? comparison.comparisons.find((x) => x.challenger === c.challenger) : comparison.comparisons[0];
  if (!cmp) return notEvaluated(`there is no version "${c.challenger}"`);
  const values = sideValues(c, comparison, cmp);
  if (typeof values === 'string') return notEvaluated(values);
  const { a, b } = values;
  if (a === null || b === null) return notEvaluated(`${c.metric} is undefined for ${a === null ? cmp.champion : cmp.challenger}`);
  const worse = loss(c.metric, a, b);
  const difference = b - a;
  const worst = c.slice ? null : worstLoss(c.metric, cmp);
  const status = worse > c.margin ? 'fail' : worst !== null && worst > c.margin ? 'warn' : 'pass';
  const where = c.slice ? ` in ${c.slice.column} = ${c.slice.value}` : '';
  return {
    status,
    value: difference,
    threshold,
    message: `${c.metric}${where}: ${cmp.challenger} ${num(b)} vs ${cmp.champion} ${num(a)} (${difference >= 0 ? '+' : ''}${num(difference)})${
      status === 'warn' ? `; the 95% interval reaches a loss of ${num(worst!)}` : ''
    }`,
  };
}

/** The checks the Versions view proposes: the primary metric and accuracy overall, and each slice where the challenger is worse. */
export function proposedVersionChecks(comparison: Comparison): VersionCheck[] {
  const cmp = comparison.comparisons[0];
  if (!cmp) return [];
  const regression = comparison.task === 'regression';
  const mae = comparison.versions[0]?.flat['mae'];
  const margin = (metric: string) => (metric === 'mae' && typeof mae === 'number' ? Number((0.05 * mae).toPrecision(2)) : 0.01);
  const metrics = regression ? ['mae'] : comparison.scores ? ['roc_auc', 'accuracy'] : ['accuracy'];
  const own = regression ? 'mae' : 'accuracy';
  const checks: VersionCheck[] = metrics.map((metric) => ({
    id: `versions:${metric}`,
    kind: 'version-not-worse',
    metric,
    margin: margin(metric),
  }));
  for (const s of cmp.slices.filter((x) => x.worse).slice(0, 5)) {
    const p = s.predicates[0]!;
    if (p.op !== '=') continue;
    checks.push({
      id: `versions:${own}:${p.column}=${String(p.value)}`,
      kind: 'version-not-worse',
      metric: own,
      margin: margin(own),
      slice: { column: p.column, value: String(p.value) },
    });
  }
  return checks;
}
