/**
 * Types of the engine's and the SHAP pool's results that views render, re-exported here so components
 * depend on the state layer only, never on the client (decision 0008).
 */
export type { OverTime, ReportData, SliceProgress, WindowDrift } from '../client/engine';
export type { ModelSummary } from '../client/shapPool';
