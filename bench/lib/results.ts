/** The shape of bench/results/*.json. */
import type { DataPlan } from './data';
import type { Machine } from './machine';
import type { Summary } from './stats';

export interface SideResult {
  name: string;
  /** Wall time in ms over the successful runs; null when every run failed. */
  summary: Summary | null;
  /** Largest peak over the runs, bytes. */
  peakBytes: number | null;
  peakHow: string;
  /** Medians of the named parts of each run, when the scenario reports them. */
  parts?: Record<string, Summary>;
  runs: { ms: number; peakBytes: number; parts?: Record<string, number>; detail?: Record<string, unknown> }[];
  errors: string[];
}

export interface CaseResult {
  key: string;
  label: string;
  lantern: SideResult;
  native: SideResult | null;
  /** Lantern's median over native's median (above 1: Lantern is slower). */
  ratio: number | null;
  /** Runs not started because they would have ended after --deadline. */
  skippedForDeadline?: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  aim: string | null;
  status: 'measured' | 'pending' | 'failed';
  /** Why a scenario is pending or failed. */
  reason?: string;
  cases: CaseResult[];
}

export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt?: string;
  scale: 'full' | 'small';
  runsPerFigure: number;
  plan: DataPlan;
  machine: Machine;
  git: Record<string, string>;
  /** DuckDB-WASM, native DuckDB and parquet-wasm versions. */
  engines?: Record<string, string>;
  data: Record<string, string>;
  scenarios: ScenarioResult[];
  /** --deadline, when given: no run was started that would have ended after it. */
  deadline?: string;
  /** --note: what the code under test was, when not a plain branch. */
  note?: string;
}
