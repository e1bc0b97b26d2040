/**
 * The drift report between two loaded tables: schema comparison, per-column drift with Evidently's
 * method choice, prediction / label drift apart from features, and the dataset verdict.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { inferRoles, type ColumnRole, type RoleMap } from '../roles';
import { describeTable } from '../schema';
import { oneOf } from '../sql';
import { categoricalDriftFromCounts, loadCategoryCounts, type ColumnDrift } from './columnDrift';
import { FREE_TEXT_REASON, looksLikeFreeText } from './freeText';
import { DEFAULT_DATASET_DRIFT_SHARE, methodAppliesTo, type DriftMethod } from './methods';
import { compareSchemas, driftKindOf, type SchemaDiff } from './schemaDiff';
import { BatchScheduler, type NumericalBatchRunner } from './numericalBatch';
import { columnsPerQuery, numericColumnsSql, rowCountSql } from './sides';
import type { DriftTables } from './sql';
import { detectEmbeddings, embeddingReason, vectorType, type EmbeddingColumn } from '../multivariate/embeddingColumns';

export interface ColumnSetting {
  method?: DriftMethod;
  threshold?: number;
}

export interface DriftOptions {
  /** Only these columns (by name); default: every shared column whose role is tested. */
  columns?: readonly string[];
  roles?: RoleMap;
  perColumn?: Record<string, ColumnSetting>;
  /** The dataset drifts when the share of drifted columns is at least this. */
  driftShare?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Values per Arrow query when pulling numerical columns (default `BATCH_VALUES`; tests set it low). */
  batchValues?: number;
  /** Where the statistics of a batch of numerical columns run (default: this thread). */
  runNumericalBatch?: NumericalBatchRunner;
  /** Prefix groups (`emb_*`) to test column by column rather than as one embedding. */
  ungroupEmbeddings?: readonly string[];
}

export interface NotTested {
  name: string;
  reason: string;
}

export interface DriftReport {
  referenceRows: number;
  currentRows: number;
  schema: SchemaDiff;
  /** Every tested column (features, then prediction / score / label columns), in reference order. */
  columns: ColumnDrift[];
  /** Role of each tested column, to split features from model outputs. */
  roles: Record<string, ColumnRole>;
  notTested: NotTested[];
  dataset: { driftedColumns: number; testedColumns: number; share: number; threshold: number; drifted: boolean };
  /** Drift of the prediction, score and label columns, reported apart from the features. */
  outputs: ColumnDrift[];
  /**
   * Embeddings (a list or array column, or numbered columns grouped by prefix): left out of the
   * per-column tests, each of their columns in `notTested`, compared as vectors by the embedding drift.
   */
  embeddings: EmbeddingColumn[];
  /** NULLs and NaN/±inf per column and side, dropped before the tests. */
  dropped: Record<string, { refNulls: number; curNulls: number; refNonFinite: number; curNonFinite: number }>;
}

/** Roles whose columns are compared. id and timestamp columns identify rows; they are not distributions. */
const TESTED_ROLES: ReadonlySet<ColumnRole> = new Set(['feature', 'prediction', 'score', 'label', 'segment']);
const OUTPUT_ROLES: ReadonlySet<ColumnRole> = new Set(['prediction', 'score', 'label']);

