/**
 * A finding: what is wrong, where and since when, in words a person reads, with the numbers behind it
 * and the view that shows it. Findings of every kind share one severity scale, so one ranked list can
 * hold a broken feed, a drifted input and a slice where the model fails.
 */

export type FindingKind =
  /** An input's distribution moved (in a segment, from a date, or everywhere). */
  | 'drift'
  /** An input's values look multiplied by a constant: a unit or scale change. */
  | 'scale-change'
  /** Values went missing. */
  | 'missing-values'
  /** An input stopped varying: one value where the reference varies. */
  | 'stuck-value'
  /** Values never seen in training (and, for a rename, a known value that disappears). */
  | 'new-category'
  /** Inputs that stopped moving together as in the reference (each may keep its own distribution). */
  | 'joint-drift'
  /** The model's score or predictions moved. */
  | 'output-drift'
  /** The labels' distribution moved. */
  | 'label-drift'
  /** Realised performance is worse (in a segment and/or a window) than in the reference. */
  | 'performance'
  /** A slice of rows where the model fails much more than elsewhere. */
  | 'failing-slice'
  /** What the model relies on moved (mean |SHAP| by feature). */
  | 'attribution-drift'
  /** Data quality: repeated rows, labels that stopped coming, columns missing from the log. */
  | 'data-quality'
  /** A segment's share of the rows moved: a feed that stopped, or flooded. */
  | 'volume'
  /** The service got slower or fails more often than in the reference period (latency, status columns). */
  | 'operations';

export interface SegmentCondition {
  column: string;
  /** The segment's value as text; for a binned number, the bin's label. */
  value: string;
  /** A condition other than equality (a quantile bin): its SQL-free description. */
  op?: '=' | 'is null' | '<' | '>=' | 'between';
  bounds?: [number, number];
}

/** A time window of the log: ISO dates (or times), start inclusive, end exclusive. */
export interface FindingWindow {
  start: string;
  end: string;
}

/** Where a finding opens: a view, filtered to the finding's rows. */
export interface FindingLink {
  view: 'drift' | 'performance' | 'data' | 'explain' | 'checks' | 'operations';
  column?: string;
  segment?: SegmentCondition[];
  window?: FindingWindow | null;
}

export type EvidenceValue = number | string | boolean | null;

/** One place a finding was measured: the whole log, a segment, a window, or both. */
export interface FindingPart {
  scope: 'overall' | 'segment' | 'window' | 'segment-window';
  segment: SegmentCondition[];
  window: FindingWindow | null;
  /** Rows of the log in the part, and of the reference it is compared with. */
  rows: number;
  referenceRows: number;
  evidence: Record<string, EvidenceValue>;
}

export interface Finding {
  /** Stable within one investigation: kind, columns, segment and window. */
  id: string;
  kind: FindingKind;
  /** One sentence: what, where, since when, by how much. */
  title: string;
  /** Why it matters or what else is known, when there is more to say. */
  detail?: string;
  /** 0-100, comparable across kinds: how large, how certain and how many rows. */
  severity: number;
  columns: string[];
  segment: SegmentCondition[];
  window: FindingWindow | null;
  /** The headline part's numbers: statistic, baseline, rows, window, p or q value. */
  evidence: Record<string, EvidenceValue>;
  /** The same problem measured overall, by segment and by window. */
  parts: FindingPart[];
  link: FindingLink;
}

/** A step of the investigation and whether it ran. */
export interface InvestigationStep {
  step: string;
  /** `partial`: done on part of the data, the reason says which part. */
  status: 'done' | 'partial' | 'skipped' | 'failed';
  /** Why it was partial, skipped or failed, written as what to do in the app. */
  reason?: string;
}

export interface Investigation {
  findings: Finding[];
  steps: InvestigationStep[];
  /** Cells (segment x window) with fewer rows than this are reported as too small, never ranked. */
  minSupport: number;
  /** Cells left out for too few rows. */
  tooSmall: number;
  windowUnit: 'hour' | 'day' | 'week' | 'month' | null;
  rows: { reference: number; current: number; labelled: number };
}
