import type { Db } from '../db';
import { LanternError } from '../errors';
import { joinDelayedLabels, type LabelJoinSummary } from '../labels/join';
import { inferPositiveClass, inferTask, profileLabels, type LabelProfile } from '../labels/task';
import { columnWithRole, inferRoles, type RoleMap } from '../roles';
import { classTextSql } from '../labels/classValue';
import { describeTable, type ColumnInfo, type ColumnKind } from '../schema';
import { bool, ident, num, numOrNull, oneOf, select, sql } from '../sql';
import type { PerfSpec, Task } from './spec';
import { timestampSql } from './time';
import { performanceWarnings } from './warnings';

/** What the user chose (or left out, to be inferred) for a performance analysis. */
export interface PerfChoices {
  id?: string;
  label?: string;
  score?: string;
  prediction?: string;
  timestamp?: string;
  task?: Task;
  positive?: string;
  threshold?: number;
  /**
   * Roles of the log's and the labels file's columns as the caller knows them (the app's setup, with the
   * user's own), in place of the guess from names for the columns not named above.
   */
  roles?: { data?: RoleMap | undefined; labels?: RoleMap | undefined };
}

export interface PerfSetup {
  spec: PerfSpec;
  join: LabelJoinSummary;
  /** Roles of the joined table's columns (the label column included), for slicing. */
  roles: RoleMap;
  columns: ColumnInfo[];
  profile: LabelProfile;
  /** TIMESTAMP expression of the timestamp column, when there is one. */
  timestampSql?: string;
  /** What the analysis left out or guessed (src/lib/metrics/warnings.ts), shown with the numbers. */
  warnings: string[];
}

function need(columns: ColumnInfo[], name: string | undefined, what: string, file: string): string | undefined {
  if (name === undefined) return undefined;
  if (!columns.some((c) => c.name === name)) {
    throw new LanternError('usage', `The ${file} has no column "${name}" (${what}). Columns: ${columns.map((c) => c.name).join(', ')}.`);
  }
  return name;
}

/** Class value a per-class probability column stands for: `proba_cat`, `score_2`, `p(dog)` -> cat, 2, dog. */
function classOfColumn(name: string, classes: string[]): string | undefined {
  const lower = name.toLowerCase();
  return classes.find((c) => {
    const cl = c.toLowerCase();
    return lower.endsWith(`_${cl}`) || lower.endsWith(`(${cl})`) || lower.endsWith(`.${cl}`) || lower.endsWith(`-${cl}`);
  });
}

async function fractional(db: Db, table: string, column: string): Promise<boolean> {
  const c = sql`CAST(${ident(column)} AS DOUBLE)`;
  const r = await oneOf(db, select({ f: bool(sql`bool_or(${c} <> trunc(${c}))`) }, sql`FROM ${ident(table)} WHERE isfinite(${c})`));
  return r.f === true;
}

async function withinUnit(db: Db, table: string, column: string): Promise<boolean> {
  const c = sql`CAST(${ident(column)} AS DOUBLE)`;
  const r = await oneOf(db, select({ u: bool(sql`min(${c}) >= 0 AND max(${c}) <= 1`) }, sql`FROM ${ident(table)} WHERE isfinite(${c})`));
  return r.u === true;
}

/**
 * When the log has both a score and predicted labels, the threshold the model used: 0.5 if the predictions
 * agree with score >= 0.5, else the smallest score predicted positive if that threshold reproduces every
 * prediction; otherwise 0.5 (the predictions do not come from one threshold on this score).
 */
