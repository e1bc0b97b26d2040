import { Dexie, type EntityTable } from 'dexie';

/**
 * The IndexedDB schema of saved workspaces. Versions are append-only: a released version is never
 * edited, a change is a new `version(n)` with an upgrade function, and tests open data written by
 * version 1 (tests/unit/persistenceSchema.test.ts). Binary chunk data is never indexed.
 */

/** One entry of the workspace list. `head` points at the snapshot that is the last good state. */
export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Id of the current snapshot, or null for a workspace never saved with content. */
  head: string | null;
  /** Increases with every committed save; a save names the generation it started from. */
  generation: number;
  /** Since version 2: stored bytes (all blobs of the head), for the list without reading blobs. */
  bytes: number;
  /** Since version 2: datasets with data in the head snapshot. */
  datasetCount: number;
}

/** Everything but the data: state sections and which blob holds each dataset table. */
export interface SavedState {
  sections: Record<string, { version: number; data: unknown }>;
  /** Engine table name -> blob id of its Parquet bytes. */
  tables: Record<string, string>;
}

export interface SnapshotRecord {
  id: string;
  workspaceId: string;
  generation: number;
  createdAt: number;
  state: SavedState;
}

/** A dataset's Parquet bytes, stored as `chunks` ChunkRecords; present only once all chunks are written. */
export interface BlobRecord {
  id: string;
  workspaceId: string;
  size: number;
  sha256: string;
  chunks: number;
}

export interface ChunkRecord {
  blobId: string;
  index: number;
  workspaceId: string;
  data: Uint8Array;
}

/** Key-value settings of the app itself (e.g. which workspace was open last). Since version 2. */
export interface MetaRecord {
  key: string;
  value: unknown;
}

export type LanternDexie = Dexie & {
  workspaces: EntityTable<WorkspaceRecord, 'id'>;
  snapshots: EntityTable<SnapshotRecord, 'id'>;
  blobs: EntityTable<BlobRecord, 'id'>;
  chunks: Dexie.Table<ChunkRecord, [string, number]>;
  meta: EntityTable<MetaRecord, 'key'>;
};

export const DATABASE_NAME = 'lantern';

/** Version 1 as released: exported so tests can write data the way the first version did. */
export function defineVersion1(db: Dexie): void {
  db.version(1).stores({
    workspaces: 'id, updatedAt',
    snapshots: 'id, workspaceId',
    blobs: 'id, workspaceId',
    chunks: '[blobId+index], workspaceId',
  });
}

/**
 * Version 2: the workspace list shows size and dataset count without summing blobs, and the app
 * remembers the last open workspace in `meta`. The upgrade fills both from version 1 data.
 */
function defineVersion2(db: Dexie): void {
  db.version(2)
    .stores({ meta: 'key' })
    .upgrade(async (tx) => {
      const snapshots = new Map<string, SavedState>();
      await tx.table<SnapshotRecord>('snapshots').each((s) => void snapshots.set(s.id, s.state));
      const sizes = new Map<string, number>();
      await tx.table<BlobRecord>('blobs').each((b) => void sizes.set(b.id, b.size));
      let latest: WorkspaceRecord | undefined;
      await tx
        .table<WorkspaceRecord>('workspaces')
        .toCollection()
        .modify((w) => {
          const state = w.head ? snapshots.get(w.head) : undefined;
          const blobIds = Object.values(state?.tables ?? {});
          w.bytes = blobIds.reduce((n, id) => n + (sizes.get(id) ?? 0), 0);
          w.datasetCount = blobIds.length;
          if (!latest || w.updatedAt > latest.updatedAt) latest = w;
        });
      if (latest) await tx.table<MetaRecord>('meta').put({ key: 'lastOpened', value: latest.id });
    });
}

export function openLanternDexie(name = DATABASE_NAME): LanternDexie {
  const db = new Dexie(name) as LanternDexie;
  defineVersion1(db);
  defineVersion2(db);
  return db;
}
