import type { ColumnRole } from '../roles';

/** What a dataset is to the investigation. */
export type DatasetPart = 'reference' | 'current' | 'labels' | 'other';

/** A column's role with the reason a person reads, and who decided it. */
export interface RoleChoice {
  role: ColumnRole;
  reason: string;
  by: 'name' | 'structure' | 'user';
}

export interface DatasetSetup {
  table: string;
  name: string;
  part: DatasetPart;
  partReason: string;
  roles: Record<string, RoleChoice>;
}

/**
 * Which loaded dataset plays which part and which column holds what: the one answer every view, the
 * investigation, the checks and the CLI read.
 */
export interface Setup {
  datasets: DatasetSetup[];
  /** Tables, or null when there is none. */
  reference: string | null;
  current: string | null;
  labels: string | null;
  /** Id columns that join the labels to the log. */
  join: { log: string; labels: string } | null;
  /** The label column, in the labels file when there is one, else in the log or the reference. */
  label: { table: string; column: string } | null;
  /** Model outputs and the time column, in the log. */
  score: string | null;
  prediction: string | null;
  timestamp: string | null;
  /** What could not be decided, with what to do in the app. */
  notes: string[];
}

/** A dataset as the inference receives it. */
export interface SetupInput {
  table: string;
  name: string;
  /** Roles the user set by hand: kept as they are. */
  userRoles?: Record<string, ColumnRole>;
}

/** Parts given from outside (the CLI's --reference, --current, --labels), by table. */
export interface PartHints {
  reference?: string;
  current?: string;
  labels?: string;
}
