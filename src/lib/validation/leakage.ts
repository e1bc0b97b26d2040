/**
 * Leakage: columns that give the label away, and evaluation data that is not held out.
 *
 * A column leaks when it predicts the label almost perfectly on its own - ROC AUC (or 1 - AUC) of the
 * column as a score of at least 0.99, or a near-deterministic mapping from its values to the label - or when
 * it is a copy of the label or of the id. The bar is set so that the strongest genuine feature of a table
 * is not flagged: real signals rarely pass AUC 0.99 alone (docs/decisions/0920). Between training and
 * evaluation data: prediction ids in both, evaluation rows that repeat a training row, and training rows
 * dated after evaluation rows.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { classTextSql } from '../labels/classValue';
import { rocAuc } from '../metrics/scoreMetrics';
import { scoreTableFromCounts } from '../metrics/scoreTable';
import { labelledSql, labelTextSql, positiveSql, type PerfSpec } from '../metrics/spec';
import { timestampSql } from '../metrics/time';
import { describeTable, type ColumnInfo } from '../schema';
import { ident, join, num, oneOf, raw, select, sql, type Sql } from '../sql';
import { WIDE_COLUMNS } from '../unpivot';
import { VALIDATION_DEFAULTS } from './defaults';
import { count, metric, quoted, share } from './format';

export type LeakReason = 'single-feature' | 'label-copy' | 'id-copy' | 'shared-ids' | 'duplicate-rows' | 'time-overlap';

export interface LeakFinding {
  /** The leaking column; null for the split-level findings (ids, rows, time). */
  column: string | null;
  reason: LeakReason;
  evidence: string;
  /** The number behind the finding (an AUC, an accuracy, a share or a count). */
  value: number;
}

/** How strongly one column predicts the label on its own. */
export interface ColumnSignal {
  column: string;
  /** ROC AUC of the column's values as a score of the positive class (binary; missing values lowest). */
  roc_auc: number | null;
  /** max(AUC, 1 - AUC): how well the column separates the classes in either direction. */
  separation: number | null;
  /** Accuracy of predicting each row by the majority label of the other rows with its value. */
  mapping_accuracy: number | null;
  /** Regression: |Pearson r| with the label. */
  correlation: number | null;
  /** Share of labelled rows where the column's value equals the label. */
  label_agreement: number;
  /** One-to-one with the id, in the id's order. */
  id_copy: boolean;
  leak: boolean;
}

export interface SplitChecks {
  sharedIds: { column: string; count: number; evaluationIds: number; examples: string[] } | null;
  duplicates: { count: number; rows: number; share: number; columns: string[] } | null;
  time: { column: string; trainingLater: number; evaluationEarlier: number; lastTraining: string; firstEvaluation: string } | null;
}

export interface LeakageReport {
  /** Where the single-column signals were measured: the training data when given, else the evaluation data. */
  measuredOn: 'training' | 'evaluation';
  /** Accuracy of always guessing the most frequent class (classification). */
  baselineAccuracy: number | null;
  /** Strongest first. */
  columns: ColumnSignal[];
  findings: LeakFinding[];
  split: SplitChecks;
}

export interface LeakageInput {
  /** The labelled table the column signals are measured on. */
  spec: PerfSpec;
  measuredOn: 'training' | 'evaluation';
  /** Columns that could leak (features and segments). */
  candidates: string[];
  /** The id column of `spec.table`, if any. */
  id?: string | undefined;
  /** Split checks: the evaluation table and, when given, the training table (same column names). */
  evaluation: string;
  training?: string | undefined;
  evaluationId?: string | undefined;
  timestamp?: string | undefined;
  /** Left out of the duplicate-row comparison (model outputs). */
  outputs: string[];
}

const KINDS_WITH_AUC = new Set(['numeric', 'boolean']);

/** LOO majority accuracy from per-(value, label) counts; ties count 1/(tied classes), values seen once count wrong. */
export function mappingAccuracy(cells: { value: string; label: string; n: number }[]): number | null {
  const byValue = new Map<string, Map<string, number>>();
  let total = 0;
  for (const c of cells) {
    let m = byValue.get(c.value);
    if (!m) byValue.set(c.value, (m = new Map()));
    m.set(c.label, (m.get(c.label) ?? 0) + c.n);
    total += c.n;
  }
  if (total === 0) return null;
  let credit = 0;
  for (const m of byValue.values()) {
    const entries = [...m.entries()];
    for (const [label, k] of entries) {
      if (k === 0) continue;
      let top = 0;
      for (const [l, c] of entries) top = Math.max(top, l === label ? c - 1 : c);
      if (top === 0) continue;
      if (k - 1 !== top) continue;
      const tied = entries.filter(([l, c]) => (l === label ? c - 1 : c) === top).length;
      credit += k / tied;
    }
  }
  return credit / total;
}

