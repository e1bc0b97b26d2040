import type { ColumnProfile, LoadedWithRoles } from '../client/engine';
import type { ColumnRole, RoleMap } from '../lib/roles';
import type { ColumnInfo } from '../lib/schema';
import type { FileFormat, Variant } from '../lib/formats';

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
  /** Large and replaced whole, never mutated: $state.raw avoids deep proxies. */
  profile: ColumnProfile[] | null = $state.raw(null);
  profileError: string | null = $state(null);

  constructor(loaded: LoadedWithRoles) {
    this.table = loaded.table;
    this.name = loaded.name;
    this.format = loaded.format;
    this.variant = loaded.variant;
    this.bytes = loaded.bytes;
    this.rows = loaded.rows;
    this.columns = loaded.columns;
    this.roles = { ...loaded.roles };
  }

  setRole(column: string, role: ColumnRole): void {
    this.roles[column] = role;
  }

  columnsWithRole(role: ColumnRole): string[] {
    return this.columns.filter((c) => this.roles[c.name] === role).map((c) => c.name);
  }
}
