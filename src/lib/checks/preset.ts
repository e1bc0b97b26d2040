/**
 * A check suite generated from the reference, in the spirit of Evidently's automatic tests (test presets
 * derive their conditions from the reference: DataStabilityTestPreset, DataDriftTestPreset,
 * BinaryClassificationTestPreset). Margins are ours and recorded in docs/decisions/0700.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import { missingCounts, duplicateRowsSql } from '../drift/quality';
import { driftKindOf } from '../drift/schemaDiff';
import { DEFAULT_DATASET_DRIFT_SHARE } from '../drift/methods';
import { flatMetrics, overallPerformance } from '../metrics/performance';
import { preparePerformance } from '../metrics/setup';
import type { Task } from '../metrics/spec';
import { detectEmbeddings, vectorType } from '../multivariate/embeddingColumns';
import { inferRoles, type ColumnRole, type RoleMap } from '../roles';
import { countRows, describeTable, type ColumnInfo } from '../schema';
import { unpivoted, WIDE_COLUMNS } from '../unpivot';
import type { Setup } from '../setup/types';
import { ident, num, oneOf, raw, select, sql, type Column } from '../sql';
import { sliceInputs } from './inputs';
import { SUITE_FORMAT, SUITE_VERSION, type Check, type Suite } from './suite';

/** Missing share may grow by 10% of the reference's (Evidently's approx(relative=0.1)) plus an absolute floor. */
export const MISSING_RELATIVE = 0.1;
export const MISSING_FAIL_FLOOR = 0.005;
export const MISSING_WARN_FLOOR = 0.001;
/** Rows outside the reference range: a sample's extremes fall outside another sample's by chance (about 2/n). */
export const OUT_OF_RANGE_FAIL = 0.005;
export const OUT_OF_RANGE_WARN = 0.001;
export const DUPLICATE_FAIL_MARGIN = 0.005;
export const DUPLICATE_WARN_MARGIN = 0.001;
/** Performance within +-10% of the reference fails beyond, warns beyond 5%. */
export const PERFORMANCE_TOLERANCE = 0.1;
export const PERFORMANCE_WARN = 0.05;
/** Main metrics per task: the ones Evidently's classification / regression test presets check. */
export const PRESET_METRICS: Record<Task, string[]> = {
  binary: ['accuracy', 'f1', 'roc_auc'],
  multiclass: ['accuracy', 'macro_f1'],
  regression: ['mae', 'rmse', 'r2'],
};

/**
 * Segment drift: a segment whose distance to its reference is past the drift table's Jensen-Shannon
 * threshold and 2.5 times the median segment's (2 warns). Relative, because a log from another season
 * drifts in every segment a little; a feed broken in one place drifts there several times more.
 */
export const SEGMENT_DRIFT_MAX = 0.1;
export const SEGMENT_DRIFT_RATIO = 2.5;
export const SEGMENT_DRIFT_WARN = 2;
/** Performance by segment: worse than the same segment of the reference by 25% fails, 15% warns. */
export const SEGMENT_PERFORMANCE_TOLERANCE = 0.25;
export const SEGMENT_PERFORMANCE_WARN = 0.15;
/** The metric judged per segment: one that is stable on a few hundred rows. */
export const SEGMENT_METRIC: Record<Task, (scored: boolean) => string> = {
  binary: (scored) => (scored ? 'log_loss' : 'accuracy'),
  multiclass: () => 'accuracy',
  regression: () => 'mae',
};
/**
 * Columns that segment the rows in the preset: text or yes/no columns whose values repeat (30 values at
 * most, or a hundred rows a value on average: airports, regions, channels; never ids or free text). The
 * most frequent 30 values are the segments.
 */
export const SEGMENT_MAX_VALUES = 30;
export const SEGMENT_ROWS_PER_VALUE = 100;

/** Attribution drift (share of total mean |SHAP| that moved, summed over features). */
export const ATTRIBUTION_FAIL = 0.2;
export const ATTRIBUTION_WARN = 0.1;

