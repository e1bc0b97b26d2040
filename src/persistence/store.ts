import { Dexie } from 'dexie';
import { CHUNK_BYTES, joinChunks, sha256Hex, splitChunks } from './chunks';
import { explainStorageError, PersistenceError } from './errors';
import type { BlobRecord, LanternDexie, SavedState, WorkspaceRecord } from './schema';

/** A dataset table's data in a save: a blob already stored, or new bytes to store. */
export type TableData = { blobId: string } | { bytes: Uint8Array };

export interface CommitInput {
  sections: SavedState['sections'];
  tables: Record<string, TableData>;
}

const newId = (): string => crypto.randomUUID();
const pendingKey = (id: string) => `saveInProgress:${id}`;

/**
 * The one owner of saved workspaces in IndexedDB.
 *
 * A save is atomic: new dataset bytes go first into chunks under fresh blob ids (a new generation, in
 * as many transactions as needed), and only then one transaction checks that nobody else saved since
 * (`expectedGeneration`), records the blobs, writes the new snapshot and flips the workspace's `head`
 * to it, dropping what the old snapshot alone used. A page closed, a quota refusal or a conflict before
 * that transaction leaves the last good state as it was; chunks without a blob record are orphans,
 * collected by `collectOrphans` when the workspace is next opened for writing.
 */
