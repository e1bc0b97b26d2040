import { untrack } from 'svelte';
import type { Engine } from '../client/engine';
import {
  AutosaveTimer,
  PersistenceError,
  readArchive,
  SectionRegistry,
  WorkspaceStore,
  type LanternDexie,
  type SavedSections,
  type TableData,
  type WorkspaceRecord,
} from '../persistence';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import type { Notify } from './notices';
import { TabCoordinator, type TabMessage } from './tabs';
import { checkedWorkspaceFile, newTables, uniqueName, workspaceFile } from './workspaceFile';
import type { SavedWorkspace } from './workspaceSection.svelte';

/** What components show of saved workspaces, re-exported so they need not import src/persistence. */
export { ARCHIVE_EXTENSION, type WorkspaceRecord } from '../persistence';

export type SaveStatus = 'starting' | 'restoring' | 'saved' | 'pending' | 'saving' | 'error' | 'read-only' | 'unavailable';

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

/** Quiet period after the last change before an autosave (debounce). */
export const AUTOSAVE_DELAY_MS = 800;

/** What the session needs of the open workspace (the workspace root passes itself). */
export interface PersistenceHost {
  /** The loaded datasets: an export with rows writes each one's table. */
  readonly datasets: Dataset[];
  /** Empties the workspace and drops its tables, before another workspace is restored into it. */
  clear(): Promise<void>;
  notify: Notify;
}

/**
 * The open workspace's link to the browser's storage: restores it on start, autosaves it (debounced,
 * paused while the tab is hidden), keeps the workspace list, imports and exports `.lantern` files, and
 * makes sure two tabs never overwrite each other (a Web Lock per workspace; a stale save is refused by
 * the store's generation check as well).
 */
export class PersistenceSession {
  list: WorkspaceRecord[] = $state.raw([]);
  current: WorkspaceRecord | null = $state.raw(null);
  status: SaveStatus = $state('starting');
  /** What went wrong with the last save, written for the user. */
  error: string | null = $state(null);
  /** Why this tab does not save (another tab holds the workspace, or saved it since). */
  readOnly: string | null = $state(null);
  /** Another tab saved the workspace this tab shows: reload to see it. */
  staleNotice: string | null = $state(null);
  storage: StorageInfo | null = $state(null);
  busy: string | null = $state(null);

  /**
   * The parts of the workspace that are saved, each a named, versioned section. The workspace root
   * registers them (src/state/sections.ts); this session saves and restores them all.
   */
  readonly sections = new SectionRegistry();
  private store: WorkspaceStore | null = null;
  private readonly tabs = new TabCoordinator((message) => this.onTabMessage(message));
  /** Table -> stored blob id in the head, so unchanged datasets are never written again. */
  private blobs: Record<string, string> = {};
  /** Saved sections no registered section claims: carried over so saving never drops them. */
  private carried: SavedSections = {};
  private lastSavedJson: string | null = null;
  private pendingJson: string | null = null;
  private readonly autosave = new AutosaveTimer(
    () => void this.saveNow(),
    () => document.visibilityState === 'hidden',
    AUTOSAVE_DELAY_MS,
  );
  private saving: Promise<void> | null = null;
  private stopAutosave: (() => void) | null = null;

  /**
   * `openStorage` opens the browser database (IndexedDB through Dexie) when the session starts; the
   * engine exports and restores dataset tables as Parquet.
   */
  constructor(
    private readonly engine: Engine,
    private readonly openStorage: () => LanternDexie,
    private readonly workspace: PersistenceHost,
  ) {}

