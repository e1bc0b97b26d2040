import type { ColumnProfile, Engine } from '../client/engine';
import type { FileFormat, Variant } from '../lib/formats';
import type { RoleMap } from '../lib/roles';
import type { ColumnInfo } from '../lib/schema';
import type { RestoreContext, StateSection } from '../persistence';
import { Dataset } from './dataset.svelte';

/**
 * The first page of a workspace: how the model is doing at a glance, each item linking to its detail. A
 * workspace opens on its saved view, or on this one when it has none.
 */
export const FIRST_VIEW = 'overview';

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
  /** Roles the user set by hand (absent in workspaces saved before they were kept apart). */
  userRoles?: RoleMap;
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
export class DetachedDatasets {
  list: SavedDataset[] = $state.raw([]);
}

/** What the workspace section reads and sets in the workspace (the workspace root passes itself). */
export interface WorkspaceSectionHost {
  readonly datasets: Dataset[];
  selectedTable: string | null;
  view: string;
  notes: string;
  readonly detached: DetachedDatasets;
  reserveTables(tables: string[]): void;
  adoptRestored(datasets: Dataset[]): void;
}

/**
 * The 'workspace' section: datasets (restored first, from their saved Parquet, so every other section
 * finds the tables it names), selection, view and notes.
 */
export function workspaceSection(workspace: WorkspaceSectionHost, engine: Engine): StateSection<SavedWorkspace> {
  return {
    key: 'workspace',
    version: 1,
    restoreFirst: true,
    save: () => saveWorkspace(workspace),
    restore: (saved, context) => restoreWorkspace(workspace, engine, saved, context),
    reset: () => {
      workspace.detached.list = [];
    },
  };
}

function saveWorkspace(workspace: WorkspaceSectionHost): SavedWorkspace {
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
      userRoles: { ...d.userRoles },
    })),
    selectedTable: workspace.selectedTable,
    view: workspace.view,
    notes: workspace.notes,
    detached: workspace.detached.list,
  };
}

/** Brings the datasets back into the engine from their saved Parquet, then selection, view and notes. */
async function restoreWorkspace(
  workspace: WorkspaceSectionHost,
  engine: Engine,
  saved: SavedWorkspace,
  context: RestoreContext,
): Promise<void> {
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
      const loaded = await engine.with({ priority: 'user' }).restoreTable(bytes, {
        table: d.table,
        name: d.name,
        rows: d.rows,
        columns: d.columns,
      });
      restored.push(
        new Dataset({
          ...loaded,
          name: d.name,
          format: d.format,
          variant: d.variant,
          bytes: d.bytes,
          roles: d.roles,
          userRoles: d.userRoles ?? d.roles,
        }),
      );
    } catch (error) {
      context.warn(`"${d.name}" could not be restored: ${(error as Error).message}`);
    }
  }
  workspace.adoptRestored(restored);
  workspace.detached.list = detached;
  if (saved.selectedTable && restored.some((d) => d.table === saved.selectedTable)) workspace.selectedTable = saved.selectedTable;
  workspace.view = saved.view || FIRST_VIEW;
  workspace.notes = saved.notes ?? '';
}

/**
 * The workspace section as a settings-only export carries it: every dataset becomes a description with
 * its column summaries (from the loaded `datasets`) and no rows.
 */
export function withoutRows(saved: SavedWorkspace, datasets: readonly Dataset[]): SavedWorkspace {
  const profileOf = (table: string) => datasets.find((d) => d.table === table)?.profile ?? null;
  return { ...saved, datasets: [], detached: [...saved.detached, ...saved.datasets.map((d) => ({ ...d, profile: profileOf(d.table) }))] };
}
