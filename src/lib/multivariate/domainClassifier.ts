/**
 * Multivariate drift by domain classifier (NannyML's DomainClassifierCalculator): a gradient-boosted tree
 * classifier learns to tell reference rows from current rows; its 5-fold cross-validated ROC AUC is 0.5
 * when it cannot (no drift) and 1 when it always can. Trees see changes in how columns move together that
 * no single column shows. Overall and per current window (each window against the whole reference, as
 * NannyML does), with the columns whose splits separated the two sides most. Deterministic under a seed.
 *
 * The rows travel to this thread as doubles, so more than MAX_CLASSIFIER_ROWS rows in all need a sample
 * the user asks for (DuckDB's seeded reservoir sample of each side).
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { ident, raw, sql, type Sql } from '../sql';
import { binFeature, crossValidatedAuc, GBM_DEFAULTS, type BinnedFeatures } from './gbm';
import { windowKeySql, windowEnd, type SideWindows } from './reconstruction';

export const MAX_CLASSIFIER_ROWS = 200_000;
/** NannyML's default alert threshold on the domain classifier's AUC. */
export const DOMAIN_AUC_THRESHOLD = 0.65;
export const DOMAIN_SEED = 42;
export const FOLDS = 5;

export interface DomainClassifierOptions {
  seed?: number;
  threshold?: number;
  /** At most this many rows of each side, drawn with the seed. */
  sample?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface DomainWindow {
  start: number;
  end: number;
  rows: number;
  /** NaN when the window is too small to cross-validate. */
  auc: number;
  drifted: boolean;
}

export interface DomainClassifierDrift {
  method: 'domain_classifier';
  auc: number;
  threshold: number;
  drifted: boolean;
  folds: number;
  seed: number;
  referenceRows: number;
  currentRows: number;
  sampled: number | null;
  /** Share of the split gain each column earned, largest first. */
  features: { name: string; importance: number }[];
  windows: DomainWindow[];
}

async function pull(
  db: Db,
  table: string,
  columns: readonly string[],
  key: Sql,
  sample: number | undefined,
  seed: number,
  signal?: AbortSignal,
): Promise<{ values: Float64Array[]; keys: (number | null)[] }> {
  const cols = columns.map((c, i) => sql`CAST(${ident(c)} AS DOUBLE) AS ${ident(`v${i}`)}`);
  const inner = sql`SELECT ${key} AS g, ${cols} FROM ${ident(table)}`;
  const q =
    sample === undefined ? inner : sql`SELECT * FROM (${inner}) USING SAMPLE reservoir(${Math.floor(sample)} ROWS) REPEATABLE (${seed})`;
  const rows = await db.query(q.text, { signal });
  const values = columns.map(() => new Float64Array(rows.length));
  const keys = rows.map((r) => (r['g'] === null || r['g'] === undefined ? null : Number(r['g'])));
  rows.forEach((r, i) =>
    columns.forEach((_, j) => {
      const v = r[`v${j}`];
      values[j]![i] = v === null || v === undefined ? Number.NaN : Number(v);
    }),
  );
  return { values, keys };
}

export async function domainClassifierDrift(
  db: Db,
  tables: { reference: string; current: string },
  columns: readonly string[],
  windows: SideWindows,
  options: DomainClassifierOptions = {},
): Promise<DomainClassifierDrift> {
  const { signal, sample } = options;
  const seed = options.seed ?? DOMAIN_SEED;
  const threshold = options.threshold ?? DOMAIN_AUC_THRESHOLD;
  if (columns.length === 0) throw new LanternError('usage', 'The domain classifier needs at least one numerical column.');
  if (sample !== undefined && !(Number.isInteger(sample) && sample >= 2 * FOLDS))
    throw new LanternError('usage', `A sample for the domain classifier needs at least ${2 * FOLDS} rows a side, got ${sample}.`);
  if (sample === undefined) {
    const [row] = await db.query(
      sql`SELECT (SELECT count(*) FROM ${ident(tables.reference)})::DOUBLE + (SELECT count(*) FROM ${ident(tables.current)})::DOUBLE AS n`
        .text,
      { signal },
    );
    const n = Number(row?.['n'] ?? 0);
    if (n > MAX_CLASSIFIER_ROWS)
      throw new LanternError(
        'too-large',
        `The domain classifier learns from every row: ${n.toLocaleString('en-US')} rows are more than ${MAX_CLASSIFIER_ROWS.toLocaleString('en-US')}. Sample at most ${(MAX_CLASSIFIER_ROWS / 2).toLocaleString('en-US')} rows a side to train it.`,
      );
  }
  const ref = await pull(db, tables.reference, columns, raw('NULL::DOUBLE'), sample, seed, signal);
  throwIfAborted(signal);
  const cur = await pull(db, tables.current, columns, windowKeySql(windows), sample, seed + 1, signal);
  const m = ref.keys.length;
  const n = cur.keys.length;
  if (m < FOLDS || n < FOLDS)
    throw new LanternError('no-rows', `Each side needs at least ${FOLDS} rows to cross-validate the domain classifier.`);
  const data: BinnedFeatures = { names: [...columns], codes: [], bins: [], rows: m + n };
  for (let j = 0; j < columns.length; j++) {
    const pooled = new Float64Array(m + n);
    pooled.set(ref.values[j]!);
    pooled.set(cur.values[j]!, m);
    const { codes, bins } = binFeature(pooled);
    data.codes.push(codes);
    data.bins.push(bins);
  }
  const labels = new Uint8Array(m + n).fill(1, m);
  const windowStarts = [...new Set(cur.keys.filter((k): k is number => k !== null))].sort((a, b) => a - b);
  const total = 1 + windowStarts.length;
  let done = 0;
  const step = () => {
    throwIfAborted(signal);
    options.onProgress?.(++done, total * FOLDS);
  };
  const overall = crossValidatedAuc(data, labels, { ...GBM_DEFAULTS, folds: FOLDS, seed, onFold: step });
  const gainTotal = overall.gain.reduce((a, b) => a + b, 0);
  const features = columns
    .map((name, j) => ({ name, importance: gainTotal > 0 ? overall.gain[j]! / gainTotal : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name, 'en-US'));
  const refRows = Uint32Array.from({ length: m }, (_, i) => i);
  const out: DomainWindow[] = [];
  for (const start of windowStarts) {
    const rows: number[] = [];
    cur.keys.forEach((k, i) => k === start && rows.push(m + i));
    let auc = Number.NaN;
    if (rows.length >= FOLDS) {
      const all = new Uint32Array(m + rows.length);
      all.set(refRows);
      all.set(rows, m);
      auc = crossValidatedAuc(data, labels, { ...GBM_DEFAULTS, rows: all, folds: FOLDS, seed, onFold: step }).auc;
    } else for (let f = 0; f < FOLDS; f++) step();
    out.push({
      start,
      end: windows.kind === 'calendar' ? windowEnd(start, windows.unit) : start,
      rows: rows.length,
      auc,
      drifted: Number.isFinite(auc) && auc > threshold,
    });
  }
  return {
    method: 'domain_classifier',
    auc: overall.auc,
    threshold,
    drifted: Number.isFinite(overall.auc) && overall.auc > threshold,
    folds: FOLDS,
    seed,
    referenceRows: m,
    currentRows: n,
    sampled: sample ?? null,
    features,
    windows: out,
  };
}