async function singleFeatureAuc(db: Db, spec: PerfSpec, column: string, signal?: AbortSignal): Promise<number | null> {
  const x = `TRY_CAST(${ident(column)} AS DOUBLE)`;
  const y = positiveSql(spec);
  // Missing values rank lowest, so a column whose missingness gives the label away separates too.
  const rows = await db.query(
    `SELECT CASE WHEN isfinite(${x}) THEN ${x} ELSE '-inf'::DOUBLE END AS s, sum(${y})::DOUBLE AS pos, (count(*) - sum(${y}))::DOUBLE AS neg FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} GROUP BY 1 ORDER BY 1`,
    { signal },
  );
  const t = scoreTableFromCounts(
    rows.map((r) => Number(r['s'])),
    rows.map((r) => Number(r['pos'])),
    rows.map((r) => Number(r['neg'])),
  );
  const auc = rocAuc(t);
  return auc.defined ? auc.value : null;
}

function valueTextSql(c: ColumnInfo): string {
  // A value no column holds (it starts with NUL) stands for missing, so missing is a value of its own.
  return `coalesce(${classTextSql(c.name, c.kind)}, chr(0) || 'missing')`;
}

async function columnSignal(
  db: Db,
  spec: PerfSpec,
  c: ColumnInfo,
  rows: number,
  baseline: number | null,
  id: ColumnInfo | undefined,
  signal?: AbortSignal,
): Promise<ColumnSignal> {
  const t = ident(spec.table);
  const labelled = labelledSql(spec);
  const value = valueTextSql(c);
  const [facts] = await db.query(
    `SELECT count(DISTINCT ${value})::DOUBLE AS d, avg(CAST(coalesce(${classTextSql(c.name, c.kind)} = ${labelTextSql(spec)}, FALSE) AS INTEGER))::DOUBLE AS agree FROM ${t} WHERE ${labelled}`,
    { signal },
  );
  const distinct = Number(facts?.['d'] ?? 0);
  const agreement = Number(facts?.['agree'] ?? 0);
  let auc: number | null = null;
  let mapping: number | null = null;
  let correlation: number | null = null;
  if (spec.task === 'binary' && KINDS_WITH_AUC.has(c.kind)) auc = await singleFeatureAuc(db, spec, c.name, signal);
  if (spec.task !== 'regression' && distinct <= rows / 2) {
    const cells = await db.query(
      `SELECT ${value} AS v, ${labelTextSql(spec)} AS l, count(*)::DOUBLE AS n FROM ${t} WHERE ${labelled} GROUP BY 1, 2`,
      { signal },
    );
    mapping = mappingAccuracy(cells.map((r) => ({ value: String(r['v']), label: String(r['l']), n: Number(r['n']) })));
  }
  if (spec.task === 'regression' && c.kind === 'numeric') {
    const [r] = await db.query(
      `SELECT corr(TRY_CAST(${ident(c.name)} AS DOUBLE), CAST(${ident(spec.label)} AS DOUBLE))::DOUBLE AS r FROM ${t} WHERE ${labelled}`,
      { signal },
    );
    const v = r?.['r'];
    correlation = typeof v === 'number' && Number.isFinite(v) ? Math.abs(v) : null;
  }
  const idCopy = id ? await oneToOneWithId(db, spec.table, c, id, rows, distinct, signal) : false;
  const separation = auc === null ? null : Math.max(auc, 1 - auc);
  const d = VALIDATION_DEFAULTS;
  const mappingLeak =
    mapping !== null &&
    baseline !== null &&
    mapping >= d.leakAccuracy &&
    (baseline >= 1 || (mapping - baseline) / (1 - baseline) >= d.leakErrorReduction);
  const leak =
    agreement >= d.copyShare ||
    idCopy ||
    (separation !== null && separation >= d.leakAuc) ||
    mappingLeak ||
    (correlation !== null && correlation >= d.leakCorrelation);
  return {
    column: c.name,
    roc_auc: auc,
    separation,
    mapping_accuracy: mapping,
    correlation,
    label_agreement: agreement,
    id_copy: idCopy,
    leak,
  };
}

