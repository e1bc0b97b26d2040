/**
 * Champion against challenger, as one use case for the app's Versions view, the Overview's verdict,
 * `lantern compare` and the version checks: every metric of the task per version on the same labelled
 * rows (paired) or on each version's rows (split), the tests of the difference, where the versions
 * disagree and where the challenger is worse (slices, windows), the score distributions, and the verdict.
 * One set of defaults wherever it runs; the tables it makes are dropped before it returns.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import { investigationUnit, minimumSupport, type CalendarUnit } from '../findings/windows';
import { flatMetrics, overallPerformance } from '../metrics/performance';
import { preparePerformance, type PerfChoices } from '../metrics/setup';
import { labelledSql, type PerfSpec } from '../metrics/spec';
import { timeSpanMs } from '../metrics/time';
import { loadScoreTable } from '../metrics/scoreTable';
import { inferRoles } from '../roles';
import { describeTable, dropRelation } from '../schema';
import { defaultMinSupport, SLICE_DEFAULTS } from '../slices/defaults';
import { sliceDimensions, type Dimension } from '../slices/dimensions';
import { encodeRows, type EncodedRows } from '../slices/encode';
import { rankSlices } from '../slices/ranked';
import { ident, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { pairedBootstrap, unpairedBootstrap, type BootstrapOptions } from '../versions/bootstrap';
import { delongIndependent, delongPaired, whenDefined } from '../versions/delong';
import { detectVersions, splitValues } from '../versions/detect';
import { mcnemar } from '../versions/mcnemar';
import { modelImportance, scoreWithModels, type VersionModel } from '../versions/models';
import { pairedTTest, welchTTest, wilcoxonSignedRank } from '../versions/pairedErrors';
import { twoProportionZ } from '../versions/proportions';
import { correctSql, disagreeSql, pairedRows, splitRows, type VersionRows } from '../versions/rows';
import { scoreDistributions } from '../versions/scores';
import { pairedClassificationSlices, pairedRegressionSlices, splitSlices } from '../versions/slices';
import type { Comparison, Disagreement, VersionComparison, VersionMetrics, VersionsLayout, VersionTests } from '../versions/types';
import { verdict, type OverallTest } from '../versions/verdict';
import { compareWindows } from '../versions/windows';
import type { Run } from './run';

export interface CompareInput {
  /** The prediction log's table. */
  data: string;
  /** Labels that arrived later, joined by prediction id. */
  labels?: string | undefined;
  /** How the versions appear; read from the columns when left out. */
  layout?: VersionsLayout | undefined;
  /** Label, id, timestamp, task, positive class, threshold: inferred as in the Performance view when left out. */
  choices?: Omit<PerfChoices, 'score' | 'prediction'> | undefined;
  /** Prefix of the tables this call makes (and drops). */
  out: string;
  /** Slices (one column's value) to measure each version on, for per-slice checks. */
  slices?: { column: string; value: string }[] | undefined;
  bootstrap?: BootstrapOptions | undefined;
  /**
   * Two model files as the two versions, champion first: the log is scored with each and compared like a
   * shadow log (the layout is then theirs), and their SHAP importance is measured on the same rows.
   */
  models?: readonly VersionModel[] | undefined;
  /** What the outputs are when known (model files say it): otherwise read from the values. */
  outputs?: 'probability' | 'value' | undefined;
}

/** The defaults the app and the CLI share. */
export const COMPARE_DEFAULTS = {
  /** Significance of an overall test for the verdict. */
  alpha: 0.05,
  /** False discovery rate over slices and over windows. */
  fdr: SLICE_DEFAULTS.fdr,
  /** Labelled rows each version needs before a verdict other than "hold". */
  minRows: 30,
} as const;

async function isProbability(db: Db, table: string, column: string, signal?: AbortSignal): Promise<boolean> {
  const c = sql`TRY_CAST(${ident(column)} AS DOUBLE)`;
  const r = await oneOf(
    db,
    select(
      { lo: num(sql`min(${c})`), hi: num(sql`max(${c})`), frac: num(sql`count(*) FILTER (WHERE ${c} <> trunc(${c}))::DOUBLE`) },
      sql`FROM ${ident(table)} WHERE isfinite(${c})`,
    ),
    { signal },
  );
  return r.lo >= 0 && r.hi <= 1 && r.frac > 0;
}

