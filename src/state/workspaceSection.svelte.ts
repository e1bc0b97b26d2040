import { engine, type ColumnProfile } from '../client/engine';
import type { FileFormat, Variant } from '../lib/formats';
import type { RoleMap } from '../lib/roles';
import type { ColumnInfo } from '../lib/schema';
import { registerSection, type RestoreContext } from '../persistence';
import { Dataset } from './dataset.svelte';
import { FIRST_VIEW, workspace } from './workspace.svelte';

/** What is saved of a dataset besides its rows: enough to restore the table and to describe it without data. */
export interface SavedDataset {
  table: string;
  name: string;
  format: FileFormat;
  variant: Variant;
  bytes: number;
  rows: number;
  columns: ColumnInfo[];
  roles: RoleMap;
  /**
   * Column summaries (aggregates only): kept for datasets without rows (a settings-only export). Not
   * autosaved for datasets with data: they are recomputed from the restored rows.
   */
  profile?: ColumnProfile[] | null;
}

export interface SavedWorkspace {
  datasets: SavedDataset[];
  selectedTable: string | null;
  view: string;
  notes: string;
  /** Datasets known only by their description (from a settings-only import): no rows in this workspace. */
  detached: SavedDataset[];
}

/** Datasets of a settings-only workspace: shown with their saved summaries, never analysed. */
class DetachedDatasets {
  list: SavedDataset[] = $state.raw([]);
}
export const detachedDatasets = new DetachedDatasets();

export function saveWorkspace(): SavedWorkspace {
  return {
    datasets: workspace.datasets.map((d) => ({
      table: d.table,
      name: d.name,
      format: d.format,
      variant: d.variant,
      bytes: d.bytes,
      rows: d.rows,
      columns: d.columns,
      roles: { ...d.roles },
    })),
    selectedTable: workspace.selectedTable,
    view: workspace.view,
    notes: workspace.notes,
    detached: detachedDatasets.list,
  };
}

/** Brings the datasets back into the engine from their saved Parquet, then selection, view and notes. */
export async function restoreWorkspace(saved: SavedWorkspace, context: RestoreContext): Promise<void> {
  workspace.reserveTables(saved.datasets.map((d) => d.table));
  const restored: Dataset[] = [];
  const detached = [...(saved.detached ?? [])];
  for (const d of saved.datasets) {
    const bytes = await context.tableData(d.table);
    if (!bytes) {
      detached.push(d);
      continue;
    }
    try {
      const loaded = await engine().with({ priority: 'user' }).restoreTable(bytes, {
        table: d.table,
        name: d.name,
        rows: d.rows,
        columns: d.columns,
      });
      restored.push(new Dataset({ ...loaded, name: d.name, format: d.format, variant: d.variant, bytes: d.bytes, roles: d.roles }));
    } catch (error) {
      context.warn(`"${d.name}" could not be restored: ${(error as Error).message}`);
    }
  }
  workspace.adoptRestored(restored);
  detachedDatasets.list = detached;
  if (saved.selectedTable && restored.some((d) => d.table === saved.selectedTable)) workspace.selectedTable = saved.selectedTable;
  workspace.view = saved.view || FIRST_VIEW;
  workspace.notes = saved.notes ?? '';
}

/**
 * The workspace section as a settings-only export carries it: every dataset becomes a description with
 * its column summaries and no rows.
 */
export function withoutRows(saved: SavedWorkspace): SavedWorkspace {
  const profileOf = (table: string) => workspace.datasets.find((d) => d.table === table)?.profile ?? null;
  return { ...saved, datasets: [], detached: [...saved.detached, ...saved.datasets.map((d) => ({ ...d, profile: profileOf(d.table) }))] };
}

registerSection<SavedWorkspace>({
  key: 'workspace',
  version: 1,
  restoreFirst: true,
  save: saveWorkspace,
  restore: restoreWorkspace,
  reset: () => {
    detachedDatasets.list = [];
  },
});