  /** Opens storage and the last workspace (or a new one) and starts autosaving. Called once by the app. */
  async start(): Promise<void> {
    try {
      const db = this.openStorage();
      await db.open();
      this.store = new WorkspaceStore(db);
    } catch (error) {
      this.status = 'unavailable';
      this.error = `This browser does not let Lantern store workspaces (${(error as Error).message}). Work is not saved; export a .lantern file to keep it.`;
      return;
    }
    await this.refreshList();
    const last = await this.store.lastOpened();
    const id = this.list.find((w) => w.id === last)?.id ?? this.list[0]?.id;
    if (id) await this.open(id, { saveFirst: false });
    else await this.createAndOpen('Workspace 1', { saveFirst: false });
    document.addEventListener('visibilitychange', () => this.onVisibility());
    this.stopAutosave = $effect.root(() => {
      $effect(() => {
        let json: string;
        try {
          json = JSON.stringify(this.sections.saveAll(this.carried));
        } catch (error) {
          // A section whose save() throws must not stop autosave silently: say so, keep the last good state.
          untrack(() => {
            this.status = 'error';
            this.error = `Saving failed: ${(error as Error).message}. Your last saved state is intact.`;
          });
          return;
        }
        untrack(() => this.changed(json));
      });
    });
    void this.refreshStorage();
  }

  stop(): void {
    this.stopAutosave?.();
    this.tabs.close();
  }

  get canSave(): boolean {
    return (
      this.store !== null && this.current !== null && this.readOnly === null && this.status !== 'restoring' && this.status !== 'starting'
    );
  }

  private changed(json: string): void {
    if (!this.canSave) return;
    if (json === this.lastSavedJson) {
      this.pendingJson = null;
      if (this.status === 'pending') this.status = 'saved';
      return;
    }
    this.pendingJson = json;
    if (this.status !== 'error') this.status = this.saving ? 'saving' : 'pending';
    // After a quota failure autosave waits for the user ("Save now"), instead of failing again on every change.
    if (this.status === 'error') return;
    this.autosave.changed();
  }

  /** Hidden tabs do not autosave, except once as they become hidden (see AutosaveTimer). */
  private onVisibility(): void {
    if (!this.canSave || this.status === 'error') return;
    this.autosave.visibilityChanged();
  }

  /** Saves the current state now (autosave calls it; so does "Save now" after an error). */
  async saveNow(): Promise<void> {
    if (!this.canSave) return;
    if (this.saving) {
      // One save at a time; the change that arrived meanwhile is saved right after.
      await this.saving;
      if (this.pendingJson) return this.saveNow();
      return;
    }
    const json = this.pendingJson ?? JSON.stringify(untrack(() => this.sections.saveAll(this.carried)));
    this.pendingJson = null;
    this.saving = this.commit(json).finally(() => {
      this.saving = null;
    });
    await this.saving;
    if (this.pendingJson && this.status === 'saved') this.autosave.changed();
  }

  private async commit(json: string): Promise<void> {
    const store = this.store!;
    const current = this.current!;
    this.status = 'saving';
    try {
      const sections = JSON.parse(json) as SavedSections;
      const tables: Record<string, TableData> = {};
      const datasets = (sections['workspace']?.data as SavedWorkspace | undefined)?.datasets ?? [];
      const unsaved = datasets.filter((d) => !this.blobs[d.table]).map((d) => d.name);
      // Cleared when this save ends either way; found on the next start only if the tab died mid-save.
      if (unsaved.length > 0) await store.beginSave(current.id, unsaved);
      for (const d of datasets) {
        const blobId = this.blobs[d.table];
        // Exporting a new table holds the engine for seconds: it steps aside for the analysis the user runs.
        tables[d.table] = blobId ? { blobId } : { bytes: await this.engine.with({ priority: 'background' }).exportTableParquet(d.table) };
      }
      const next = await store.commit(current.id, current.generation, { sections, tables }).finally(() => store.endSave(current.id));
      const { state } = await store.loadHead(next.id);
      this.blobs = { ...state?.tables };
      this.current = next;
      this.lastSavedJson = json;
      this.error = null;
      this.status = this.pendingJson ? 'pending' : 'saved';
      this.tabs.announce({ type: 'saved', id: next.id, generation: next.generation });
      await this.refreshList();
      void this.refreshStorage();
    } catch (error) {
      await store.endSave(current.id).catch(() => undefined);
      this.pendingJson ??= json;
      if (error instanceof PersistenceError && error.code === 'conflict') {
        this.readOnly = error.message;
        this.status = 'read-only';
        return;
      }
      this.status = 'error';
      this.error =
        error instanceof PersistenceError ? error.message : `Saving failed: ${(error as Error).message}. Your last saved state is intact.`;
      void this.refreshStorage();
    }
  }