/** A spec for one output column: a score (binary with probabilities) or a prediction. */
function outputSpec(base: PerfSpec, table: string, column: string, kind: PerfSpec['predictionKind'], asScore: boolean): PerfSpec {
  const { score: _s, prediction: _p, predictionKind: _k, classScores: _c, predictionFromScores: _f, ...rest } = base;
  return asScore ? { ...rest, table, score: column } : { ...rest, table, prediction: column, predictionKind: kind ?? 'numeric' };
}

function validOutputSql(spec: PerfSpec): Sql {
  const column = spec.score ?? spec.prediction!;
  return spec.score || spec.task === 'regression' ? sql`isfinite(TRY_CAST(${ident(column)} AS DOUBLE))` : sql`${ident(column)} IS NOT NULL`;
}

async function versionMetrics(run: Run, spec: PerfSpec, ref: Omit<VersionMetrics, 'n' | 'metrics' | 'flat'>): Promise<VersionMetrics> {
  const overall = await overallPerformance(run.db, spec, { signal: run.signal as AbortSignal });
  const out: VersionMetrics = { ...ref, n: overall.metrics.n, metrics: overall.metrics, flat: flatMetrics(spec.task, overall.metrics) };
  if (overall.task === 'binary' && overall.report) out.roc = overall.report.roc;
  return out;
}

function differences(a: VersionMetrics, b: VersionMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(a.flat)) {
    if (k === 'n') continue;
    const w = b.flat[k];
    out[k] = v === null || w === null || w === undefined ? null : w - v;
  }
  return out;
}

/** The dimensions slices are cut on: features and segments, never the label, outputs, ids or the version. */
async function comparisonDimensions(run: Run, table: string, skip: (string | undefined)[]): Promise<Dimension[]> {
  const columns = await describeTable(run.db, table);
  const roles = inferRoles(columns);
  for (const s of skip) if (s) roles[s] = 'ignore';
  return sliceDimensions(run.db, table, columns, roles, { signal: run.signal as AbortSignal });
}

export async function compareVersions(run: Run, input: CompareInput): Promise<Comparison> {
  return input.models ? compareModels(run, input, input.models) : compareColumns(run, input);
}

/** Two model files: the log scored with each into a table of its own (dropped after), then compared paired. */
async function compareModels(run: Run, input: CompareInput, models: readonly VersionModel[]): Promise<Comparison> {
  const started = performance.now();
  if (models.length !== 2)
    throw new LanternError('usage', `Comparing model files takes two of them (a champion and a challenger), not ${models.length}.`);
  const scored = `${input.out}_scored`;
  const signal = run.signal as AbortSignal | undefined;
  try {
    const [champion, challenger] = await scoreWithModels(run.db, input.data, models, scored, signal);
    const c = await compareColumns(run, {
      ...input,
      models: undefined,
      data: scored,
      layout: { mode: 'paired', champion: champion!, challenger: challenger! },
      // A classifier's output is a probability even when every row is scored 0 or 1; a regressor's never is.
      outputs: models.every((m) => m.model.link === 'logistic') ? 'probability' : 'value',
    });
    const importance = await modelImportance(run.db, input.data, models, signal);
    return { ...c, models: importance, ms: performance.now() - started };
  } finally {
    await dropRelation(run.db, scored).catch(() => undefined);
  }
}

