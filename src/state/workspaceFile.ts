import type { Engine } from '../client/engine';
import { buildArchive, PersistenceError, readArchive, type ArchiveContent, type SavedSections, type TableData } from '../persistence';
import type { Dataset } from './dataset.svelte';
import { withoutRows, type SavedWorkspace } from './workspaceSection.svelte';

/**
 * `.lantern` files of the open workspace: export (with rows, or settings and column summaries only) and
 * the checks an import passes before anything is stored. The persistence session stores and opens them.
 */

/**
 * The workspace's sections and the loaded `datasets`' tables as a `.lantern` file; without rows it carries
 * settings and column summaries only.
 */
export async function workspaceFile(
  engine: Engine,
  datasets: readonly Dataset[],
  saved: SavedSections,
  name: string,
  withRows: boolean,
): Promise<{ name: string; bytes: Uint8Array }> {
  const sections = JSON.parse(JSON.stringify(saved)) as SavedSections;
  const tables: Record<string, Uint8Array> = {};
  const ws = sections['workspace'];
  if (!withRows && ws) sections['workspace'] = { ...ws, data: withoutRows(ws.data as SavedWorkspace, datasets) };
  if (withRows) for (const d of datasets) tables[d.table] = await engine.with({ priority: 'user' }).exportTableParquet(d.table);
  const bytes = await buildArchive({ name, withRows, sections, tables });
  return { name: `${name.replace(/[^\w .-]+/g, '_')}${withRows ? '' : ' (settings only)'}.lantern`, bytes };
}

/**
 * Reads a `.lantern` file: structure, version and checksums (readArchive), then every dataset is
 * test-restored in the engine under a scratch table, so a file that would restore half is refused whole.
 */
export async function checkedWorkspaceFile(engine: Engine, bytes: Uint8Array): Promise<ArchiveContent> {
  const content = await readArchive(bytes);
  const datasets = (content.sections['workspace']?.data as SavedWorkspace | undefined)?.datasets ?? [];
  for (const [i, [table, data]] of Object.entries(content.tables).entries()) {
    const saved = datasets.find((d) => d.table === table);
    if (!saved)
      throw new PersistenceError(
        'bad-archive',
        `This workspace file has data for "${table}" but no dataset describes it. Nothing was imported.`,
      );
    const check = `import_check_${i}`;
    try {
      await engine
        .with({ priority: 'user' })
        .restoreTable(data, { table: check, name: saved.name, rows: saved.rows, columns: saved.columns });
    } catch (error) {
      throw new PersistenceError(
        'bad-archive',
        `The data of "${saved.name}" in this workspace file cannot be read (${(error as Error).message}). Nothing was imported.`,
      );
    } finally {
      await engine.dropTable(check);
    }
  }
  return content;
}

/** A file's tables as the store's commit input (all new bytes). */
export function newTables(content: ArchiveContent): Record<string, TableData> {
  return Object.fromEntries(Object.entries(content.tables).map(([t, bytes]) => [t, { bytes }]));
}

/** `name`, or `name (2)`, `name (3)`... the first not taken. */
export function uniqueName(name: string, taken: string[]): string {
  let unique = name;
  for (let n = 2; taken.includes(unique); n++) unique = `${name} (${n})`;
  return unique;
}
