/**
 * Multivariate drift by data reconstruction error (NannyML's DataReconstructionDriftCalculator): the
 * chosen numerical columns are imputed with the reference's mean (NULL, NaN and ±inf alike), standardised
 * with the imputed reference's mean and population standard deviation (scikit-learn's SimpleImputer then
 * StandardScaler), and a PCA fitted on the standardised reference keeps the fewest components whose
 * cumulative explained variance exceeds a share (65%: scikit-learn's PCA(n_components=0.65)). A row's error
 * is the Euclidean distance between its standardised vector and its reconstruction from those components.
 * When the columns keep their own distributions but stop moving together, the error rises.
 *
 * Everything over rows runs in DuckDB: the moments, the covariance of the standardised columns (as
 * aggregates), the per-row error and its mean per window. Only the p x p eigendecomposition runs here.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { timestampSql, type WindowUnit } from '../metrics/time';
import type { ColumnKind } from '../schema';
import { ident, raw, sql, type Sql } from '../sql';
import { symmetricEigen } from './linalg';

export interface ReconstructionModel {
  columns: string[];
  /** Reference mean of each column (its non-missing values), used for missing values too. */
  mean: number[];
  /** Population standard deviation of each imputed column (1 for a constant column, as scikit-learn). */
  scale: number[];
  /** Mean of each standardised reference column (0 up to rounding; PCA centres on it). */
  centre: number[];
  /** Components kept, each a row of weights over the columns. */
  weights: number[][];
  /** Explained variance ratio of every component, largest first. */
  explained: number[];
}

/** Writes a double so that DuckDB reads it back bit for bit (an exponent makes it a DOUBLE, not a DECIMAL). */
export function dbl(x: number): Sql {
  if (!Number.isFinite(x)) throw new Error(`Cannot write ${x} into SQL`);
  return raw(`(${x.toExponential()})`);
}

const value = (column: string) => sql`(CASE WHEN isfinite(CAST(${ident(column)} AS DOUBLE)) THEN CAST(${ident(column)} AS DOUBLE) END)`;