async function thresholdOfPredictions(db: Db, spec: PerfSpec, prediction: string, kind: ColumnKind): Promise<number> {
  const s = sql`CAST(${ident(spec.score!)} AS DOUBLE)`;
  const pp = sql`(${classTextSql(prediction, kind)} = ${spec.positive ?? ''})`;
  const r = await oneOf(
    db,
    select(
      {
        off: num(sql`count(*) FILTER (WHERE ${pp} <> (${s} >= 0.5))::DOUBLE`, 0),
        lo: numOrNull(sql`min(${s}) FILTER (WHERE ${pp})::DOUBLE`),
        hi: numOrNull(sql`max(${s}) FILTER (WHERE NOT ${pp})::DOUBLE`),
      },
      sql`FROM ${ident(spec.table)} WHERE isfinite(${s}) AND ${ident(prediction)} IS NOT NULL`,
    ),
  );
  if (r.off === 0) return 0.5;
  const { lo, hi } = r;
  if (typeof lo === 'number' && (hi === null || (typeof hi === 'number' && hi < lo))) return lo;
  return 0.5;
}

/**
 * Turns a prediction log (and, optionally, a separate label table) into a PerfSpec over a joined table
 * `out`: roles left out are inferred as in the app (src/lib/roles.ts), labels are joined by prediction
 * id, and the task and positive class are inferred from the labels unless given.
 */