/**
 * A column is a copy of the id when it is (nearly) unique per row like the id and follows the id's order
 * (Spearman's rho of at least 0.99, ties by lowest rank), or equals it as text: a row number or a
 * re-spelled id. A unique measurement in random id order is not a copy.
 */
async function oneToOneWithId(
  db: Db,
  table: string,
  c: ColumnInfo,
  id: ColumnInfo,
  rows: number,
  distinct: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (rows === 0 || distinct < VALIDATION_DEFAULTS.copyShare * rows) return false;
  const x = ident(c.name);
  const i = ident(id.name);
  const [r] = await db.query(
    `SELECT corr(r1, r2)::DOUBLE AS rho, avg(same)::DOUBLE AS same FROM (SELECT rank() OVER (ORDER BY ${x}) AS r1, rank() OVER (ORDER BY ${i}) AS r2, CAST(CAST(${x} AS VARCHAR) = CAST(${i} AS VARCHAR) AS INTEGER) AS same FROM ${ident(table)} WHERE ${x} IS NOT NULL AND ${i} IS NOT NULL)`,
    { signal },
  );
  const rho = Number(r?.['rho']);
  const same = Number(r?.['same'] ?? 0);
  return same >= VALIDATION_DEFAULTS.copyShare || (Number.isFinite(rho) && Math.abs(rho) >= VALIDATION_DEFAULTS.copyShare);
}

/** Columns per narrow copy when a wide table's columns are checked for leaks. */
const LEAKAGE_COLUMNS_PER_COPY = 100;

async function baselineAccuracy(db: Db, spec: PerfSpec, signal?: AbortSignal): Promise<number | null> {
  if (spec.task === 'regression') return null;
  const [r] = await db.query(
    `SELECT max(n) / sum(n) AS b FROM (SELECT count(*)::DOUBLE AS n FROM ${ident(spec.table)} WHERE ${labelledSql(spec)} GROUP BY ${labelTextSql(spec)})`,
    { signal },
  );
  const b = r?.['b'];
  return typeof b === 'number' ? b : null;
}

function columnFindings(s: ColumnSignal, measuredOn: string, baseline: number | null, id: string | undefined): LeakFinding[] {
  const out: LeakFinding[] = [];
  const where = `in the ${measuredOn} data`;
  const d = VALIDATION_DEFAULTS;
  if (s.label_agreement >= d.copyShare)
    out.push({
      column: s.column,
      reason: 'label-copy',
      value: s.label_agreement,
      evidence: `equals the label in ${share(s.label_agreement)} of the labelled rows ${where}`,
    });
  if (s.id_copy && id)
    out.push({
      column: s.column,
      reason: 'id-copy',
      value: 1,
      evidence: `has a different value in nearly every row and follows the order of the id "${id}" ${where}: a copy of the id`,
    });
  const parts: string[] = [];
  let value = 0;
  if (s.separation !== null && s.separation >= d.leakAuc) {
    parts.push(
      `on its own it separates the label with ROC AUC ${metric(s.roc_auc!)}${s.roc_auc! < 0.5 ? ` (${metric(s.separation)} reversed)` : ''}`,
    );
    value = s.separation;
  }
  if (
    s.mapping_accuracy !== null &&
    baseline !== null &&
    s.mapping_accuracy >= d.leakAccuracy &&
    (baseline >= 1 || (s.mapping_accuracy - baseline) / (1 - baseline) >= d.leakErrorReduction)
  ) {
    parts.push(
      `its values map to the label with ${share(s.mapping_accuracy)} accuracy (each row by the other rows with its value; always guessing the most frequent class: ${share(baseline)})`,
    );
    value = Math.max(value, s.mapping_accuracy);
  }
  if (s.correlation !== null && s.correlation >= d.leakCorrelation) {
    parts.push(`it correlates with the label at |r| = ${metric(s.correlation)}`);
    value = s.correlation;
  }
  if (parts.length) out.push({ column: s.column, reason: 'single-feature', value, evidence: `${parts.join('; ')} ${where}` });
  return out;
}

