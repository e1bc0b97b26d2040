/**
 * What a scenario file in bench/scenarios/ exports. A scenario measures one thing Lantern does (load a
 * CSV, the drift report, TreeSHAP, ...) and, where one exists, the same work done natively (DuckDB's own
 * binary, xgboost's C++), in cases (e.g. one per data size). Every measured run happens in a fresh child
 * process, so runs do not share caches inside the engine and the peak RSS of the child is the peak
 * memory of that run (setup included).
 */
import type { DataFiles } from './data';

export interface BenchContext {
  /** Repository root (the worktree the bench runs from). */
  root: string;
  files: DataFiles;
  /** The xgboost model the SHAP scenarios explain. */
  modelPath: string;
  /** Scratch directory for this run (recorded SQL, cross-check files). */
  workDir: string;
  /** `full` (the sizes) or `small` (for developing the harness). */
  scale: 'full' | 'small';
}

export interface Measurement {
  /** Wall time of the measured part, in milliseconds. */
  ms: number;
  /** Peak memory of the run when the scenario measured it itself (a browser, a Python process). */
  peakBytes?: number;
  /** How the peak was measured, when not the child's peak RSS (VmHWM). */
  peakHow?: string;
  /** Named parts of `ms` worth their own median (e.g. the drift report inside drop-to-drift-table), in ms. */
  parts?: Record<string, number>;
  /** Small facts about the run worth keeping (rows, part of the time spent in SQL, a cross-check). */
  detail?: Record<string, unknown>;
}

export interface Case {
  /** Unique within the scenario, e.g. "1m". */
  key: string;
  /** What the table shows, e.g. "1,000,000 rows x 31 columns". */
  label: string;
  /** Measured after every other case of every scenario (e.g. the 5,000,000-row loads). */
  heavy?: boolean;
  /** Anything the sides need, passed to the child as JSON. */
  params: Record<string, unknown>;
}

export interface Side {
  /** e.g. "Lantern (Node, DuckDB-WASM)", "native DuckDB 1.5 (@duckdb/node-api)". */
  name: string;
  /** Runs once in a child process and measures itself. */
  run(ctx: BenchContext, params: Record<string, unknown>): Promise<Measurement>;
}

export interface Scenario {
  id: string;
  title: string;
  /** The aim the issues set for this figure, shown next to it. */
  aim?: string;
  /** Runs per case (median, min, max); default from the command line. */
  runs?: number;
  /**
   * Null when the scenario can run here; otherwise why not (e.g. the analysis is not on this branch yet):
   * the table then says "not yet measured" with this reason, and no number.
   */
  pending(ctx: BenchContext): Promise<string | null>;
  cases(ctx: BenchContext): Case[];
  /** Once per bench run, in the parent, before any measured run (e.g. build the app). */
  prepare?(ctx: BenchContext): Promise<void>;
  lantern: Side;
  native?: Side;
}