export async function preparePerformance(
  db: Db,
  input: { data: string; labels?: string; out: string; choices?: PerfChoices; signal?: AbortSignal },
): Promise<PerfSetup> {
  const choices = input.choices ?? {};
  const dataColumns = await describeTable(db, input.data);
  const dataRoles = { ...inferRoles(dataColumns), ...(choices.roles?.data ?? {}) };
  const id = need(dataColumns, choices.id, 'prediction id', 'data file') ?? columnWithRole(dataRoles, 'id');
  const scoreColumn = need(dataColumns, choices.score, 'score', 'data file') ?? columnWithRole(dataRoles, 'score');
  const predictionColumn = need(dataColumns, choices.prediction, 'prediction', 'data file') ?? columnWithRole(dataRoles, 'prediction');
  const timestamp = need(dataColumns, choices.timestamp, 'timestamp', 'data file') ?? columnWithRole(dataRoles, 'timestamp');
  let label: string | undefined;
  let labelId: string | undefined;
  if (input.labels) {
    const labelColumns = await describeTable(db, input.labels);
    const labelRoles = { ...inferRoles(labelColumns), ...(choices.roles?.labels ?? {}) };
    label = need(labelColumns, choices.label, 'label', 'label file') ?? columnWithRole(labelRoles, 'label');
    if (!label)
      throw new LanternError(
        'usage',
        `Cannot tell which column of the label file holds the label. Columns: ${labelColumns.map((c) => c.name).join(', ')}.`,
        'label',
      );
    if (!id) throw new LanternError('usage', 'Joining labels needs the prediction id column, and none was found.', 'id');
    labelId = labelColumns.some((c) => c.name === id) ? id : columnWithRole(labelRoles, 'id');
    if (!labelId) throw new LanternError('usage', `The label file has no id column to join on ("${id}").`);
  } else {
    label = need(dataColumns, choices.label, 'label', 'data file') ?? columnWithRole(dataRoles, 'label');
    if (!label) throw new LanternError('usage', 'No label column was found in the predictions, and no file of labels was given.', 'label');
  }
  const join = await joinDelayedLabels(
    db,
    { predictions: input.data, labels: input.labels, id, label, labelId, out: input.out },
    input.signal,
  );
  const columns = await describeTable(db, input.out);
  const labelInfo = columns.find((c) => c.name === label)!;
  const profile = await profileLabels(db, input.out, label, labelInfo.kind);
  if (profile.distinct === 0) throw new LanternError('no-rows', noLabelsMessage(join));
  let task = choices.task ?? inferTask(labelInfo.kind, profile);
  let score = scoreColumn;
  let prediction = predictionColumn;
  const outputKind = (name: string | undefined) => columns.find((c) => c.name === name)?.kind;
  // A "prediction" column of fractions is a model output, not a class: a probability for a binary
  // label, a value for numeric labels with few distinct values (ratings, counts).
  if (prediction && outputKind(prediction) === 'numeric' && (await fractional(db, input.out, prediction))) {
    if (task === 'binary' && !score && (await withinUnit(db, input.out, prediction))) {
      score = prediction;
      prediction = undefined;
    } else if (task === 'multiclass' && !choices.task && labelInfo.kind === 'numeric') task = 'regression';
  }
  const roles: RoleMap = { ...dataRoles };
  for (const [role, column] of [
    ['id', id],
    ['score', score],
    ['prediction', prediction],
    ['timestamp', timestamp],
  ] as const)
    if (column) roles[column] = role;
  roles[label] = 'label';
  const kindOf = (name: string | undefined) => columns.find((c) => c.name === name)?.kind;
  const spec: PerfSpec = { table: input.out, label, labelKind: labelInfo.kind, task, threshold: choices.threshold ?? 0.5 };
  if (timestamp) spec.timestamp = timestamp;
  if (task === 'binary') {
    spec.positive = choices.positive ?? inferPositiveClass(profile);
    if (spec.positive !== undefined && !profile.values.some((v) => v.value === spec.positive)) {
      throw new LanternError(
        'usage',
        `The positive class "${spec.positive}" does not occur in the labels (${profile.values.map((v) => v.value).join(', ')}).`,
      );
    }
    if (score) {
      spec.score = score;
      if (choices.threshold === undefined && prediction)
        spec.threshold = await thresholdOfPredictions(db, spec, prediction, kindOf(prediction)!);
    } else if (prediction) {
      spec.prediction = prediction;
      spec.predictionKind = kindOf(prediction)!;
    } else
      throw new LanternError(
        'usage',
        'A binary classifier needs a score or a prediction column, and none was found.',
        'score-or-prediction',
      );
  } else if (task === 'multiclass') {
    const classes = profile.values.map((v) => v.value);
    // Probability columns: score-like names ending in a class (proba_cat, score_2), or p_<class>.
    const classScores = columns
      .filter((c) => c.kind === 'numeric' && c.name !== label && (roles[c.name] === 'score' || /^p[_.-]/i.test(c.name)))
      .map((c) => ({ cls: classOfColumn(c.name, classes), column: c.name }))
      .filter((x): x is { cls: string; column: string } => x.cls !== undefined);
    const distinct = classScores.filter((x, i) => classScores.findIndex((y) => y.cls === x.cls) === i);
    if (distinct.length >= 2) {
      spec.classScores = distinct;
      for (const c of distinct) roles[c.column] = 'score';
    }
    if (prediction) {
      spec.prediction = prediction;
      spec.predictionKind = kindOf(prediction)!;
    } else if (spec.classScores) spec.predictionFromScores = true;
    else
      throw new LanternError(
        'usage',
        'A multiclass classifier needs a prediction column or one probability column per class (proba_<class>, score_<class>, p_<class>).',
        'prediction',
      );
  } else {
    const predicted = prediction ?? score;
    if (!predicted) throw new LanternError('usage', 'A regression model needs a prediction column, and none was found.', 'prediction');
    spec.prediction = predicted;
    spec.predictionKind = 'numeric';
  }
  const setup: PerfSetup = { spec, join, roles, columns, profile, warnings: [] };
  if (timestamp) setup.timestampSql = timestampSql(timestamp, kindOf(timestamp) ?? 'temporal');
  const tsKind = kindOf(timestamp);
  setup.warnings = await performanceWarnings(
    db,
    {
      spec,
      join,
      separateLabels: Boolean(input.labels),
      ...(timestamp && setup.timestampSql ? { timestamp: { column: timestamp, sql: setup.timestampSql, text: tsKind === 'string' } } : {}),
    },
    input.signal,
  );
  return setup;
}

/** Why no prediction has a label: with a label file, most often ids that are written differently. */
function noLabelsMessage(join: LabelJoinSummary): string {
  const base = 'No prediction has a label yet, so realised performance cannot be measured.';
  if (join.labelRows === 0 || join.matched > 0) return base;
  const types = join.idTypes
    ? ` The prediction ids are ${join.idTypes.prediction} and the label ids ${join.idTypes.label} (compared as ${join.idTypes.comparedAs}).`
    : '';
  return `${base} None of the ${join.labelRows.toLocaleString('en-US')} label rows has an id that matches a prediction id.${types} Check that both files use the same ids, written the same way.`;
}