async function compareColumns(run: Run, input: CompareInput): Promise<Comparison> {
  const started = performance.now();
  const { db, signal } = run;
  const layout = input.layout ?? (await detectVersions(db, input.data, signal))?.layout;
  if (!layout)
    throw new LanternError(
      'usage',
      'No model versions found: name two output columns (--champion and --challenger) or a version column with its output (--version and --score).',
    );
  const columns = await describeTable(db, input.data);
  const has = (c: string, what: string) => {
    if (!columns.some((x) => x.name === c))
      throw new LanternError('usage', `The log has no column "${c}" (${what}). Columns: ${columns.map((x) => x.name).join(', ')}.`);
  };
  const first = layout.mode === 'paired' ? layout.champion : layout.output;
  if (layout.mode === 'paired') {
    has(layout.champion, 'champion');
    has(layout.challenger, 'challenger');
  } else {
    has(layout.version, 'version');
    has(layout.output, 'score or prediction');
  }
  const probability =
    input.outputs !== undefined
      ? input.outputs === 'probability'
      : columns.find((c) => c.name === first)!.kind === 'numeric' && (await isProbability(db, input.data, first, signal));
  const joined = `${input.out}_joined`;
  const rowsView = `${input.out}_rows`;
  const made: string[] = [joined];
  try {
    const setup = await preparePerformance(db, {
      data: input.data,
      labels: input.labels,
      out: joined,
      choices: { ...input.choices, ...(probability ? { score: first } : { prediction: first }) },
      ...(signal ? { signal } : {}),
    });
    const base = setup.spec;
    const scores = base.task === 'binary' && probability;
    const kindOf = (c: string) => setup.columns.find((x) => x.name === c)?.kind;
    const outputs = layout.mode === 'paired' ? [layout.champion, layout.challenger] : [layout.output];
    const probe = outputSpec(base, joined, outputs[0]!, kindOf(outputs[0]!), scores);
    const valid = outputs.map((c) => validOutputSql(outputSpec(base, joined, c, kindOf(c), scores)).text).join(' AND ');
    const versionValid = layout.mode === 'split' ? sql` AND ${ident(layout.version)} IS NOT NULL` : raw('');
    made.push(rowsView);
    await db.query(
      sql`CREATE OR REPLACE VIEW ${ident(rowsView)} AS SELECT * FROM ${ident(joined)} WHERE ${raw(labelledSql(probe))} AND ${raw(valid)}${versionValid}`
        .text,
      { signal },
    );
    const [countRow] = await db.query(sql`SELECT count(*)::DOUBLE AS n FROM ${ident(rowsView)}`.text, { signal });
    const labelled = Number(countRow?.['n'] ?? 0);
    if (labelled === 0) throw new LanternError('no-rows', 'No labelled row has an output of every version to compare.');

    // Calendar windows as the investigation chooses them (enough rows per window for a test).
    let unit: CalendarUnit | null = null;
    let windowSql: Sql | undefined;
    if (setup.timestampSql) {
      unit = investigationUnit(await timeSpanMs(db, rowsView, setup.timestampSql, signal), labelled, minimumSupport(labelled));
      if (unit) windowSql = sql`date_trunc(${unit}, ${raw(setup.timestampSql)})`;
    }
    const skip = [
      base.label,
      base.timestamp,
      setup.spec.score,
      setup.spec.prediction,
      ...outputs,
      layout.mode === 'split' ? layout.version : undefined,
    ];
    const idColumn = Object.entries(setup.roles).find(([, r]) => r === 'id')?.[0];
    const dims = await comparisonDimensions(run, rowsView, [...skip, idColumn]);
    const minRows = defaultMinSupport(labelled);
    const comparisons: VersionComparison[] = [];
    let versions: VersionMetrics[];
    const sliceMetrics: Comparison['sliceMetrics'] = [];
    const sliceWhere = (s: { column: string; value: string }) => sql`CAST(${ident(s.column)} AS VARCHAR) = ${s.value}`.text;

    if (layout.mode === 'paired') {
      const [a, b] = [layout.champion, layout.challenger].map((c) => outputSpec(base, rowsView, c, kindOf(c), scores)) as [
        PerfSpec,
        PerfSpec,
      ];
      versions = [
        await versionMetrics(run, a, { name: layout.champion, column: layout.champion }),
        await versionMetrics(run, b, { name: layout.challenger, column: layout.challenger }),
      ];
      for (const s of input.slices ?? []) {
        const per: Record<string, Record<string, number | null>> = {};
        for (const [i, spec] of [a, b].entries())
          per[versions[i]!.name] = flatMetrics(
            spec.task,
            (await overallPerformance(db, spec, { where: sliceWhere(s), pointOnly: true, ...(signal ? { signal } : {}) })).metrics,
          );
        sliceMetrics.push({ ...s, versions: per });
      }
      const rows = await pairedRows(db, a, b, windowSql, signal);
      comparisons.push(
        await pairedComparison(run, {
          a,
          b,
          rows,
          dims,
          versions: versions as [VersionMetrics, VersionMetrics],
          scores,
          unit,
          minRows,
          bootstrap: input.bootstrap,
        }),
      );
    } else {
      const values = await splitValues(db, rowsView, layout.version, layout.baseline, signal);
      if (values.length < 2)
        throw new LanternError('usage', `The version column "${layout.version}" holds one version only (${values[0]?.value ?? 'none'}).`);
      if (layout.baseline !== undefined && values[0]!.value !== layout.baseline)
        throw new LanternError(
          'usage',
          `The version column "${layout.version}" has no value "${layout.baseline}" (it has ${values.map((v) => v.value).join(', ')}).`,
        );
      const total = values.reduce((s, v) => s + v.rows, 0);
      const specs = values.map((v, i) => {
        const view = `${input.out}_v${i}`;
        made.push(view);
        return { view, value: v.value, spec: outputSpec(base, view, layout.output, kindOf(layout.output), scores) };
      });
      versions = [];
      for (const s of specs) {
        await db.query(
          sql`CREATE OR REPLACE VIEW ${ident(s.view)} AS SELECT * FROM ${ident(rowsView)} WHERE CAST(${ident(layout.version)} AS VARCHAR) = ${s.value}`
            .text,
          { signal },
        );
        versions.push({
          ...(await versionMetrics(run, s.spec, { name: s.value, value: s.value })),
          share: values.find((v) => v.value === s.value)!.rows / total,
        });
      }
      for (const s of input.slices ?? []) {
        const per: Record<string, Record<string, number | null>> = {};
        for (const v of specs)
          per[v.value] = flatMetrics(
            v.spec.task,
            (await overallPerformance(db, v.spec, { where: sliceWhere(s), pointOnly: true, ...(signal ? { signal } : {}) })).metrics,
          );
        sliceMetrics.push({ ...s, versions: per });
      }
      const rowSpec = outputSpec(base, rowsView, layout.output, kindOf(layout.output), scores);
      const rows = await splitRows(
        db,
        rowSpec,
        layout.version,
        values.map((v) => v.value),
        windowSql,
        signal,
      );
      for (let k = 1; k < specs.length; k++)
        comparisons.push(
          await splitComparison(run, {
            specs: specs.map((s) => s.spec),
            k,
            rows,
            dims,
            versions,
            scores,
            unit,
            minRows,
            bootstrap: input.bootstrap,
          }),
        );
    }
    return {
      mode: layout.mode,
      layout,
      task: base.task,
      label: base.label,
      ...(base.positive !== undefined ? { positive: base.positive } : {}),
      threshold: base.threshold,
      scores,
      join: setup.join,
      versions,
      comparisons,
      windowUnit: unit,
      sliceMetrics,
      ms: performance.now() - started,
    };
  } finally {
    for (const t of made.reverse()) await dropRelation(db, t).catch(() => undefined);
  }

  interface PairedArgs {
    a: PerfSpec;
    b: PerfSpec;
    rows: VersionRows;
    dims: Dimension[];
    versions: [VersionMetrics, VersionMetrics];
    scores: boolean;
    unit: CalendarUnit | null;
    minRows: number;
    bootstrap: BootstrapOptions | undefined;
  }

  async function pairedComparison(run: Run, p: PairedArgs): Promise<VersionComparison> {
    const { a, b, rows, dims, versions } = p;
    const other = rows.other!;
    const regression = a.task === 'regression';
    const names = [versions[0].name, versions[1].name];
    const tests: VersionTests = {};
    let primary: OverallTest | null = null;
    let secondary: OverallTest | null = null;
    let disagreement: Disagreement | undefined;
    let slices;
    const rowOpts = { signal: run.signal as AbortSignal };
    if (regression) {
      const errors = {} as NonNullable<VersionTests['errors']>;
      for (const [name, f] of [
        ['absolute_error', Math.abs],
        ['squared_error', (x: number) => x * x],
      ] as const) {
        const d = Array.from(rows.y, (y, i) => f(other.output[i]! - y) - f(rows.output[i]! - y));
        errors[name] = { t: pairedTTest(d), wilcoxon: wilcoxonSignedRank(d) };
      }
      tests.errors = errors;
      const t = whenDefined(errors.absolute_error.t);
      if (t)
        primary = {
          metric: 'mae',
          difference: t.mean_difference,
          p_value: t.p_value,
          test: 'paired t-test on absolute errors',
          lowerIsBetter: true,
        };
      const e = (spec: PerfSpec) => raw(`abs(CAST(${ident(spec.prediction!)} AS DOUBLE) - CAST(${ident(spec.label)} AS DOUBLE))`);
      const diff = await encodeRows(run.db, a, dims, sql`${e(b)} - ${e(a)}`.text, rowOpts);
      const base = await encodeRows(run.db, a, dims, e(a).text, rowOpts);
      slices = pairedRegressionSlices(dims, diff, base, p.minRows, COMPARE_DEFAULTS.fdr);
      const gap = await encodeRows(
        run.db,
        a,
        dims,
        sql`abs(CAST(${ident(b.prediction!)} AS DOUBLE) - CAST(${ident(a.prediction!)} AS DOUBLE))`.text,
        rowOpts,
      );
      disagreement = await disagreementOf(dims, gap, false);
    } else {
      let bb = 0;
      let cc = 0;
      for (let i = 0; i < rows.correct.length; i++) {
        if (rows.correct[i] && !other.correct[i]) bb++;
        if (!rows.correct[i] && other.correct[i]) cc++;
      }
      tests.mcnemar = mcnemar(bb, cc);
      const n = rows.correct.length;
      const accuracy: OverallTest = {
        metric: 'accuracy',
        difference: (cc - bb) / n,
        p_value: tests.mcnemar.exact_p_value,
        test: `McNemar, ${bb} vs ${cc} discordant rows`,
      };
      if (p.scores) {
        tests.delong = delongPaired(rows.y, rows.output, other.output);
        const d = whenDefined(tests.delong);
        if (d) primary = { metric: 'roc_auc', difference: d.difference, p_value: d.p_value, test: "DeLong's test" };
        secondary = accuracy;
        tests.bootstrap = pairedBootstrap(Uint8Array.from(rows.y), rows.output, other.output, a.threshold, p.bootstrap);
      } else primary = accuracy;
      const outcome = sql`2 * ${correctSql(a)} + ${correctSql(b)}`;
      slices = pairedClassificationSlices(dims, await encodeRows(run.db, a, dims, outcome.text, rowOpts), p.minRows, COMPARE_DEFAULTS.fdr);
      disagreement = await disagreementOf(dims, await encodeRows(run.db, a, dims, disagreeSql(a, b).text, rowOpts), true);
    }
    const windows = p.unit
      ? compareWindows(rows, { unit: p.unit, names, challenger: 1, task: a.task, scores: p.scores, fdr: COMPARE_DEFAULTS.fdr, minRows: 20 })
      : [];
    const scoresOut = p.scores || regression ? scoreDistributions([names[0]!, names[1]!], rows.output, other.output) : undefined;
    return {
      champion: names[0]!,
      challenger: names[1]!,
      tests,
      differences: differences(versions[0], versions[1]),
      slices: slices.slices,
      slicesCompared: slices.compared,
      windows,
      ...(disagreement ? { disagreement } : {}),
      ...(scoresOut ? { scores: scoresOut } : {}),
      verdict: verdict({
        champion: names[0]!,
        challenger: names[1]!,
        rows: [versions[0].n, versions[1].n],
        primary,
        secondary,
        windows,
        slices: slices.slices,
        alpha: COMPARE_DEFAULTS.alpha,
        minRows: COMPARE_DEFAULTS.minRows,
      }),
    };
  }

  interface SplitArgs {
    specs: PerfSpec[];
    k: number;
    rows: VersionRows;
    dims: Dimension[];
    versions: VersionMetrics[];
    scores: boolean;
    unit: CalendarUnit | null;
    minRows: number;
    bootstrap: BootstrapOptions | undefined;
  }

  async function splitComparison(run: Run, p: SplitArgs): Promise<VersionComparison> {
    const { rows, k, versions } = p;
    const [a, b] = [p.specs[0]!, p.specs[k]!];
    const regression = a.task === 'regression';
    const names = [versions[0]!.name, versions[k]!.name];
    const mine = (v: number) => {
      const idx: number[] = [];
      for (let i = 0; i < rows.version.length; i++) if (rows.version[i] === v) idx.push(i);
      return idx;
    };
    const [ia, ib] = [mine(0), mine(k)];
    const tests: VersionTests = {};
    let primary: OverallTest | null = null;
    let secondary: OverallTest | null = null;
    const rowOpts = { signal: run.signal as AbortSignal };
    let errorSql: string;
    if (regression) {
      const errorsWelch = {} as NonNullable<VersionTests['errorsWelch']>;
      for (const [name, f] of [
        ['absolute_error', Math.abs],
        ['squared_error', (x: number) => x * x],
      ] as const) {
        const err = (idx: number[]) => idx.map((i) => f(rows.output[i]! - rows.y[i]!));
        errorsWelch[name] = welchTTest(err(ib), err(ia));
      }
      tests.errorsWelch = errorsWelch;
      const t = whenDefined(errorsWelch.absolute_error);
      if (t)
        primary = {
          metric: 'mae',
          difference: t.mean_difference,
          p_value: t.p_value,
          test: "Welch's t-test on absolute errors",
          lowerIsBetter: true,
        };
      errorSql = `abs(CAST(${ident(a.prediction!)} AS DOUBLE) - CAST(${ident(a.label)} AS DOUBLE))`;
    } else {
      const rates: Record<string, ReturnType<typeof twoProportionZ>> = {};
      const count = (idx: number[], num: (i: number) => boolean, den: (i: number) => boolean) => {
        let kk = 0;
        let n = 0;
        for (const i of idx)
          if (den(i)) {
            n++;
            if (num(i)) kk++;
          }
        return [kk, n] as const;
      };
      const right = (i: number) => rows.correct[i] === 1;
      const any = () => true;
      const z = (num: (i: number) => boolean, den: (i: number) => boolean) => {
        const [k1, n1] = count(ib, num, den);
        const [k0, n0] = count(ia, num, den);
        return twoProportionZ(k1, n1, k0, n0);
      };
      rates['accuracy'] = z(right, any);
      if (a.task === 'binary') {
        // Predicted positive = right on a positive or wrong on a negative.
        const pos = (i: number) => rows.y[i] === 1;
        const predictedPos = (i: number) => (pos(i) ? right(i) : !right(i));
        rates['precision'] = z(pos, predictedPos);
        rates['recall'] = z(right, pos);
        rates['specificity'] = z(right, (i) => !pos(i));
      }
      tests.rates = rates;
      const acc = whenDefined(rates['accuracy']!);
      const accuracy: OverallTest | null = acc
        ? { metric: 'accuracy', difference: acc.difference, p_value: acc.p_value, test: 'two-proportion z-test' }
        : null;
      if (p.scores) {
        const side = (idx: number[]) => ({ y: idx.map((i) => rows.y[i]!), score: idx.map((i) => rows.output[i]!) });
        tests.auc = delongIndependent(side(ia), side(ib));
        const d = whenDefined(tests.auc);
        if (d) primary = { metric: 'roc_auc', difference: d.difference, p_value: d.p_value, test: "DeLong's test (independent samples)" };
        secondary = accuracy;
        tests.bootstrap = unpairedBootstrap(
          await loadScoreTable(run.db, a, rowOpts),
          await loadScoreTable(run.db, b, rowOpts),
          a.threshold,
          p.bootstrap,
        );
      } else primary = accuracy;
      errorSql = sql`1 - ${correctSql(a)}`.text;
    }
    const ea = await encodeRows(run.db, a, p.dims, errorSql, rowOpts);
    const eb = await encodeRows(run.db, b, p.dims, errorSql, rowOpts);
    const slices = splitSlices(p.dims, ea, eb, regression, p.minRows, COMPARE_DEFAULTS.fdr);
    const windows = p.unit
      ? compareWindows(rows, {
          unit: p.unit,
          names: versions.map((v) => v.name),
          challenger: k,
          task: a.task,
          scores: p.scores,
          fdr: COMPARE_DEFAULTS.fdr,
          minRows: 20,
        })
      : [];
    // Windows list every version; the comparison keeps the two compared here.
    for (const w of windows) for (const name of Object.keys(w.versions)) if (!names.includes(name)) delete w.versions[name];
    const scoresOut =
      p.scores || regression
        ? scoreDistributions(
            [names[0]!, names[1]!],
            ia.map((i) => rows.output[i]!),
            ib.map((i) => rows.output[i]!),
          )
        : undefined;
    return {
      champion: names[0]!,
      challenger: names[1]!,
      tests,
      differences: differences(versions[0]!, versions[k]!),
      slices: slices.slices,
      slicesCompared: slices.compared,
      windows,
      ...(scoresOut ? { scores: scoresOut } : {}),
      verdict: verdict({
        champion: names[0]!,
        challenger: names[1]!,
        rows: [versions[0]!.n, versions[k]!.n],
        primary,
        secondary,
        windows,
        slices: slices.slices,
        alpha: COMPARE_DEFAULTS.alpha,
        minRows: COMPARE_DEFAULTS.minRows,
      }),
    };
  }
}

/** Where the versions disagree: the slice search's ranking of slices by the per-row disagreement. */
async function disagreementOf(dims: Dimension[], encoded: EncodedRows, binary: boolean): Promise<Disagreement> {
  const n = encoded.errors.length;
  let sum = 0;
  for (const e of encoded.errors) sum += e;
  const ranking = await rankSlices(dims, encoded, {});
  return {
    count: binary ? sum : n,
    rate: n ? sum / n : 0,
    slices: ranking.slices.map((s) => ({
      label: s.label,
      predicates: s.predicates,
      n: s.n,
      rate: s.metric,
      rest: s.rest_metric,
      q_value: s.q_value,
    })),
  };
}