  /** Saves what is pending, then replaces the open workspace with `id`. */
  async open(id: string, { saveFirst = true } = {}): Promise<void> {
    const store = this.store;
    if (!store) return;
    if (saveFirst) await this.flush();
    this.status = 'restoring';
    this.readOnly = null;
    this.staleNotice = null;
    this.error = null;
    this.busy = 'Opening workspace…';
    try {
      await this.tabs.release();
      const locked = await this.tabs.acquire(id);
      const { workspace: record, state } = await store.loadHead(id);
      await this.workspace.clear();
      const warnings: string[] = [];
      const blobs: Record<string, string> = { ...state?.tables };
      await this.sections.restoreAll(state?.sections ?? {}, {
        tableData: async (table) => {
          const blobId = blobs[table];
          return blobId ? store.readBlob(blobId) : null;
        },
        warn: (message) => warnings.push(message),
      });
      for (const message of warnings) this.workspace.notify('error', message);
      // Only the tab that may write owns the mark: another tab's save may be under way right now.
      const interrupted = locked ? await store.takeInterruptedSave(id) : null;
      if (interrupted && interrupted.length > 0)
        this.workspace.notify(
          'error',
          `The last save of this workspace did not finish (the tab was closed or crashed while saving), so ${interrupted
            .map((n) => `"${n}"`)
            .join(', ')} ${interrupted.length === 1 ? 'was' : 'were'} not saved. Drop ${interrupted.length === 1 ? 'it' : 'them'} again.`,
        );
      const registered = this.sections.sections.map((s) => s.key);
      this.carried = Object.fromEntries(Object.entries(state?.sections ?? {}).filter(([key]) => !registered.includes(key)));
      this.blobs = blobs;
      this.current = record;
      this.lastSavedJson = JSON.stringify(untrack(() => this.sections.saveAll(this.carried)));
      if (locked) {
        await store.setLastOpened(id);
        await store.collectOrphans(id);
        this.status = 'saved';
      } else {
        this.readOnly = `"${record.name}" is open in another tab. This tab shows it read-only and does not save; close the other tab and reload to edit here, or save a copy.`;
        this.status = 'read-only';
      }
    } catch (error) {
      this.status = 'error';
      this.error = (error as Error).message;
    } finally {
      this.busy = null;
      await this.refreshList();
    }
    // A file dropped while restoring changed nothing the effect saw before it started: check once now.
    this.changed(JSON.stringify(untrack(() => this.sections.saveAll(this.carried))));
  }

  /** Waits for a running save and saves what is pending (before switching or importing). */
  async flush(): Promise<void> {
    this.autosave.cancel();
    if (this.saving) await this.saving;
    if (this.pendingJson && this.canSave && this.status !== 'error') await this.saveNow();
  }

