import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { defineVersion1, openLanternDexie, type BlobRecord, type SnapshotRecord } from '../../src/persistence/schema';
import { WorkspaceStore } from '../../src/persistence/store';
import { sha256Hex } from '../../src/persistence/chunks';

/**
 * Data written by schema version 1 (exactly as that version wrote it: no `bytes`/`datasetCount` on
 * workspaces, no `meta` table) must open with the current schema, upgraded, and stay readable.
 */
describe('schema upgrades', () => {
  it('opens a version 1 database and fills what version 2 added', async () => {
    const name = 'schema-v1';
    const v1 = new Dexie(name);
    defineVersion1(v1);
    const data = Uint8Array.from([80, 65, 82, 49, 1, 2, 3]);
    const blob: BlobRecord = { id: 'b1', workspaceId: 'w1', size: data.length, sha256: await sha256Hex(data), chunks: 2 };
    const snapshot: SnapshotRecord = {
      id: 's1',
      workspaceId: 'w1',
      generation: 3,
      createdAt: 1,
      state: { sections: { workspace: { version: 1, data: { view: 'data' } } }, tables: { ds_1: 'b1' } },
    };
    await v1.table('workspaces').bulkAdd([
      { id: 'w1', name: 'older', createdAt: 1, updatedAt: 10, head: 's1', generation: 3 },
      { id: 'w2', name: 'empty but newer', createdAt: 2, updatedAt: 20, head: null, generation: 0 },
    ]);
    await v1.table('snapshots').add(snapshot);
    await v1.table('blobs').add(blob);
    await v1.table('chunks').bulkAdd([
      { blobId: 'b1', index: 0, workspaceId: 'w1', data: data.slice(0, 4) },
      { blobId: 'b1', index: 1, workspaceId: 'w1', data: data.slice(4) },
    ]);
    v1.close();

    const current = openLanternDexie(name);
    const store = new WorkspaceStore(current);
    expect(current.verno).toBe(2);
    const list = await store.list();
    expect(list.map((w) => [w.name, w.bytes, w.datasetCount])).toEqual([
      ['empty but newer', 0, 0],
      ['older', 7, 1],
    ]);
    expect(await store.lastOpened()).toBe('w2');
    const { state } = await store.loadHead('w1');
    expect(state).toEqual(snapshot.state);
    expect(await store.readBlob('b1')).toEqual(data);
    // And the upgraded database takes new saves from where version 1 left off.
    const next = await store.commit('w1', 3, { sections: {}, tables: { ds_1: { blobId: 'b1' } } });
    expect(next.generation).toBe(4);
    current.close();
  });
});