export class WorkspaceStore {
  constructor(
    readonly db: LanternDexie,
    readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Most recently changed first. */
  async list(): Promise<WorkspaceRecord[]> {
    return (await this.db.workspaces.orderBy('updatedAt').reverse().toArray()) as WorkspaceRecord[];
  }

  async get(id: string): Promise<WorkspaceRecord | undefined> {
    return this.db.workspaces.get(id);
  }

  async create(name: string): Promise<WorkspaceRecord> {
    const record = emptyRecord(name);
    await this.db.workspaces.add(record).catch((e) => Promise.reject(explainStorageError(e)));
    return record;
  }

  async rename(id: string, name: string): Promise<void> {
    const updated = await this.db.workspaces.update(id, { name, updatedAt: Date.now() });
    if (updated === 0) throw new PersistenceError('not-found', 'This workspace no longer exists (deleted in another tab?).');
  }

  /** Deletes a workspace with all its snapshots and data, in one transaction. */
  async delete(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.workspaces, db.snapshots, db.blobs, db.chunks, db.meta], async () => {
      await db.workspaces.delete(id);
      await db.snapshots.where('workspaceId').equals(id).delete();
      await db.blobs.where('workspaceId').equals(id).delete();
      await db.chunks.where('workspaceId').equals(id).delete();
      const last = await db.meta.get('lastOpened');
      if (last?.value === id) await db.meta.delete('lastOpened');
    });
  }

  /**
   * Marks a save of `id` as under way, naming the datasets whose data it writes. The mark is removed
   * when the save ends either way (`endSave`); one still there when the workspace is next opened means
   * the tab was closed or crashed mid-save, and those datasets were not saved (`takeInterruptedSave`).
   */
  async beginSave(id: string, datasets: string[]): Promise<void> {
    await this.db.meta.put({ key: pendingKey(id), value: datasets });
  }

  async endSave(id: string): Promise<void> {
    await this.db.meta.delete(pendingKey(id));
  }

  /** The datasets of a save of `id` that never finished, or null; the mark is removed. */
  async takeInterruptedSave(id: string): Promise<string[] | null> {
    const mark = await this.db.meta.get(pendingKey(id));
    if (!mark) return null;
    await this.db.meta.delete(pendingKey(id));
    return Array.isArray(mark.value) ? mark.value.map(String) : [];
  }

  async lastOpened(): Promise<string | null> {
    const value = (await this.db.meta.get('lastOpened'))?.value;
    return typeof value === 'string' ? value : null;
  }

  async setLastOpened(id: string): Promise<void> {
    await this.db.meta.put({ key: 'lastOpened', value: id });
  }

  /** The workspace and its last good state (null state for a workspace never saved with content). */
  async loadHead(id: string): Promise<{ workspace: WorkspaceRecord; state: SavedState | null }> {
    const { db } = this;
    return db.transaction('r', [db.workspaces, db.snapshots], async () => {
      const workspace = await db.workspaces.get(id);
      if (!workspace) throw new PersistenceError('not-found', 'This workspace no longer exists (deleted in another tab?).');
      if (!workspace.head) return { workspace, state: null };
      const snapshot = await db.snapshots.get(workspace.head);
      if (!snapshot) throw new PersistenceError('corrupt', `The saved state of "${workspace.name}" is missing from the browser's storage.`);
      return { workspace, state: snapshot.state };
    });
  }

  async blob(id: string): Promise<BlobRecord | undefined> {
    return this.db.blobs.get(id);
  }

  /** A stored blob's bytes, checked against its recorded size, chunk count and SHA-256. */
  async readBlob(id: string): Promise<Uint8Array> {
    const { db } = this;
    const [blob, chunks] = await db.transaction('r', [db.blobs, db.chunks], () =>
      Promise.all([db.blobs.get(id), db.chunks.where('[blobId+index]').between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray()]),
    );
    if (!blob) throw new PersistenceError('corrupt', 'Saved data of a dataset is missing from the browser storage.');
    const bytes = joinChunks(chunks.sort((a, b) => a.index - b.index).map((c) => c.data));
    if (chunks.length !== blob.chunks || bytes.length !== blob.size || (await sha256Hex(bytes)) !== blob.sha256)
      throw new PersistenceError(
        'corrupt',
        'Saved data of a dataset is damaged (its checksum does not match). Import an exported copy if you have one.',
      );
    return bytes;
  }

  /**
   * Saves a new state of workspace `id` made from generation `expectedGeneration`. Throws
   * PersistenceError 'conflict' if another tab committed since, 'quota' if storage is full; in both
   * cases, and if the page dies half way, the previous state stays the head.
   */
  async commit(id: string, expectedGeneration: number, input: CommitInput): Promise<WorkspaceRecord> {
    return this.commitWith(id, input, async (workspace) => {
      if (!workspace) throw new PersistenceError('not-found', 'This workspace no longer exists (deleted in another tab?).');
      if (workspace.generation !== expectedGeneration)
        throw new PersistenceError(
          'conflict',
          `"${workspace.name}" was saved by another tab since this tab opened it. Reload to see its latest state.`,
        );
      return workspace;
    });
  }

  /** Creates a workspace with content in one step (import, duplicate): it appears whole or not at all. */
  async createWith(name: string, input: CommitInput): Promise<WorkspaceRecord> {
    const fresh = emptyRecord(name);
    return this.commitWith(fresh.id, input, async () => fresh);
  }

  /** A copy of the head of `id` under a new name, data included (copied, so the two never share blobs). */
  async duplicate(id: string, name: string): Promise<WorkspaceRecord> {
    const { state } = await this.loadHead(id);
    const tables: Record<string, TableData> = {};
    for (const [table, blobId] of Object.entries(state?.tables ?? {})) tables[table] = { bytes: await this.readBlob(blobId) };
    return this.createWith(name, { sections: state?.sections ?? {}, tables });
  }

  /** Deletes chunks of `id` that no blob record claims: the remains of a save that never committed. */
  async collectOrphans(id: string): Promise<number> {
    const { db } = this;
    return db.transaction('rw', [db.blobs, db.chunks], async () => {
      const known = new Set((await db.blobs.where('workspaceId').equals(id).primaryKeys()) as string[]);
      const keys = (await db.chunks.where('workspaceId').equals(id).primaryKeys()) as [string, number][];
      const orphans = keys.filter(([blobId]) => !known.has(blobId));
      await db.chunks.bulkDelete(orphans);
      return orphans.length;
    });
  }

  private async commitWith(
    id: string,
    input: CommitInput,
    check: (current: WorkspaceRecord | undefined) => Promise<WorkspaceRecord>,
  ): Promise<WorkspaceRecord> {
    const { db } = this;
    const written: BlobRecord[] = [];
    const tables: Record<string, string> = {};
    try {
      for (const [table, data] of Object.entries(input.tables)) {
        if ('blobId' in data) tables[table] = data.blobId;
        else {
          const blob = await this.writeChunks(id, data.bytes);
          written.push(blob);
          tables[table] = blob.id;
        }
      }
      return await db.transaction('rw', [db.workspaces, db.snapshots, db.blobs, db.chunks], async () => {
        const workspace = await check(await db.workspaces.get(id));
        await db.blobs.bulkAdd(written);
        const referenced = new Set(Object.values(tables));
        const blobs = await db.blobs.where('workspaceId').equals(id).toArray();
        const missing = [...referenced].filter((b) => !blobs.some((r) => r.id === b));
        if (missing.length > 0)
          throw new PersistenceError('corrupt', 'A save referred to data that is no longer stored; nothing was changed.');
        const now = Date.now();
        const snapshotId = newId();
        await db.snapshots.add({
          id: snapshotId,
          workspaceId: id,
          generation: workspace.generation + 1,
          createdAt: now,
          state: { sections: input.sections, tables },
        });
        if (workspace.head) await db.snapshots.delete(workspace.head);
        for (const unused of blobs.filter((b) => !referenced.has(b.id))) {
          await db.blobs.delete(unused.id);
          await db.chunks.where('[blobId+index]').between([unused.id, Dexie.minKey], [unused.id, Dexie.maxKey]).delete();
        }
        const next: WorkspaceRecord = {
          ...workspace,
          head: snapshotId,
          generation: workspace.generation + 1,
          updatedAt: now,
          bytes: blobs.filter((b) => referenced.has(b.id)).reduce((n, b) => n + b.size, 0),
          datasetCount: referenced.size,
        };
        await db.workspaces.put(next);
        return next;
      });
    } catch (error) {
      // The new chunks are orphans now; removing them gives the space back at once (best effort: on a
      // closed page collectOrphans does it later).
      for (const blob of written) await this.deleteChunks(blob.id).catch(() => undefined);
      throw explainStorageError(error);
    }
  }

  private async writeChunks(workspaceId: string, bytes: Uint8Array): Promise<BlobRecord> {
    const id = newId();
    const blob: BlobRecord = { id, workspaceId, size: bytes.length, sha256: await sha256Hex(bytes), chunks: 0 };
    try {
      // One transaction per chunk keeps each transaction small; atomicity comes from the commit.
      for (const data of splitChunks(bytes, this.chunkBytes)) {
        // slice(): a stored chunk owns its bytes, never a view of a larger buffer (IndexedDB would copy it whole).
        await this.db.chunks.put({ blobId: id, index: blob.chunks, workspaceId, data: data.slice() });
        blob.chunks++;
      }
    } catch (error) {
      await this.deleteChunks(id).catch(() => undefined);
      throw error;
    }
    return blob;
  }

  private async deleteChunks(blobId: string): Promise<void> {
    await this.db.chunks.where('[blobId+index]').between([blobId, Dexie.minKey], [blobId, Dexie.maxKey]).delete();
  }
}

/** A new workspace with no saved generation yet. */
function emptyRecord(name: string): WorkspaceRecord {
  const now = Date.now();
  return { id: newId(), name, createdAt: now, updatedAt: now, head: null, generation: 0, bytes: 0, datasetCount: 0 };
}
