/**
 * Types of the engine's and the SHAP pool's results that views render, re-exported here so components
 * depend on the state layer only, never on the client (decision 0008).
 */
export type {
  DriftBreakdown,
  Investigation,
  InvestigationProgress,
  OverTime,
  PlaceDrift,
  PlacePerformance,
  ReportData,
  Setup,
  SliceProgress,
  WindowDrift,
} from '../client/engine';
export type { BreakdownCell } from '../lib/drift/breakdown';
export type { Finding, FindingKind, FindingLink, FindingPart, SegmentCondition } from '../lib/findings/types';
export type { RoleChoice } from '../lib/setup/types';
export type { ModelSummary } from '../client/shapPool';
