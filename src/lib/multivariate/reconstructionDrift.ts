/**
 * The reconstruction-error drift of two tables: fit on the reference (see reconstruction.ts), the mean
 * error of the reference, of the current data and of each window of both, and NannyML's threshold: the
 * mean of the reference windows' errors ± 3 of their (population) standard deviations. A window whose
 * error leaves that band has drifted; the current data has drifted when its own mean error leaves it.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import type { WindowUnit } from '../metrics/time';
import { describeTable, type ColumnInfo } from '../schema';
import { literal, raw } from '../sql';
import { fitReconstruction, sideErrors, type ErrorWindow, type FitResult, type SideWindows } from './reconstruction';

export const EXPLAINED_VARIANCE = 0.65;
export const THRESHOLD_SIGMAS = 3;
/** NannyML's default: each side cut into ten chunks when there is no time column. */
export const DEFAULT_CHUNKS = 10;

export interface ReconstructionDriftOptions {
  /** Numerical columns to use; all numerical columns both tables share when left out. */
  columns?: readonly string[];
  /** Share of the reference's variance the kept components explain (0.65). */
  explainedVariance?: number;
  /** Width of the band around the reference windows' mean error, in standard deviations (3). */
  sigmas?: number;
  /** Calendar windows of a time column; else each side in `chunks` chunks of rows. */
  time?: { timestamp: string; unit: WindowUnit };
  chunks?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface DriftWindow extends ErrorWindow {
  /** Outside the threshold band (false when there is no band). */
  drifted: boolean;
}

export interface ReconstructionThreshold {
  lower: number;
  upper: number;
  /** Mean and population standard deviation of the reference windows' errors. */
  mean: number;
  std: number;
  sigmas: number;
}

export interface ReconstructionDrift {
  method: 'pca_reconstruction';
  columns: string[];
  dropped: FitResult['dropped'];
  components: number;
  /** The share asked for, and the share the kept components explain. */
  explainedVariance: number;
  explainedByComponents: number;
  windowing: 'calendar' | 'chunks';
  unit: WindowUnit | null;
  reference: { rows: number; error: number; windows: DriftWindow[] };
  current: { rows: number; error: number; windows: DriftWindow[] };
  threshold: ReconstructionThreshold | null;
  /** Why there is no threshold. */
  thresholdNote: string | null;
  drifted: boolean;
}

/** Numerical columns of both tables, in the reference's order, leaving out `exclude`. */
export function sharedNumericalColumns(reference: ColumnInfo[], current: ColumnInfo[], exclude: readonly string[] = []): string[] {
  const inCurrent = new Set(current.filter((c) => c.kind === 'numeric').map((c) => c.name));
  return reference.filter((c) => c.kind === 'numeric' && inCurrent.has(c.name) && !exclude.includes(c.name)).map((c) => c.name);
}

export async function isBaseTable(db: Db, name: string, signal?: AbortSignal): Promise<boolean> {
  const [row] = await db.query(`SELECT table_type AS t FROM information_schema.tables WHERE table_name = ${literal(name).text}`, {
    signal,
  });
  return row?.['t'] === 'BASE TABLE';
}

/** How a side is cut: calendar windows of the time column, else chunks in the table's row order. */
export async function sideWindows(
  db: Db,
  table: string,
  info: ColumnInfo[],
  time: ReconstructionDriftOptions['time'],
  chunks: number,
  signal?: AbortSignal,
): Promise<SideWindows> {
  if (time) {
    const column = info.find((c) => c.name === time.timestamp);
    if (!column)
      throw new LanternError('usage', `There is no column "${time.timestamp}" to cut into windows. Choose a time column both tables have.`);
    return { kind: 'calendar', column: time.timestamp, columnKind: column.kind, unit: time.unit };
  }
  // Chunks follow the rows' order in the table; a view has no row numbers, so its chunks follow the scan.
  return { kind: 'chunks', count: chunks, order: (await isBaseTable(db, table, signal)) ? raw('rowid') : null };
}

export async function reconstructionDrift(
  db: Db,
  tables: { reference: string; current: string },
  options: ReconstructionDriftOptions = {},
): Promise<ReconstructionDrift> {
  const { signal } = options;
  const progress = (done: number) => options.onProgress?.(done, 3);
  const [refInfo, curInfo] = [await describeTable(db, tables.reference), await describeTable(db, tables.current)];
  const time = options.time;
  if (time) {
    for (const [info, side] of [
      [refInfo, 'reference'],
      [curInfo, 'current data'],
    ] as const)
      if (!info.some((c) => c.name === time.timestamp))
        throw new LanternError(
          'usage',
          `The ${side} has no column "${time.timestamp}" to cut into windows. Choose a time column both tables have.`,
        );
  }
  const columns = options.columns ?? sharedNumericalColumns(refInfo, curInfo, time ? [time.timestamp] : []);
  for (const name of columns) {
    const ref = refInfo.find((c) => c.name === name);
    const cur = curInfo.find((c) => c.name === name);
    if (!ref || !cur) throw new LanternError('usage', `Column "${name}" is not in both tables.`);
    if (ref.kind !== 'numeric' || cur.kind !== 'numeric')
      throw new LanternError('usage', `Column "${name}" is not numerical: the reconstruction uses numerical columns only.`);
  }
  if (columns.length < 2) throw new LanternError('usage', 'Multivariate drift needs at least two numerical columns that both tables have.');
  const explainedVariance = options.explainedVariance ?? EXPLAINED_VARIANCE;
  const fit = await fitReconstruction(db, tables.reference, columns, explainedVariance, signal);
  progress(1);
  const chunks = options.chunks ?? DEFAULT_CHUNKS;
  if (!time && !(Number.isInteger(chunks) && chunks >= 1))
    throw new LanternError('usage', `The number of chunks must be a whole number of at least 1, got ${chunks}.`);
  const windowsOf = (table: string, info: ColumnInfo[]) => sideWindows(db, table, info, time, chunks, signal);
  const ref = await sideErrors(db, fit.model, tables.reference, await windowsOf(tables.reference, refInfo), signal);
  progress(2);
  throwIfAborted(signal);
  const cur = await sideErrors(db, fit.model, tables.current, await windowsOf(tables.current, curInfo), signal);
  progress(3);
  const sigmas = options.sigmas ?? THRESHOLD_SIGMAS;
  if (!(sigmas >= 0))
    throw new LanternError('usage', `The threshold width must be a non-negative number of standard deviations, got ${sigmas}.`);
  let threshold: ReconstructionThreshold | null = null;
  let thresholdNote: string | null = null;
  if (ref.windows.length < 2)
    thresholdNote = `The reference has ${ref.windows.length === 1 ? 'one window' : 'no windows'}: the threshold needs at least two. Choose a smaller window.`;
  else {
    const errors = ref.windows.map((w) => w.error);
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    const std = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / errors.length);
    threshold = { lower: mean - sigmas * std, upper: mean + sigmas * std, mean, std, sigmas };
  }
  const outside = (e: number) => threshold !== null && Number.isFinite(e) && (e < threshold.lower || e > threshold.upper);
  const mark = (w: ErrorWindow): DriftWindow => ({ ...w, drifted: outside(w.error) });
  const k = fit.model.weights.length;
  return {
    method: 'pca_reconstruction',
    columns: fit.model.columns,
    dropped: fit.dropped,
    components: k,
    explainedVariance,
    explainedByComponents: fit.model.explained.slice(0, k).reduce((a, b) => a + b, 0),
    windowing: time ? 'calendar' : 'chunks',
    unit: time?.unit ?? null,
    reference: { rows: ref.rows, error: ref.error, windows: ref.windows.map(mark) },
    current: { rows: cur.rows, error: cur.error, windows: cur.windows.map(mark) },
    threshold,
    thresholdNote,
    drifted: outside(cur.error),
  };
}
