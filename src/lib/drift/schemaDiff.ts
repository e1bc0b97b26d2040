import type { ColumnInfo } from '../schema';
import type { DriftKind } from './methods';

export interface TypeChange {
  name: string;
  referenceType: string;
  currentType: string;
  /** True when the two types can still be compared (e.g. INTEGER vs DOUBLE). */
  comparable: boolean;
}

export interface SchemaDiff {
  /** In the reference, absent from the current data. */
  missingColumns: string[];
  /** In the current data, absent from the reference. */
  newColumns: string[];
  typeChanges: TypeChange[];
  /** Present in both, matched by name, in reference order. */
  shared: string[];
}

/** Matches columns by name and reports what differs. */
export function compareSchemas(reference: readonly ColumnInfo[], current: readonly ColumnInfo[]): SchemaDiff {
  const cur = new Map(current.map((c) => [c.name, c]));
  const ref = new Set(reference.map((c) => c.name));
  const diff: SchemaDiff = { missingColumns: [], newColumns: [], typeChanges: [], shared: [] };
  for (const r of reference) {
    const c = cur.get(r.name);
    if (!c) {
      diff.missingColumns.push(r.name);
      continue;
    }
    diff.shared.push(r.name);
    if (c.type !== r.type)
      diff.typeChanges.push({ name: r.name, referenceType: r.type, currentType: c.type, comparable: driftKindOf(r) === driftKindOf(c) });
  }
  for (const c of current) if (!ref.has(c.name)) diff.newColumns.push(c.name);
  return diff;
}

/**
 * How a column is tested: numbers are numerical, text and booleans categorical; dates, times and
 * nested types are reported but not tested (null).
 */
export function driftKindOf(column: ColumnInfo): DriftKind | null {
  if (column.kind === 'numeric') return 'numerical';
  if (column.kind === 'string' || column.kind === 'boolean') return 'categorical';
  return null;
}
