import { describe, expect, it } from 'vitest';
import { aucComponents, delongIndependent, delongPaired, midranks } from '../../src/lib/versions/delong';
import { binomialTwoSidedHalf, mcnemar } from '../../src/lib/versions/mcnemar';
import { pairedTTest, welchTTest, wilcoxonSignedRank } from '../../src/lib/versions/pairedErrors';
import { twoProportionZ } from '../../src/lib/versions/proportions';
import { expectClose } from '../helpers/close';
import { readVersionsFixture } from '../helpers/versions';

type Num = Record<string, number>;
interface Edge {
  ties: { y: number[]; champion: number[]; challenger: number[]; threshold: number; mcnemar: Num; delong: Num };
  no_discordant: { y: number[]; champion: number[]; challenger: number[]; threshold: number; mcnemar: Num; delong: Num };
  same_ranking: { y: number[]; champion: number[]; challenger: number[]; delong: Num };
  one_way: Num;
  many: Num;
  equal: Num;
  one_class: {
    baseline: { y: number[]; s: number[] };
    other: { y: number[]; s: number[] };
    threshold: number;
    accuracy: Num;
    delong: null;
  };
  independent: { baseline: { y: number[]; s: number[] }; other: { y: number[]; s: number[] }; delong: Num; accuracy: Num };
  wilcoxon_exact: { x: number[]; y: number[]; statistic: number; p_value: number; t: number; t_p_value: number };
  wilcoxon_exact_ties: { x: number[]; y: number[]; statistic: number; p_value: number };
  wilcoxon_zeros: { x: number[]; y: number[]; statistic: number; p_value: number; t: number; t_p_value: number };
}
const edge = readVersionsFixture<Edge>('edge.json');
const TOL = 1e-6;

