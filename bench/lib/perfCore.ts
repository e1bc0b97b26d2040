/**
 * The part of the performance branch's API (src/lib/metrics, src/lib/slices) the metrics and slices
 * scenarios use, typed locally so the harness compiles before that branch is merged.
 */
import type { Db } from '../../src/lib/db';
import type { RoleMap } from '../../src/lib/roles';
import type { ColumnInfo, ColumnKind } from '../../src/lib/schema';
import { SEGMENTS } from './data';

export const PERFORMANCE = 'src/lib/metrics/performance.ts';
export const WINDOWS = 'src/lib/metrics/windows.ts';
export const TIME = 'src/lib/metrics/time.ts';
export const SCORE_TABLE = 'src/lib/metrics/scoreTable.ts';
export const BINARY = 'src/lib/metrics/binary.ts';
export const DIMENSIONS = 'src/lib/slices/dimensions.ts';
export const DISCOVER = 'src/lib/slices/discover.ts';

export interface PerfSpec {
  table: string;
  label: string;
  labelKind: ColumnKind;
  score?: string;
  prediction?: string;
  predictionKind?: ColumnKind;
  timestamp?: string;
  task: 'binary' | 'multiclass' | 'regression';
  positive?: string;
  threshold: number;
}

export interface ScoreTable {
  readonly _scoreTable?: never;
}

export interface PerformanceModule {
  overallPerformance(
    db: Db,
    spec: PerfSpec,
    options?: { pointOnly?: boolean },
  ): Promise<{ task: string; metrics: { n: number }; scoreTable?: ScoreTable }>;
  metricsByGroup(db: Db, spec: PerfSpec, keys: { sql: string; as: string }[], options?: { where?: string }): Promise<unknown[]>;
}
export interface WindowsModule {
  metricsOverTime(
    db: Db,
    spec: PerfSpec,
    tsSql: string,
    options?: { unit?: 'hour' | 'day' | 'week' | 'month'; reference?: PerfSpec },
  ): Promise<{ windows: unknown[] }>;
}
export interface TimeModule {
  timestampSql(column: string, kind: ColumnKind): string;
  windowSql(ts: string, unit: 'hour' | 'day' | 'week' | 'month'): string;
}
export interface BinaryModule {
  binaryMetricsAt(t: ScoreTable, threshold: number): unknown;
}
export interface Dimension {
  name: string;
}
export interface DimensionsModule {
  sliceDimensions(
    db: Db,
    table: string,
    columns: ColumnInfo[],
    roles: RoleMap,
    options?: { timestamp?: { column: string; sql: string } },
  ): Promise<Dimension[]>;
}
export interface DiscoverModule {
  discoverSlices(
    db: Db,
    spec: PerfSpec,
    dims: Dimension[],
    options?: { maxDepth?: number },
  ): Promise<{ tested: number; slices: { label: string; n: number; metric: number; significant: boolean }[] }>;
}

/** The generated log as a binary classification with a score, a prediction, a delayed label and a timestamp. */
export function logSpec(table: string, threshold = 0.5): PerfSpec {
  return {
    table,
    label: 'label',
    labelKind: 'numeric',
    score: 'score',
    prediction: 'prediction',
    predictionKind: 'numeric',
    timestamp: 'timestamp',
    task: 'binary',
    positive: '1',
    threshold,
  };
}

/** Slices over the 10 segment columns (and the timestamp's parts), as the slice benchmark asks; the numerical features are left out. */
export function segmentRoles(columns: readonly ColumnInfo[]): RoleMap {
  const roles: RoleMap = {};
  for (const c of columns) roles[c.name] = SEGMENTS.includes(c.name) ? 'segment' : c.name === 'timestamp' ? 'timestamp' : 'ignore';
  return roles;
}