/**
 * Columns a preset checks one by one (missing values, range or categories, drift, segment drift) at most:
 * each is several queries per run, and a suite of 10,000 columns took minutes to run. The rest are still
 * in the schema check; the suite's notes say which were left out.
 */
export const PRESET_MAX_COLUMNS = 500;

const CHECKED_ROLES: ReadonlySet<ColumnRole> = new Set(['feature', 'segment']);
const SCHEMA_ROLES: ReadonlySet<ColumnRole> = new Set(['feature', 'segment', 'score', 'prediction']);

export interface PresetOptions {
  name?: string;
  /** Roles of the reference's columns (from the setup); inferred from names when left out. */
  roles?: RoleMap;
  /** The columns the performance checks use (the setup's); inferred as the performance analysis does when left out. */
  outputs?: { label?: string | undefined; score?: string | undefined; prediction?: string | undefined; id?: string | undefined };
  /** A model will be given when the suite runs: add attribution drift. */
  model?: boolean;
  signal?: AbortSignal;
}

const round = (x: number) => Number(x.toPrecision(6));
/** Ids safe in JUnit names and URLs: the column name is kept readable, other characters become '_'. */
const idOf = (kind: string, column?: string) => (column === undefined ? kind : `${kind}:${column.replace(/[^\w.-]+/g, '_')}`);

/** Text and yes/no columns of the reference with a few values: what segments the rows in the checks. */
async function segmentColumns(db: Db, reference: string, candidates: ColumnInfo[], signal?: AbortSignal): Promise<string[]> {
  const few = candidates.filter((c) => c.kind === 'string' || c.kind === 'boolean');
  if (few.length === 0) return [];
  if (few.length > WIDE_COLUMNS) {
    // Thousands of count(DISTINCT) in one query ran DuckDB-WASM out of memory: unpivot in batches.
    const rows = await countRows(db, reference, signal);
    const counted = await unpivoted(
      db,
      reference,
      few,
      (x) => sql`CAST(${x} AS VARCHAR)`,
      { d: num(raw('count(DISTINCT v)::DOUBLE'), 0) },
      signal,
    );
    const most = Math.max(SEGMENT_MAX_VALUES, rows / SEGMENT_ROWS_PER_VALUE);
    return few
      .filter((_, i) => {
        const d = Number(counted.get(i)?.d ?? 0);
        return d >= 2 && d <= most;
      })
      .map((c) => c.name);
  }
  const spec: Record<string, Column<number>> = Object.fromEntries(
    few.map((c, i) => [`d${i}`, num(sql`count(DISTINCT ${ident(c.name)})::DOUBLE`, 0)]),
  );
  spec['rows'] = num(sql`count(*)::DOUBLE`, 0);
  const r = await oneOf(db, select(spec, sql`FROM ${ident(reference)}`), { signal });
  const most = Math.max(SEGMENT_MAX_VALUES, r['rows']! / SEGMENT_ROWS_PER_VALUE);
  return few.filter((_, i) => r[`d${i}`]! >= 2 && r[`d${i}`]! <= most).map((c) => c.name);
}

/**
 * The preset of a workspace's setup: the reference's roles as the setup inferred them (no check on the
 * label, the score, the prediction or an id as if they were inputs), and the setup's label, outputs and
 * join id for the performance checks.
 */
export function presetFromSetup(db: Db, setup: Setup, options: Omit<PresetOptions, 'roles' | 'outputs'> = {}): Promise<Suite> {
  if (!setup.reference)
    throw new LanternError('usage', 'The checks compare the log with the training data: there is no training data yet.');
  const reference = setup.datasets.find((d) => d.table === setup.reference)!;
  const roles: RoleMap = Object.fromEntries(Object.entries(reference.roles).map(([c, r]) => [c, r.role]));
  const outputs = {
    ...(setup.label ? { label: setup.label.column } : {}),
    ...(setup.score && setup.score in roles ? { score: setup.score } : {}),
    ...(setup.prediction && setup.prediction in roles ? { prediction: setup.prediction } : {}),
    ...(setup.join ? { id: setup.join.log } : {}),
  };
  return presetFromReference(db, setup.reference, { ...options, roles, outputs, name: options.name ?? `Preset from ${reference.name}` });
}