/** |a - e| <= 1e-6 (p-values near 0 are compared absolutely: they are what decides). */
function near(actual: number, expected: number, what: string) {
  if (Math.abs(actual - expected) > TOL * Math.max(1, Math.abs(expected))) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

function expectMcNemar(got: ReturnType<typeof mcnemar>, e: Num, what: string) {
  expect(got.b, what).toBe(e['b']);
  expect(got.c, what).toBe(e['c']);
  near(got.statistic, e['statistic']!, `${what} statistic`);
  near(got.p_value, e['p_value']!, `${what} p`);
  near(got.exact_p_value, e['exact_p_value']!, `${what} exact p`);
}

function discordant(y: number[], a: number[], b: number[], t: number) {
  let bb = 0;
  let cc = 0;
  y.forEach((label, i) => {
    const ra = (a[i]! >= t ? 1 : 0) === label;
    const rb = (b[i]! >= t ? 1 : 0) === label;
    if (ra && !rb) bb++;
    if (!ra && rb) cc++;
  });
  return [bb, cc] as const;
}

describe("McNemar's test against scipy (chi2.sf, binomtest)", () => {
  it('matches on counts with ties, one-way, many and equal discordant pairs', () => {
    for (const name of ['one_way', 'many', 'equal'] as const) expectMcNemar(mcnemar(edge[name]['b']!, edge[name]['c']!), edge[name], name);
    const t = edge.ties;
    const [b, c] = discordant(t.y, t.champion, t.challenger, t.threshold);
    expectMcNemar(mcnemar(b, c), t.mcnemar, 'ties');
  });

  it('says nothing tells the versions apart when b + c = 0', () => {
    const t = edge.no_discordant;
    const [b, c] = discordant(t.y, t.champion, t.challenger, t.threshold);
    expect(b + c).toBe(0);
    expectMcNemar(mcnemar(b, c), t.mcnemar, 'no discordant');
    expect(mcnemar(0, 0)).toEqual({ b: 0, c: 0, statistic: 0, p_value: 1, exact_p_value: 1 });
  });

  it('has a symmetric exact p-value capped at 1', () => {
    expect(binomialTwoSidedHalf(3, 6)).toBe(1);
    expectClose(binomialTwoSidedHalf(0, 10), 2 / 1024, 1e-12);
    expectClose(binomialTwoSidedHalf(10, 10), 2 / 1024, 1e-12);
    expect(binomialTwoSidedHalf(4, 9)).toBe(1);
  });
});

describe("DeLong's test against a numpy DeLong by midranks", () => {
  it('gives midranks with ties averaged', () => {
    expect(Array.from(midranks([0.3, 0.1, 0.3, 0.2, 0.3]))).toEqual([4, 1, 4, 2, 4]);
  });

  it('matches paired AUCs with ties in the scores, and AUC equals sklearn', () => {
    const t = edge.ties;
    const got = delongPaired(t.y, t.champion, t.challenger);
    if ('defined' in got) throw new Error(got.reason);
    for (const k of ['auc_champion', 'auc_challenger', 'difference', 'variance', 'z', 'p_value'] as const) near(got[k], t.delong[k]!, k);
  });

  it('matches when no decision differs, and gives z = 0, p = 1 for the same ranking', () => {
    const t = edge.no_discordant;
    const got = delongPaired(t.y, t.champion, t.challenger);
    if ('defined' in got) throw new Error(got.reason);
    near(got.z, t.delong['z']!, 'z');
    near(got.p_value, t.delong['p_value']!, 'p');
    const s = delongPaired(edge.same_ranking.y, edge.same_ranking.champion, edge.same_ranking.challenger);
    if ('defined' in s) throw new Error(s.reason);
    expect(s).toMatchObject({ difference: 0, z: 0, p_value: 1 });
    near(s.auc_champion, edge.same_ranking.delong['auc_champion']!, 'auc');
  });

  it('matches two independent AUCs (the sum of the variances)', () => {
    const t = edge.independent;
    const got = delongIndependent({ y: t.baseline.y, score: t.baseline.s }, { y: t.other.y, score: t.other.s });
    if ('defined' in got) throw new Error(got.reason);
    for (const k of ['auc_baseline', 'auc_other', 'difference', 'variance', 'z', 'p_value'] as const) near(got[k], t.delong[k]!, k);
  });

  it('is undefined, with the reason, when a version saw one class', () => {
    const t = edge.one_class;
    expect(t.delong).toBeNull();
    const got = delongIndependent({ y: t.baseline.y, score: t.baseline.s }, { y: t.other.y, score: t.other.s });
    expect(got).toMatchObject({ defined: false });
    expect(aucComponents([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe("two-proportion z-test against statsmodels' proportions_ztest", () => {
  it('matches with pooled variance, other minus baseline', () => {
    for (const name of ['independent', 'one_class'] as const) {
      const t = edge[name];
      const t0 = name === 'one_class' ? edge.one_class.threshold : 0.5;
      const k = (v: { y: number[]; s: number[] }) => v.y.filter((y, i) => (v.s[i]! >= t0 ? 1 : 0) === y).length;
      const got = twoProportionZ(k(t.other), t.other.y.length, k(t.baseline), t.baseline.y.length);
      if ('defined' in got) throw new Error(got.reason);
      near(got.difference, t.accuracy['difference']!, `${name} difference`);
      near(got.z, t.accuracy['z']!, `${name} z`);
      near(got.p_value, t.accuracy['p_value']!, `${name} p`);
    }
  });

  it('is undefined when both sides are all one outcome', () => {
    expect(twoProportionZ(5, 5, 9, 9)).toMatchObject({ defined: false });
    expect(twoProportionZ(0, 0, 3, 9)).toMatchObject({ defined: false });
  });
});

describe("paired tests on per-row errors against scipy's ttest_rel and wilcoxon", () => {
  const diff = (x: number[], y: number[]) => x.map((v, i) => v - y[i]!);
  it('matches the exact Wilcoxon (n <= 50, no zeros), with and without ties', () => {
    for (const name of ['wilcoxon_exact', 'wilcoxon_exact_ties'] as const) {
      const t = edge[name];
      const got = wilcoxonSignedRank(diff(t.x, t.y));
      if ('defined' in got) throw new Error(got.reason);
      expect(got.method).toBe('exact');
      near(got.statistic, t.statistic, `${name} statistic`);
      near(got.p_value, t.p_value, `${name} p`);
    }
  });

  it('matches the normal approximation with zeros and ties', () => {
    const t = edge.wilcoxon_zeros;
    const got = wilcoxonSignedRank(diff(t.x, t.y));
    if ('defined' in got) throw new Error(got.reason);
    expect(got.method).toBe('approx');
    near(got.statistic, t.statistic, 'statistic');
    near(got.p_value, t.p_value, 'p');
  });

  it('matches the paired t-test', () => {
    for (const name of ['wilcoxon_exact', 'wilcoxon_zeros'] as const) {
      const t = edge[name];
      const got = pairedTTest(diff(t.x, t.y));
      if ('defined' in got) throw new Error(got.reason);
      near(got.t, t.t, `${name} t`);
      near(got.p_value, t.t_p_value, `${name} p`);
      expect(got.lo).toBeLessThan(got.mean_difference);
    }
    expect(pairedTTest([0, 0, 0])).toMatchObject({ t: 0, p_value: 1 });
    expect(wilcoxonSignedRank([0, 0])).toMatchObject({ defined: false });
  });

  it("welch's t-test is symmetric in sign", () => {
    const a = welchTTest([1, 2, 3, 4], [2, 3, 4, 5, 6]);
    const b = welchTTest([2, 3, 4, 5, 6], [1, 2, 3, 4]);
    if ('defined' in a || 'defined' in b) throw new Error('undefined');
    expect(a.t).toBeCloseTo(-b.t, 12);
    expect(a.p_value).toBeCloseTo(b.p_value, 12);
  });
});