/** scikit-learn's _is_constant_feature: a variance within rounding of zero is no variance. */
function isConstant(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

export interface FitResult {
  model: ReconstructionModel;
  /** Columns left out, with why. */
  dropped: { name: string; reason: string }[];
  referenceRows: number;
}

/** Fits the scaler and the PCA on the reference. `explainedVariance` in (0, 1]. */
export async function fitReconstruction(
  db: Db,
  reference: string,
  columns: readonly string[],
  explainedVariance: number,
  signal?: AbortSignal,
  /** Only the reference rows that meet this condition (a part held out of the baseline, say). */
  rows: Sql = raw('TRUE'),
): Promise<FitResult> {
  if (!(explainedVariance > 0 && explainedVariance <= 1))
    throw new LanternError('usage', `The explained variance share must be above 0 and at most 1, got ${explainedVariance}.`);
  const moments: Record<string, Sql> = { n: raw('count(*)::DOUBLE') };
  columns.forEach((c, i) => {
    moments[`m${i}`] = sql`avg(${value(c)})`;
    moments[`v${i}`] = sql`var_pop(${value(c)})`;
    moments[`c${i}`] = sql`count(${value(c)})::DOUBLE`;
  });
  const list = Object.entries(moments).map(([k, e]) => sql`${e} AS ${ident(k)}`);
  const [row] = await db.query(sql`SELECT ${list} FROM ${ident(reference)} WHERE ${rows}`.text, { signal });
  const n = Number(row?.['n'] ?? 0);
  if (n < 2) throw new LanternError('no-rows', 'The reference needs at least two rows to fit the reconstruction.');
  const dropped: FitResult['dropped'] = [];
  const kept: { name: string; mean: number; scale: number }[] = [];
  columns.forEach((name, i) => {
    const count = Number(row?.[`c${i}`] ?? 0);
    if (count === 0) {
      dropped.push({ name, reason: 'no values in the reference' });
      return;
    }
    const mean = Number(row?.[`m${i}`]);
    // The imputed column: the missing rows sit at the mean and add nothing to the squared deviations.
    const variance = (Number(row?.[`v${i}`] ?? 0) * count) / n;
    kept.push({ name, mean, scale: isConstant(variance, mean, n) ? 1 : Math.sqrt(variance) });
  });
  if (kept.length === 0) throw new LanternError('usage', 'None of the chosen columns has values in the reference.');
  const p = kept.length;
  const z = kept.map((c) => standardised(c.name, c.mean, c.scale));
  const centre = new Array<number>(p).fill(0);
  const cov = new Float64Array(p * p);
  // The covariance of the standardised columns in batches of aggregates (one scan per batch).
  const pairs: [number, number][] = [];
  for (let i = 0; i < p; i++) for (let j = i; j < p; j++) pairs.push([i, j]);
  const perQuery = 400;
  for (let b = 0; b === 0 || b * perQuery < pairs.length; b++) {
    throwIfAborted(signal);
    const batch = pairs.slice(b * perQuery, (b + 1) * perQuery);
    const items = batch.map(([i, j], k) => sql`covar_pop(${z[i]!}, ${z[j]!}) AS ${ident(`q${k}`)}`);
    if (b === 0) z.forEach((e, i) => items.push(sql`avg(${e}) AS ${ident(`a${i}`)}`));
    const [r] = await db.query(sql`SELECT ${items} FROM ${ident(reference)} WHERE ${rows}`.text, { signal });
    batch.forEach(([i, j], k) => {
      const v = Number(r?.[`q${k}`] ?? 0);
      cov[i * p + j] = v;
      cov[j * p + i] = v;
    });
    if (b === 0) z.forEach((_, i) => (centre[i] = Number(r?.[`a${i}`] ?? 0)));
  }
  const eigen = symmetricEigen(cov, p);
  let total = 0;
  for (const v of eigen.values) total += Math.max(0, v);
  if (!(total > 0)) throw new LanternError('usage', 'The chosen columns do not vary in the reference: there is nothing to reconstruct.');
  const explained = Array.from(eigen.values, (v) => Math.max(0, v) / total);
  const k = componentsFor(explained, explainedVariance);
  const weights = Array.from({ length: k }, (_, c) => Array.from(eigen.vectors.subarray(c * p, (c + 1) * p)));
  return {
    model: { columns: kept.map((c) => c.name), mean: kept.map((c) => c.mean), scale: kept.map((c) => c.scale), centre, weights, explained },
    dropped,
    referenceRows: n,
  };
}

/**
 * scikit-learn's choice for a float n_components: the fewest components whose cumulative explained
 * variance ratio is strictly above the share (np.searchsorted(cumsum, share, side='right') + 1); all of
 * them for a share of 1.
 */
export function componentsFor(explained: readonly number[], share: number): number {
  if (share >= 1) return explained.length;
  let cumulative = 0;
  for (let k = 0; k < explained.length; k++) {
    cumulative += explained[k]!;
    if (cumulative > share) return k + 1;
  }
  return explained.length;
}

function standardised(column: string, mean: number, scale: number): Sql {
  return sql`((coalesce(${value(column)}, ${dbl(mean)}) - ${dbl(mean)}) / ${dbl(scale)})`;
}

/**
 * Per-row reconstruction error of `table`'s rows: `SELECT g, e` where g is `key` (a window, a chunk; NULL
 * for none). The projection and the reconstruction are nested selects so that each term is written once.
 */
/** Each row's squared residual per column (`r0`, `r1`, ...) after standardising and reconstructing, with its key `g`. */
export function rowResidualsSql(model: ReconstructionModel, from: Sql, key: Sql): Sql {
  const k = model.weights.length;
  const zs = model.columns.map((c, i) => sql`${standardised(c, model.mean[i]!, model.scale[i]!)} AS ${ident(`z${i}`)}`);
  const ts = model.weights.map((w, c) => {
    const terms = w.map((wj, j) => sql`${dbl(wj)} * (${ident(`z${j}`)} - ${dbl(model.centre[j]!)})`);
    return sql`(${terms.length ? joinSql(terms, ' + ') : raw('0')}) AS ${ident(`t${c}`)}`;
  });
  const residual = model.columns.map((_, j) => {
    const back = Array.from({ length: k }, (_, c) => sql`${dbl(model.weights[c]![j]!)} * ${ident(`t${c}`)}`);
    const recon = back.length ? sql`${dbl(model.centre[j]!)} + ${joinSql(back, ' + ')}` : dbl(model.centre[j]!);
    return sql`power(${ident(`z${j}`)} - (${recon}), 2) AS ${ident(`r${j}`)}`;
  });
  const inner = sql`SELECT ${key} AS g, ${zs} FROM ${from}`;
  const projected = k ? sql`SELECT *, ${ts} FROM (${inner})` : inner;
  return sql`SELECT g, ${residual} FROM (${projected})`;
}

/**
 * A row's reconstruction error as one expression over its own columns (for scans that add it to other
 * aggregates): the residual is (I - W'W)(z - centre), written out over the columns.
 */
export function rowErrorValueSql(model: ReconstructionModel): Sql {
  const p = model.columns.length;
  const k = model.weights.length;
  const d = model.columns.map((c, i) => sql`(${standardised(c, model.mean[i]!, model.scale[i]!)} - ${dbl(model.centre[i]!)})`);
  const squares = Array.from({ length: p }, (_, j) => {
    const terms = d.map((di, i) => {
      let projected = 0;
      for (let c = 0; c < k; c++) projected += model.weights[c]![j]! * model.weights[c]![i]!;
      const m = (i === j ? 1 : 0) - projected;
      return sql`${dbl(m)} * ${di}`;
    });
    return sql`power(${joinSql(terms, ' + ')}, 2)`;
  });
  return sql`sqrt(${p ? joinSql(squares, ' + ') : raw('0')})`;
}

/** Each row's reconstruction error `e` (the Euclidean distance to its reconstruction), with its key `g`. */
export function rowErrorSql(model: ReconstructionModel, from: Sql, key: Sql): Sql {
  const p = model.columns.length;
  const squares = model.columns.map((_, j) => ident(`r${j}`));
  return sql`SELECT g, sqrt(${p ? joinSql(squares, ' + ') : raw('0')}) AS e FROM (${rowResidualsSql(model, from, key)})`;
}

function joinSql(parts: readonly Sql[], separator: string): Sql {
  return raw(parts.map((x) => x.text).join(separator));
}

export interface ErrorWindow {
  /** Epoch ms; for a chunk of rows, its number. */
  start: number;
  end: number;
  rows: number;
  /** Mean reconstruction error of the window's rows. */
  error: number;
}

export interface SideErrors {
  rows: number;
  error: number;
  windows: ErrorWindow[];
}

/** How a side is cut into windows: calendar windows of a time column, or chunks of about equal rows. */
export type SideWindows =
  | { kind: 'none' }
  | { kind: 'calendar'; column: string; columnKind: ColumnKind; unit: WindowUnit }
  | { kind: 'chunks'; count: number; order: Sql | null };

/** A row's window as a DOUBLE: its calendar window's start (epoch ms), its chunk's number, or NULL. */
export function windowKeySql(windows: SideWindows): Sql {
  if (windows.kind === 'calendar')
    return sql`epoch_ms(date_trunc(${windows.unit}, ${raw(timestampSql(windows.column, windows.columnKind))}))::DOUBLE`;
  if (windows.kind === 'chunks')
    return sql`ntile(${windows.count}) OVER (${windows.order ? sql`ORDER BY ${windows.order}` : raw('')})::DOUBLE`;
  return raw('NULL::DOUBLE');
}

export async function sideErrors(
  db: Db,
  model: ReconstructionModel,
  table: string,
  windows: SideWindows,
  signal?: AbortSignal,
): Promise<SideErrors> {
  const errors = rowErrorSql(model, ident(table), windowKeySql(windows));
  const q = sql`SELECT g, grouping(g) AS total, count(*)::DOUBLE AS n, (fsum(e) / count(*))::DOUBLE AS error FROM (${errors}) GROUP BY GROUPING SETS ((g), ()) ORDER BY total DESC, g`;
  const rows = await db.query(q.text, { signal });
  const overall = rows.find((r) => Number(r['total']) === 1);
  const out: SideErrors = { rows: Number(overall?.['n'] ?? 0), error: Number(overall?.['error'] ?? Number.NaN), windows: [] };
  if (windows.kind === 'none') return out;
  for (const r of rows) {
    if (Number(r['total']) === 1 || r['g'] === null) continue;
    const start = Number(r['g']);
    out.windows.push({
      start,
      end: windows.kind === 'calendar' ? windowEnd(start, windows.unit) : start,
      rows: Number(r['n']),
      error: Number(r['error']),
    });
  }
  return out;
}

/** The end of a calendar window (UTC), exclusive. */
export function windowEnd(start: number, unit: WindowUnit): number {
  const d = new Date(start);
  if (unit === 'hour') return start + 3_600_000;
  if (unit === 'day') return start + 86_400_000;
  if (unit === 'week') return start + 7 * 86_400_000;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