export async function driftReport(db: Db, t: DriftTables, options: DriftOptions = {}): Promise<DriftReport> {
  const [refCols, curCols] = [await describeTable(db, t.reference), await describeTable(db, t.current)];
  const schema = compareSchemas(refCols, curCols);
  const roles = options.roles ?? inferRoles(refCols);
  const refByName = new Map(refCols.map((c) => [c.name, c]));
  const curByName = new Map(curCols.map((c) => [c.name, c]));
  if (options.columns) {
    for (const name of options.columns)
      if (!refByName.has(name) || !curByName.has(name))
        throw new LanternError('usage', `Column "${name}" is not in both files. Shared columns: ${schema.shared.join(', ') || '(none)'}.`);
  }
  const notTested: NotTested[] = [];
  const candidates = options.columns ? [...options.columns] : schema.shared;
  // Columns the user named are tested as asked: only a list among them is an embedding (it cannot be
  // tested otherwise); without a choice, numbered features are grouped too, never ids or model outputs.
  const byName = inferRoles(refCols);
  const embeddings = detectEmbeddings(
    options.columns ? refCols.filter((c) => options.columns!.includes(c.name)) : refCols,
    curCols,
    options.columns
      ? { minColumns: Number.POSITIVE_INFINITY }
      : {
          // Roles by name only (ids, times, model outputs such as prob_0..prob_9): a guess from the data, such
          // as one of 24 numbered columns taken for the label, does not break a group (the user can ungroup).
          // Nested columns are "ignore" by role (nothing else reads them): a list of numbers is still an embedding.
          skip: new Set(refCols.filter((c) => !embeddingRole(byName[c.name] ?? 'feature', c.type)).map((c) => c.name)),
          ...(options.ungroupEmbeddings ? { ungroup: options.ungroupEmbeddings } : {}),
        },
  );
  const embeddingOf = new Map(embeddings.flatMap((e) => e.columns.map((c) => [c, e] as const)));
  const tested: { name: string; numeric: boolean }[] = [];
  for (const name of candidates) {
    const r = refByName.get(name)!;
    const c = curByName.get(name)!;
    const kind = driftKindOf(r);
    const role = roles[name] ?? 'feature';
    const embedding = embeddingOf.get(name);
    if (embedding) notTested.push({ name, reason: embeddingReason(embedding) });
    else if (!options.columns && !TESTED_ROLES.has(role)) notTested.push({ name, reason: `role ${role}` });
    else if (kind === null) notTested.push({ name, reason: `${r.type} columns are reported, not tested` });
    else if (driftKindOf(c) !== kind) notTested.push({ name, reason: `type changed from ${r.type} to ${c.type}` });
    else tested.push({ name, numeric: kind === 'numerical' });
  }
  for (const [name, setting] of Object.entries(options.perColumn ?? {})) {
    const col = tested.find((x) => x.name === name);
    if (col && setting.method && !methodAppliesTo(setting.method, col.numeric ? 'numerical' : 'categorical'))
      throw new LanternError('usage', `Method ${setting.method} needs a numerical column; "${name}" is categorical.`);
  }

  const signal = options.signal;
  const [refRows, curRows] = [await rowCount(db, t.reference, signal), await rowCount(db, t.current, signal)];
  const dropped: DriftReport['dropped'] = {};
  const results = new Map<string, ColumnDrift>();
  const freeText = new Set<string>();
  const progress = () => options.onProgress?.(results.size + freeText.size, tested.length);
  const done = (c: ColumnDrift) => {
    results.set(c.name, c);
    progress();
  };
  const settingOf = (name: string) => options.perColumn?.[name] ?? {};
  // Numerical columns: one scan per side for a batch of columns (decision 0101); the statistics of a
  // batch run on the helper thread (when the engine has one) while DuckDB pulls the next batch and counts
  // the categories (decision 0103).
  const batches = new BatchScheduler(
    options.runNumericalBatch,
    (results) => {
      for (const { drift, dropped: d } of results) {
        dropped[drift.name] = d;
        done(drift);
      }
    },
    signal,
  );
  const numeric = tested.filter((c) => c.numeric).map((c) => c.name);
  const perQuery = columnsPerQuery(Math.max(refRows, curRows), options.batchValues);
  for (let start = 0; start < numeric.length; start += perQuery) {
    const columns = numeric.slice(start, start + perQuery);
    const reference = await db.queryArrow(numericColumnsSql(t.reference, columns), { signal });
    const current = await db.queryArrow(numericColumnsSql(t.current, columns), { signal });
    batches.add({ reference, current, columns, settings: Object.fromEntries(columns.map((name) => [name, settingOf(name)])) });
  }
  for (const col of tested.filter((c) => !c.numeric)) {
    throwIfAborted(signal);
    const counts = await loadCategoryCounts(db, t, col.name, { signal });
    // Free text is reported, not tested, unless the user picked a method for it.
    if (!settingOf(col.name).method && looksLikeFreeText(counts)) {
      freeText.add(col.name);
      notTested.push({ name: col.name, reason: FREE_TEXT_REASON });
      progress();
      continue;
    }
    const result = categoricalDriftFromCounts(col.name, counts, settingOf(col.name));
    dropped[col.name] = { refNulls: refRows - result.nRef, curNulls: curRows - result.nCur, refNonFinite: 0, curNonFinite: 0 };
    done(result);
  }
  await batches.finish();
  throwIfAborted(signal);
  const testedNow = tested.filter((c) => !freeText.has(c.name));
  const columns = testedNow.map((c) => results.get(c.name)!);
  const droppedInOrder = Object.fromEntries(testedNow.map((c) => [c.name, dropped[c.name]!]));
  const testedRoles: Record<string, ColumnRole> = {};
  for (const c of columns) testedRoles[c.name] = roles[c.name] ?? 'feature';
  const threshold = options.driftShare ?? DEFAULT_DATASET_DRIFT_SHARE;
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const share = columns.length ? driftedColumns / columns.length : 0;
  return {
    referenceRows: refRows,
    currentRows: curRows,
    schema,
    columns,
    roles: testedRoles,
    notTested,
    dataset: { driftedColumns, testedColumns: columns.length, share, threshold, drifted: columns.length > 0 && share >= threshold },
    outputs: columns.filter((c) => OUTPUT_ROLES.has(testedRoles[c.name]!)),
    embeddings,
    dropped: droppedInOrder,
  };
}

function embeddingRole(role: ColumnRole, type: string): boolean {
  return role === 'feature' || (role === 'ignore' && vectorType(type) !== null);
}

async function rowCount(db: Db, table: string, signal?: AbortSignal): Promise<number> {
  return (await oneOf(db, rowCountSql(table), { signal })).n;
}
