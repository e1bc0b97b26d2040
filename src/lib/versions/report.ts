/**
 * The comparison as plain JSON in `lantern compare`'s shape: `lantern metrics`' metric names, tests as
 * numbers (null with a reason where undefined), differences as challenger (or other version) minus the
 * champion (baseline). The CLI prints it; the app's exports can write the same.
 */
import type { Undefined } from './delong';
import type { Comparison, VersionComparison } from './types';

type Json = Record<string, unknown>;

function test(t: object | undefined, keys: string[], reasons: Record<string, string>, name: string): Json | null {
  if (!t) return null;
  if ('defined' in t && (t as Undefined).defined === false) {
    reasons[name] = (t as Undefined).reason;
    return null;
  }
  return Object.fromEntries(keys.map((k) => [k, (t as Json)[k] ?? null]));
}

function testsOf(c: Comparison, cmp: VersionComparison, reasons: Record<string, string>): Json {
  const t = cmp.tests;
  const out: Json = {};
  if (c.mode === 'paired') {
    if (t.mcnemar) out['mcnemar'] = test(t.mcnemar, ['b', 'c', 'statistic', 'p_value', 'exact_p_value'], reasons, 'mcnemar');
    if (t.delong)
      out['delong'] = test(t.delong, ['auc_champion', 'auc_challenger', 'difference', 'variance', 'z', 'p_value'], reasons, 'delong');
    if (t.errors)
      for (const [name, e] of Object.entries(t.errors))
        out[name] = {
          t: test(e.t, ['n', 'mean_difference', 't', 'df', 'p_value', 'lo', 'hi'], reasons, `${name}.t`),
          wilcoxon: test(e.wilcoxon, ['n', 'statistic', 'p_value', 'method'], reasons, `${name}.wilcoxon`),
        };
  } else {
    for (const [name, r] of Object.entries(t.rates ?? {})) out[name] = test(r, ['difference', 'z', 'p_value'], reasons, name);
    if (t.auc) out['auc'] = test(t.auc, ['auc_baseline', 'auc_other', 'difference', 'variance', 'z', 'p_value'], reasons, 'auc');
    for (const [name, w] of Object.entries(t.errorsWelch ?? {}))
      out[name] = test(w, ['mean_difference', 't', 'df', 'p_value'], reasons, name);
  }
  if (t.bootstrap) out['bootstrap'] = t.bootstrap;
  return out;
}

function details(cmp: VersionComparison): Json {
  return {
    differences: cmp.differences,
    slices: cmp.slices.map((s) => ({
      slice: s.label,
      predicates: s.predicates,
      n: s.n,
      ...(s.nChallenger !== undefined ? { n_challenger: s.nChallenger } : {}),
      champion: s.champion,
      challenger: s.challenger,
      difference: s.difference,
      ...(s.b !== undefined ? { b: s.b, c: s.c } : {}),
      p_value: s.p_value,
      q_value: s.q_value,
      worse: s.worse,
    })),
    slices_compared: cmp.slicesCompared,
    windows: cmp.windows,
    ...(cmp.disagreement ? { disagreement: cmp.disagreement } : {}),
    ...(cmp.scores ? { scores: { ks: cmp.scores.ks, means: cmp.scores.means } } : {}),
    verdict: cmp.verdict,
  };
}

/** Two model files compared: their files and mean |SHAP| per feature side by side (null: not an input of that model). */
function modelsJson(c: Comparison): Json {
  const m = c.models!;
  return {
    champion: m.models[0],
    challenger: m.models[1],
    importance: {
      rows: m.rows,
      every: m.every,
      features: m.features.map((f) => ({ feature: f.feature, champion: f.values[0] ?? null, challenger: f.values[1] ?? null })),
    },
  };
}

export function comparisonJson(c: Comparison): Json {
  const reasons: Record<string, string> = {};
  const head: Json = {
    mode: c.mode,
    task: c.task,
    ...(c.positive !== undefined ? { positive_class: c.positive, threshold: c.scores ? c.threshold : null } : {}),
    columns: c.layout,
    labels: c.join,
  };
  const first = c.comparisons[0]!;
  if (c.mode === 'paired') {
    const [a, b] = c.versions;
    return {
      ...head,
      champion: { column: a!.name, ...a!.flat },
      challenger: { column: b!.name, ...b!.flat },
      tests: testsOf(c, first, reasons),
      ...details(first),
      ...(c.models ? { models: modelsJson(c) } : {}),
      undefined: reasons,
    };
  }
  const comparisons = Object.fromEntries(
    c.comparisons.map((cmp) => [cmp.challenger, { tests: testsOf(c, cmp, reasons), ...details(cmp) }]),
  );
  return {
    ...head,
    baseline: c.versions[0]!.name,
    versions: Object.fromEntries(c.versions.map((v) => [v.name, { ...v.flat, share: v.share ?? null }])),
    tests: testsOf(c, first, reasons),
    ...details(first),
    comparisons,
    undefined: reasons,
  };
}