  async createAndOpen(name: string, options: { saveFirst?: boolean } = {}): Promise<void> {
    const record = await this.store!.create(name);
    this.tabs.announce({ type: 'list' });
    await this.open(record.id, options);
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed || !this.store) return;
    await this.store.rename(id, trimmed);
    if (this.current?.id === id) this.current = { ...this.current, name: trimmed };
    this.tabs.announce({ type: 'list' });
    await this.refreshList();
  }

  async duplicate(id: string): Promise<void> {
    if (!this.store) return;
    if (id === this.current?.id) await this.flush();
    const source = this.list.find((w) => w.id === id);
    this.busy = 'Duplicating…';
    try {
      await this.store.duplicate(id, `${source?.name ?? 'Workspace'} (copy)`);
      this.tabs.announce({ type: 'list' });
    } catch (error) {
      this.workspace.notify('error', (error as Error).message);
    } finally {
      this.busy = null;
      await this.refreshList();
    }
  }

  /** Deletes a workspace (the UI asks for confirmation first). Deleting the open one opens another. */
  async remove(id: string): Promise<void> {
    if (!this.store) return;
    if (id === this.current?.id) {
      this.autosave.cancel();
      this.pendingJson = null;
      if (this.saving) await this.saving;
    }
    await this.store.delete(id);
    this.tabs.announce({ type: 'deleted', id });
    await this.refreshList();
    if (id === this.current?.id) {
      this.current = null;
      const next = this.list[0];
      if (next) await this.open(next.id, { saveFirst: false });
      else await this.createAndOpen('Workspace 1', { saveFirst: false });
    }
  }

  /** The open workspace as a `.lantern` file; without rows it carries settings and column summaries only. */
  async exportFile(withRows: boolean): Promise<{ name: string; bytes: Uint8Array }> {
    return workspaceFile(
      this.engine,
      this.workspace.datasets,
      untrack(() => this.sections.saveAll(this.carried)),
      this.current?.name ?? 'Workspace',
      withRows,
    );
  }

  /**
   * Imports a `.lantern` file as a new workspace and opens it. The file is checked whole first
   * (src/state/workspaceFile.ts); the workspace is then created in one transaction, so a failed import
   * leaves nothing behind.
   */
  async importFile(file: Blob): Promise<boolean> {
    if (!this.store) return false;
    this.busy = 'Importing…';
    try {
      const content = await checkedWorkspaceFile(this.engine, new Uint8Array(await file.arrayBuffer()));
      const name = uniqueName(
        content.name,
        this.list.map((w) => w.name),
      );
      const record = await this.store.createWith(name, { sections: content.sections, tables: newTables(content) });
      this.tabs.announce({ type: 'list' });
      await this.open(record.id);
      return true;
    } catch (error) {
      this.workspace.notify(
        'error',
        errorCode(error) === 'cancelled' ? 'Import cancelled. Nothing was imported.' : (error as Error).message,
      );
      return false;
    } finally {
      this.busy = null;
      await this.refreshList();
    }
  }

  /** The state this tab shows, saved as a new workspace that this tab then owns (a read-only tab's way out). */
  async saveAsCopy(): Promise<void> {
    if (!this.store) return;
    this.busy = 'Saving a copy…';
    try {
      const { bytes, name } = await this.exportFile(true);
      const content = await readArchive(bytes);
      const record = await this.store.createWith(`${name.replace(/\.lantern$/, '')} (copy)`, {
        sections: content.sections,
        tables: newTables(content),
      });
      this.tabs.announce({ type: 'list' });
      await this.open(record.id, { saveFirst: false });
    } catch (error) {
      this.workspace.notify('error', (error as Error).message);
    } finally {
      this.busy = null;
    }
  }

  async refreshList(): Promise<void> {
    if (this.store) this.list = await this.store.list();
  }

  async refreshStorage(): Promise<void> {
    if (!navigator.storage?.estimate) return;
    const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? false]);
    this.storage = { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0, persisted };
  }

  /** Asks the browser not to evict this site's data under storage pressure. */
  async requestPersistence(): Promise<boolean> {
    const granted = (await navigator.storage?.persist?.()) ?? false;
    await this.refreshStorage();
    this.workspace.notify(
      'info',
      granted
        ? 'The browser will keep Lantern’s workspaces unless you delete them.'
        : 'The browser did not grant persistent storage; it may evict saved workspaces when space runs low. Export important workspaces to .lantern files.',
    );
    return granted;
  }

  private onTabMessage(message: TabMessage): void {
    void this.refreshList();
    if (!this.current) return;
    if (message.type === 'saved' && message.id === this.current.id && message.generation !== this.current.generation)
      this.staleNotice = `"${this.current.name}" was changed in another tab. Reload to see the latest state.`;
    if (message.type === 'deleted' && message.id === this.current.id)
      this.staleNotice = `"${this.current.name}" was deleted in another tab. What you see here is no longer saved.`;
  }
}
