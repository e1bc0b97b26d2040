/**
 * Multivariate drift by domain classifier (NannyML's DomainClassifierCalculator): a gradient-boosted tree
 * classifier learns to tell reference rows from current rows; its 5-fold cross-validated ROC AUC is 0.5
 * when it cannot (no drift) and 1 when it always can. Trees see changes in how columns move together that
 * no single column shows. Overall and per current window: NannyML trains a classifier per chunk; here a
 * window's AUC compares its rows' out-of-fold scores with the reference's, which costs no extra model and
 * reads the same way. With the columns whose splits separated the two sides most; deterministic under a
 * seed.
 *
 * The rows travel to this thread as doubles, so more than MAX_CLASSIFIER_ROWS rows in all need a sample
 * the user asks for (DuckDB's seeded reservoir sample of each side).
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { ident, raw, sql, type Sql } from '../sql';
import { rocAuc } from './auc';
import { binFeature, crossValidatedAuc, GBM_DEFAULTS, type BinnedFeatures } from './gbm';
import type { WindowUnit } from '../metrics/time';
import { describeTable } from '../schema';
import { windowKeySql, windowEnd, type SideWindows } from './reconstruction';
import { DEFAULT_CHUNKS, sideWindows } from './reconstructionDrift';

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
  let done = 0;
  const windowStarts = [...new Set(cur.keys.filter((k): k is number => k !== null))].sort((a, b) => a - b);
  const overall = crossValidatedAuc(data, labels, {
    ...GBM_DEFAULTS,
    folds: FOLDS,
    seed,
    onFold: () => {
      throwIfAborted(signal);
      options.onProgress?.(++done, FOLDS);
    },
  });
  const gainTotal = overall.gain.reduce((a, b) => a + b, 0);
  const features = columns
    .map((name, j) => ({ name, importance: gainTotal > 0 ? overall.gain[j]! / gainTotal : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name, 'en-US'));
  // A window's AUC: its rows' out-of-fold scores against the reference's, so no window needs models of its own.
  const out: DomainWindow[] = windowStarts.map((start) => {
    const scores: number[] = Array.from(overall.scores.subarray(0, m));
    let rows = 0;
    cur.keys.forEach((k, i) => {
      if (k !== start) return;
      scores.push(overall.scores[m + i]!);
      rows++;
    });
    const auc = rows ? rocAuc(scores, new Uint8Array(scores.length).fill(1, m)) : Number.NaN;
    return {
      start,
      end: windows.kind === 'calendar' ? windowEnd(start, windows.unit) : start,
      rows,
      auc,
      drifted: Number.isFinite(auc) && auc > threshold,
    };
  });
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

export interface DomainRequest {
  columns: readonly string[];
  time?: { timestamp: string; unit: WindowUnit };
  chunks?: number;
  sample?: number;
  seed?: number;
  threshold?: number;
}

/** The domain classifier with the current data cut as the reconstruction cuts it (calendar windows or chunks). */
export async function domainClassifierFor(
  db: Db,
  tables: { reference: string; current: string },
  request: DomainRequest,
  options: Pick<DomainClassifierOptions, 'signal' | 'onProgress'> = {},
): Promise<DomainClassifierDrift> {
  const info = await describeTable(db, tables.current);
  const windows = await sideWindows(db, tables.current, info, request.time, request.chunks ?? DEFAULT_CHUNKS, options.signal);
  return domainClassifierDrift(db, tables, request.columns, windows, {
    ...options,
    ...(request.sample !== undefined ? { sample: request.sample } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.threshold !== undefined ? { threshold: request.threshold } : {}),
  });
}