const strength = (s: ColumnSignal) => Math.max(s.separation ?? 0, s.mapping_accuracy ?? 0, s.correlation ?? 0, s.label_agreement);

/** Columns present in both tables, compared as text when their types differ. */
function sameValue(a: string, b: string, column: string, typesDiffer: boolean): Sql {
  const l = typesDiffer ? sql`CAST(${raw(a)}.${ident(column)} AS VARCHAR)` : sql`${raw(a)}.${ident(column)}`;
  const r = typesDiffer ? sql`CAST(${raw(b)}.${ident(column)} AS VARCHAR)` : sql`${raw(b)}.${ident(column)}`;
  return sql`${l} IS NOT DISTINCT FROM ${r}`;
}

async function splitChecks(db: Db, input: LeakageInput, signal?: AbortSignal): Promise<SplitChecks> {
  const out: SplitChecks = { sharedIds: null, duplicates: null, time: null };
  const training = input.training;
  if (!training) return out;
  const evalCols = await describeTable(db, input.evaluation);
  const trainCols = await describeTable(db, training);
  const inTrain = new Map(trainCols.map((c) => [c.name, c]));
  const e = ident(input.evaluation);
  const t = ident(training);
  const id = input.evaluationId;
  if (id && inTrain.has(id)) {
    const key = ident(id);
    const q = select(
      {
        n: num(raw('(SELECT count(*) FROM ev WHERE k IN (SELECT k FROM tr))::DOUBLE'), 0),
        ids: num(raw('(SELECT count(*) FROM ev)::DOUBLE'), 0),
      },
      raw(''),
    );
    const ids = sql`WITH ev AS (SELECT DISTINCT CAST(${key} AS VARCHAR) AS k FROM ${e} WHERE ${key} IS NOT NULL), tr AS (SELECT DISTINCT CAST(${key} AS VARCHAR) AS k FROM ${t} WHERE ${key} IS NOT NULL)`;
    const [row] = await db.query(`${ids.text} ${q.sql.text}`, { signal });
    const r = q.decode(row ?? {});
    const examples =
      r.n > 0
        ? (await db.query(`${ids.text} SELECT k FROM ev WHERE k IN (SELECT k FROM tr) ORDER BY k LIMIT 3`, { signal })).map((x) =>
            String(x['k']),
          )
        : [];
    out.sharedIds = { column: id, count: r.n, evaluationIds: r.ids, examples };
  }
  throwIfAborted(signal);
  const skip = new Set([id, ...input.outputs].filter(Boolean) as string[]);
  const shared = evalCols.filter((c) => inTrain.has(c.name) && !skip.has(c.name));
  if (shared.length) {
    const on = join(
      shared.map((c) => sameValue('ev', 'tr', c.name, inTrain.get(c.name)!.type !== c.type)),
      ' AND ',
    );
    const q = select(
      {
        dup: num(sql`(SELECT count(*) FROM ${e} ev WHERE EXISTS (SELECT 1 FROM ${t} tr WHERE ${on}))::DOUBLE`, 0),
        rows: num(sql`(SELECT count(*) FROM ${e})::DOUBLE`, 0),
      },
      raw(''),
    );
    const r = await oneOf(db, q, { signal });
    out.duplicates = { count: r.dup, rows: r.rows, share: r.rows > 0 ? r.dup / r.rows : 0, columns: shared.map((c) => c.name) };
  }
  throwIfAborted(signal);
  const ts = input.timestamp;
  const tsEval = evalCols.find((c) => c.name === ts);
  const tsTrain = ts ? inTrain.get(ts) : undefined;
  if (ts && tsEval && tsTrain) {
    const te = raw(timestampSql(ts, tsEval.kind));
    const tt = raw(timestampSql(ts, tsTrain.kind));
    const q = select(
      {
        later: num(sql`(SELECT count(*) FROM ${t} WHERE ${tt} > (SELECT min(${te}) FROM ${e}))::DOUBLE`, 0),
        earlier: num(sql`(SELECT count(*) FROM ${e} WHERE ${te} < (SELECT max(${tt}) FROM ${t}))::DOUBLE`, 0),
        last: num(sql`epoch_ms((SELECT max(${tt}) FROM ${t}))::DOUBLE`),
        first: num(sql`epoch_ms((SELECT min(${te}) FROM ${e}))::DOUBLE`),
      },
      raw(''),
    );
    const r = await oneOf(db, q, { signal });
    if (Number.isFinite(r.last) && Number.isFinite(r.first))
      out.time = {
        column: ts,
        trainingLater: r.later,
        evaluationEarlier: r.earlier,
        lastTraining: new Date(r.last).toISOString(),
        firstEvaluation: new Date(r.first).toISOString(),
      };
  }
  return out;
}

