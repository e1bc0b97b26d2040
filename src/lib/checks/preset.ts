/**
 * A check suite generated from the reference, in the spirit of Evidently's automatic tests (test presets
 * derive their conditions from the reference: DataStabilityTestPreset, DataDriftTestPreset,
 * BinaryClassificationTestPreset). Margins are ours and recorded in docs/decisions/0700.
 */
import type { Db } from '../db';
import { LanternError } from '../errors';
import { missingSql, duplicateRowsSql } from '../drift/quality';
import { driftKindOf } from '../drift/schemaDiff';
import { DEFAULT_DATASET_DRIFT_SHARE } from '../drift/methods';
import { flatMetrics, overallPerformance } from '../metrics/performance';
import { preparePerformance } from '../metrics/setup';
import type { Task } from '../metrics/spec';
import { inferRoles, type ColumnRole, type RoleMap } from '../roles';
import { describeTable } from '../schema';
import { oneOf } from '../sql';
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

/** Attribution drift (share of total mean |SHAP| that moved, summed over features). */
export const ATTRIBUTION_FAIL = 0.2;
export const ATTRIBUTION_WARN = 0.1;

const CHECKED_ROLES: ReadonlySet<ColumnRole> = new Set(['feature', 'segment']);
const SCHEMA_ROLES: ReadonlySet<ColumnRole> = new Set(['feature', 'segment', 'score', 'prediction']);

export interface PresetOptions {
  name?: string;
  roles?: RoleMap;
  /** A model will be given when the suite runs: add attribution drift. */
  model?: boolean;
  signal?: AbortSignal;
}

const round = (x: number) => Number(x.toPrecision(6));
/** Ids safe in JUnit names and URLs: the column name is kept readable, other characters become '_'. */
const idOf = (kind: string, column?: string) => (column === undefined ? kind : `${kind}:${column.replace(/[^\w.-]+/g, '_')}`);

export async function presetFromReference(db: Db, reference: string, options: PresetOptions = {}): Promise<Suite> {
  const { signal } = options;
  const columns = await describeTable(db, reference);
  if (columns.length === 0) throw new LanternError('no-rows', 'The reference has no columns.');
  const roles = options.roles ?? inferRoles(columns);
  const checked = columns.filter((c) => CHECKED_ROLES.has(roles[c.name] ?? 'feature') && driftKindOf(c) !== null);
  const checks: Check[] = [];
  const ids = new Set<string>();
  const add = (c: Check) => {
    let id = c.id;
    for (let i = 2; ids.has(id); i++) id = `${c.id}~${i}`;
    ids.add(id);
    checks.push({ ...c, id });
  };

  add({ id: 'schema', kind: 'schema', columns: columns.filter((c) => SCHEMA_ROLES.has(roles[c.name] ?? 'feature')).map((c) => c.name) });
  const missing = await oneOf(db, missingSql(reference, checked), { signal });
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
    add({ id: idOf('drift', c.name), kind: 'drift-column', column: c.name });
  }
  if (checked.length) add({ id: 'drift-share', kind: 'drift-share', max: DEFAULT_DATASET_DRIFT_SHARE });
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
    const setup = await preparePerformance(db, { data: reference, out: '__preset_perf', signal });
    const { spec } = setup;
    settings.label = spec.label;
    if (spec.score) settings.score = spec.score;
    if (spec.prediction) settings.prediction = spec.prediction;
    if (spec.positive !== undefined) settings.positive = spec.positive;
    const metrics = flatMetrics(spec.task, (await overallPerformance(db, spec, { pointOnly: true, signal })).metrics);
    for (const m of PRESET_METRICS[spec.task])
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
  } catch (error) {
    // A reference without labels or model outputs gets no performance checks; anything else is a real error.
    if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
  }
  if (options.model) add({ id: 'attribution-drift', kind: 'attribution-drift', max: ATTRIBUTION_FAIL, warn: ATTRIBUTION_WARN });
  return { format: SUITE_FORMAT, version: SUITE_VERSION, name: options.name ?? 'Preset from the reference', settings, checks };
}
