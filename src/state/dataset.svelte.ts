import type { ColumnProfile, LoadedWithRoles } from '../client/engine';
import type { ColumnRole, RoleMap } from '../lib/roles';
import type { DatasetPart, DatasetSetup, RoleChoice } from '../lib/setup/types';
import type { ColumnInfo } from '../lib/schema';
import type { FileFormat, Variant } from '../lib/formats';

/**
 * Datasets wider than this are summarised as their columns come into view (the Data view lists them in a
 * virtual list), never all at once: 10,000 columns took most of a minute to summarise in the tab.
 */
export const LAZY_PROFILE_COLUMNS = 200;

/** A loaded dataset on the main thread: what the engine reported, plus the user's choices about it. */
export class Dataset {
  readonly table: string;
  readonly name: string;
  readonly format: FileFormat;
  readonly variant: Variant;
  readonly bytes: number;
  readonly rows: number;
  readonly columns: ColumnInfo[];
  roles: RoleMap = $state({});
  /** Roles the user set by hand: the setup inference never changes them. */
  userRoles: RoleMap = $state({});
  /** Why each column has its role, in words (from the setup inference, or "set by you"). */
  reasons: Record<string, RoleChoice> = $state.raw({});
  /** What the dataset is to the investigation (training data, the log, labels), and why. */
  part: DatasetPart | null = $state(null);
  partReason = $state('');
  /** Told when the user changes a role (the workspace infers the setup again). */
  onRolesChanged: (() => void) | null = null;
  /** Large and replaced whole, never mutated: $state.raw avoids deep proxies. */
  profile: ColumnProfile[] | null = $state.raw(null);
  profileError: string | null = $state(null);
  /** Columns whose summaries were asked for (bookkeeping for lazy summaries; nothing renders from it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly profileAsked = new Set<string>();

  constructor(loaded: LoadedWithRoles & { userRoles?: RoleMap }) {
    this.table = loaded.table;
    this.name = loaded.name;
    this.format = loaded.format;
    this.variant = loaded.variant;
    this.bytes = loaded.bytes;
    this.rows = loaded.rows;
    this.columns = loaded.columns;
    this.roles = { ...loaded.roles };
    this.userRoles = { ...(loaded.userRoles ?? {}) };
  }

  /** Summarised as columns come into view rather than all at once. */
  get lazyProfile(): boolean {
    return this.columns.length > LAZY_PROFILE_COLUMNS;
  }

  /** A role set by hand: kept over every inference, and the workspace's setup is inferred again. */
  setRole(column: string, role: ColumnRole): void {
    this.roles[column] = role;
    this.userRoles[column] = role;
    this.reasons = { ...this.reasons, [column]: { role, by: 'user', reason: 'set by you' } };
    this.onRolesChanged?.();
  }

  /** Gives a hand-set role back to the inference: the workspace infers the setup again. */
  resetRole(column: string): void {
    if (this.userRoles[column] === undefined) return;
    delete this.userRoles[column];
    this.onRolesChanged?.();
  }

  /** Takes the inferred roles (except those the user set), their reasons and the dataset's part. */
  applySetup(setup: DatasetSetup): void {
    for (const [column, choice] of Object.entries(setup.roles)) if (this.userRoles[column] === undefined) this.roles[column] = choice.role;
    this.reasons = setup.roles;
    this.part = setup.part;
    this.partReason = setup.partReason;
  }

  columnsWithRole(role: ColumnRole): string[] {
    return this.columns.filter((c) => this.roles[c.name] === role).map((c) => c.name);
  }
}