export async function presetFromReference(db: Db, reference: string, options: PresetOptions = {}): Promise<Suite> {
  const { signal } = options;
  const columns = await describeTable(db, reference);
  if (columns.length === 0) throw new LanternError('no-rows', 'The reference has no columns.');
  const roles = options.roles ?? inferRoles(columns);
  const checkable = columns.filter((c) => CHECKED_ROLES.has(roles[c.name] ?? 'feature') && driftKindOf(c) !== null);
  const checked = checkable.slice(0, PRESET_MAX_COLUMNS);
  const notes: string[] = [];
  if (checkable.length > checked.length)
    notes.push(
      `The reference has ${checkable.length.toLocaleString('en-US')} columns to check; this preset checks the first ${checked.length.toLocaleString('en-US')} ` +
        `(${checked[0]!.name} to ${checked[checked.length - 1]!.name}) one by one and every column in the schema check. ` +
        `Edit the suite to check other columns.`,
    );
  const checks: Check[] = [];
  const ids = new Set<string>();
  const add = (c: Check) => {
    let id = c.id;
    for (let i = 2; ids.has(id); i++) id = `${c.id}~${i}`;
    ids.add(id);
    checks.push({ ...c, id });
  };

  add({ id: 'schema', kind: 'schema', columns: columns.filter((c) => SCHEMA_ROLES.has(roles[c.name] ?? 'feature')).map((c) => c.name) });
  // An embedding's numbers drift together: one embedding check, not a drift check per numbered column
  // (which would also make the drift report test them one by one).
  const byName = inferRoles(columns);
  const embeddings = detectEmbeddings(columns, columns, {
    skip: new Set(columns.filter((c) => byName[c.name] !== 'feature' && vectorType(c.type) === null).map((c) => c.name)),
  });
  const grouped = new Set(embeddings.flatMap((e) => e.columns));
  const missing = await missingCounts(db, reference, checked, signal);
  const rows = missing.rows;
  for (const [i, c] of checked.entries()) {
    const refShare = rows ? missing.missing[i]! / rows : 0;
    const grown = refShare * (1 + MISSING_RELATIVE);
    add({
      id: idOf('missing', c.name),
      kind: 'missing-share',
      column: c.name,
      max: round(Math.min(1, grown + MISSING_FAIL_FLOOR)),
      warn: round(Math.min(1, grown + MISSING_WARN_FLOOR)),
    });
    if (driftKindOf(c) === 'numerical' && c.kind === 'numeric')
      add({ id: idOf('range', c.name), kind: 'out-of-range', column: c.name, max: OUT_OF_RANGE_FAIL, warn: OUT_OF_RANGE_WARN });
    else add({ id: idOf('categories', c.name), kind: 'unseen-categories', column: c.name, max: 0 });
    if (!grouped.has(c.name)) add({ id: idOf('drift', c.name), kind: 'drift-column', column: c.name });
  }
  for (const e of embeddings) add({ id: idOf('embedding-drift', e.name), kind: 'embedding-drift', embedding: e.name });
  if (checked.length) add({ id: 'drift-share', kind: 'drift-share', max: DEFAULT_DATASET_DRIFT_SHARE });
  // Drift concentrated in one segment: what a feed broken for one airport or one region looks like.
  const segments = await segmentColumns(db, reference, checked, signal);
  const segmentRows = Math.max(100, Math.ceil(rows * 0.005));
  if (segments.length)
    for (const c of checked)
      if (segments.some((s) => s !== c.name))
        add({
          id: idOf('segment-drift', c.name),
          kind: 'segment-drift',
          column: c.name,
          segments: segments.filter((s) => s !== c.name),
          max: SEGMENT_DRIFT_MAX,
          ratio: SEGMENT_DRIFT_RATIO,
          warn: SEGMENT_DRIFT_WARN,
          minRows: segmentRows,
        });
  const duplicates = await oneOf(db, duplicateRowsSql(reference).count, { signal });
  const dupShare = rows ? duplicates.n / rows : 0;
  add({
    id: 'duplicates',
    kind: 'duplicate-rows',
    max: round(Math.min(1, dupShare + DUPLICATE_FAIL_MARGIN)),
    warn: round(Math.min(1, dupShare + DUPLICATE_WARN_MARGIN)),
  });

  const settings: Suite['settings'] = {};
  try {
    const o = options.outputs ?? {};
    const choices = {
      ...(o.label ? { label: o.label } : {}),
      ...(o.score ? { score: o.score } : {}),
      ...(o.prediction ? { prediction: o.prediction } : {}),
    };
    const setup = await preparePerformance(db, { data: reference, out: '__preset_perf', choices, signal });
    const { spec } = setup;
    settings.label = spec.label;
    if (spec.score) settings.score = spec.score;
    if (spec.prediction) settings.prediction = spec.prediction;
    if (o.id) settings.id = o.id;
    if (spec.positive !== undefined) settings.positive = spec.positive;
    const metrics = flatMetrics(spec.task, (await overallPerformance(db, spec, { pointOnly: true, signal })).metrics);
    // Log loss watches the calibration of a binary score, which accuracy and ROC AUC do not see.
    const overall = [...PRESET_METRICS[spec.task], ...(spec.task === 'binary' && spec.score ? ['log_loss'] : [])];
    for (const m of overall)
      if (metrics[m] !== null && metrics[m] !== undefined)
        add({
          id: idOf('performance', m),
          kind: 'metric-vs-reference',
          metric: m,
          tolerance: PERFORMANCE_TOLERANCE,
          warn: PERFORMANCE_WARN,
        });
    // Slices: at least 1% of the reference's rows (50 at the least); allowed to be worse than overall by
    // half again the reference's own worst slice plus a quarter of its overall error.
    const minRows = Math.max(50, Math.ceil(rows * 0.01));
    const perf = {
      task: spec.task,
      spec,
      current: metrics,
      reference: metrics,
      labelled: setup.join.matched,
      predictions: setup.join.predictions,
    };
    const ref = await sliceInputs(db, perf, { minRows, maxDepth: 2 }, signal);
    const refWorst = Math.max(0, ref.slices[0]?.difference ?? 0);
    add({
      id: 'slices',
      kind: 'slices',
      minRows,
      maxDepth: 2,
      maxDifference: round(1.5 * refWorst + 0.25 * ref.overall),
      warn: round(refWorst + 0.125 * ref.overall),
    });
    // The model in each segment against the same segment of the reference.
    const metric = SEGMENT_METRIC[spec.task](Boolean(spec.score));
    if (metrics[metric] !== null && metrics[metric] !== undefined)
      for (const segment of segments)
        add({
          id: idOf('performance-by-segment', segment),
          kind: 'metric-by-segment',
          metric,
          segment,
          tolerance: SEGMENT_PERFORMANCE_TOLERANCE,
          warn: SEGMENT_PERFORMANCE_WARN,
          minRows: segmentRows,
        });
  } catch (error) {
    // A reference without labels or model outputs gets no performance checks; anything else is a real error.
    if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
  }
  if (options.model) add({ id: 'attribution-drift', kind: 'attribution-drift', max: ATTRIBUTION_FAIL, warn: ATTRIBUTION_WARN });
  return {
    format: SUITE_FORMAT,
    version: SUITE_VERSION,
    name: options.name ?? 'Preset from the reference',
    ...(notes.length ? { notes } : {}),
    settings,
    checks,
  };
}