function splitFindings(s: SplitChecks): LeakFinding[] {
  const out: LeakFinding[] = [];
  if (s.sharedIds && s.sharedIds.count > 0)
    out.push({
      column: s.sharedIds.column,
      reason: 'shared-ids',
      value: s.sharedIds.count,
      evidence: `${count(s.sharedIds.count)} of the evaluation data's ${count(s.sharedIds.evaluationIds)} ids are also in the training data (e.g. ${s.sharedIds.examples.join(', ')})`,
    });
  if (s.duplicates && s.duplicates.count > 0 && s.duplicates.share > VALIDATION_DEFAULTS.duplicateShare)
    out.push({
      column: null,
      reason: 'duplicate-rows',
      value: s.duplicates.share,
      evidence: `${count(s.duplicates.count)} of ${count(s.duplicates.rows)} evaluation rows (${share(s.duplicates.share)}) repeat a training row in every shared column but the id (${quoted(s.duplicates.columns)})`,
    });
  if (s.time && s.time.evaluationEarlier > 0)
    out.push({
      column: s.time.column,
      reason: 'time-overlap',
      value: s.time.evaluationEarlier,
      evidence: `${count(s.time.trainingLater)} training rows are later than the first evaluation row (${s.time.firstEvaluation.slice(0, 19).replace('T', ' ')}); ${count(s.time.evaluationEarlier)} evaluation rows are earlier than the last training row (${s.time.lastTraining.slice(0, 19).replace('T', ' ')})`,
    });
  return out;
}

export async function leakageReport(db: Db, input: LeakageInput, signal?: AbortSignal): Promise<LeakageReport> {
  const { spec } = input;
  const columns = await describeTable(db, spec.table);
  const [n] = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(spec.table)} WHERE ${labelledSql(spec)}`, { signal });
  const rows = Number(n?.['n'] ?? 0);
  const baseline = await baselineAccuracy(db, spec, signal);
  const id = input.id ? columns.find((c) => c.name === input.id) : undefined;
  const signals: ColumnSignal[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  const tested = input.candidates.flatMap((name) => {
    const c = byName.get(name);
    return c && c.kind !== 'temporal' && c.kind !== 'other' ? [c] : [];
  });
  if (tested.length <= WIDE_COLUMNS) {
    for (const c of tested) {
      throwIfAborted(signal);
      signals.push(await columnSignal(db, spec, c, rows, baseline, id, signal));
    }
  } else {
    // Each query over a table of thousands of columns costs for its width (10,000 columns: 163 s in all),
    // so the columns are read from narrow copies, a batch at a time, with the label and the id.
    const narrow = `${spec.table}__leakage`;
    try {
      for (let at = 0; at < tested.length; at += LEAKAGE_COLUMNS_PER_COPY) {
        const batch = tested.slice(at, at + LEAKAGE_COLUMNS_PER_COPY);
        const kept = [...new Set([spec.label, ...(id ? [id.name] : []), ...batch.map((c) => c.name)])];
        await db.query(
          sql`CREATE OR REPLACE TEMP TABLE ${ident(narrow)} AS SELECT ${join(
            kept.map((c) => ident(c)),
            ', ',
          )} FROM ${ident(spec.table)}`.text,
          { signal },
        );
        for (const c of batch) {
          throwIfAborted(signal);
          signals.push(await columnSignal(db, { ...spec, table: narrow }, c, rows, baseline, id, signal));
        }
      }
    } finally {
      await db.query(sql`DROP TABLE IF EXISTS ${ident(narrow)}`.text).catch(() => undefined);
    }
  }
  signals.sort((a, b) => Number(b.leak) - Number(a.leak) || strength(b) - strength(a));
  const split = await splitChecks(db, input, signal);
  return {
    measuredOn: input.measuredOn,
    baselineAccuracy: baseline,
    columns: signals,
    findings: [...signals.flatMap((s) => columnFindings(s, input.measuredOn, baseline, id?.name)), ...splitFindings(split)],
    split,
  };
}
