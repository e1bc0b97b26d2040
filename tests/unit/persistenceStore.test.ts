import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { joinChunks, sha256Hex, splitChunks } from '../../src/persistence/chunks';
import { isQuotaError, PersistenceError } from '../../src/persistence/errors';
import { openLanternDexie, type LanternDexie } from '../../src/persistence/schema';
import { WorkspaceStore } from '../../src/persistence/store';

let db: LanternDexie;
let dbCount = 0;
function freshStore(chunkBytes = 4): WorkspaceStore {
  db = openLanternDexie(`store-test-${++dbCount}`);
  return new WorkspaceStore(db, chunkBytes);
}
afterEach(() => db?.close());

const bytes = (...values: number[]) => Uint8Array.from(values);
const sections = (note: string) => ({ workspace: { version: 1, data: { note } } });

describe('chunks and checksums', () => {
  it('splits into views of at most the chunk size and joins back', () => {
    const data = Uint8Array.from({ length: 10 }, (_, i) => i);
    const parts = splitChunks(data, 4);
    expect(parts.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(joinChunks(parts)).toEqual(data);
    expect(splitChunks(new Uint8Array(0), 4)).toHaveLength(1);
    expect(splitChunks(data, 10)).toHaveLength(1);
    expect(() => splitChunks(data, 0)).toThrow();
  });
  it('computes SHA-256 as the standard test vector says', async () => {
    // FIPS 180-2 appendix B.1: SHA-256("abc").
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('WorkspaceStore generations', () => {
  it('commits state and chunked data, and reads them back checked', async () => {
    const store = freshStore();
    const ws = await store.create('first');
    const saved = await store.commit(ws.id, 0, { sections: sections('a'), tables: { ds_1: { bytes: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9) } } });
    expect(saved.generation).toBe(1);
    expect(saved.bytes).toBe(9);
    expect(saved.datasetCount).toBe(1);
    const { state } = await store.loadHead(ws.id);
    expect(state?.sections).toEqual(sections('a'));
    const blobId = state!.tables['ds_1']!;
    expect(await db.chunks.where('workspaceId').equals(ws.id).count()).toBe(3);
    expect(await store.readBlob(blobId)).toEqual(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9));
  });

  it('reuses stored blobs, and drops data and snapshots the new head no longer uses', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, {
      sections: sections('a'),
      tables: { ds_1: { bytes: bytes(1, 2, 3) }, ds_2: { bytes: bytes(4, 5, 6, 7, 8) } },
    });
    const first = (await store.loadHead(ws.id)).state!;
    await store.commit(ws.id, 1, { sections: sections('b'), tables: { ds_1: { blobId: first.tables['ds_1']! } } });
    const second = (await store.loadHead(ws.id)).state!;
    expect(second.tables['ds_1']).toBe(first.tables['ds_1']);
    expect(await db.snapshots.count()).toBe(1);
    expect(await db.blobs.count()).toBe(1);
    expect(await db.chunks.count()).toBe(1);
    expect((await store.get(ws.id))?.bytes).toBe(3);
  });

  it('refuses a save made from an older generation (another tab saved) and keeps the head', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, { sections: sections('tab A'), tables: {} });
    const stale = store.commit(ws.id, 0, { sections: sections('tab B'), tables: { ds_1: { bytes: bytes(9, 9, 9, 9, 9) } } });
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.loadHead(ws.id)).state?.sections).toEqual(sections('tab A'));
    expect(await db.chunks.count()).toBe(0);
  });

  it('keeps the last good state when the page dies after writing chunks, and collects the orphans later', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, { sections: sections('good'), tables: { ds_1: { bytes: bytes(1, 2) } } });
    // What a closed page leaves: chunks of a new generation, no blob record, head unchanged.
    await db.chunks.bulkPut([
      { blobId: 'dead', index: 0, workspaceId: ws.id, data: bytes(7, 7, 7, 7) },
      { blobId: 'dead', index: 1, workspaceId: ws.id, data: bytes(7) },
    ]);
    const { state } = await store.loadHead(ws.id);
    expect(state?.sections).toEqual(sections('good'));
    expect(await store.readBlob(state!.tables['ds_1']!)).toEqual(bytes(1, 2));
    expect(await store.collectOrphans(ws.id)).toBe(2);
    expect(await db.chunks.count()).toBe(1);
  });

  it('turns a quota refusal into a quota error and leaves the previous state and no new chunks', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, { sections: sections('good'), tables: { ds_1: { bytes: bytes(1, 2) } } });
    const put = db.chunks.put.bind(db.chunks);
    let calls = 0;
    db.chunks.put = ((...args: Parameters<typeof put>) => {
      if (++calls === 2) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      return put(...args);
    }) as typeof put;
    const failing = store.commit(ws.id, 1, {
      sections: sections('new'),
      tables: { ds_1: { bytes: bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) } },
    });
    await expect(failing).rejects.toMatchObject({ code: 'quota' });
    await expect(failing).rejects.toThrow(/last saved state is intact/);
    const { workspace, state } = await store.loadHead(ws.id);
    expect(workspace.generation).toBe(1);
    expect(state?.sections).toEqual(sections('good'));
    expect(await db.chunks.count()).toBe(1);
  });

  it('detects damaged stored data by its checksum', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, { sections: {}, tables: { ds_1: { bytes: bytes(1, 2, 3, 4, 5) } } });
    const blobId = (await store.loadHead(ws.id)).state!.tables['ds_1']!;
    await db.chunks.put({ blobId, index: 1, workspaceId: ws.id, data: bytes(6) });
    await expect(store.readBlob(blobId)).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('lists, renames, duplicates (with copied data) and deletes workspaces', async () => {
    const store = freshStore();
    const a = await store.create('alpha');
    await store.commit(a.id, 0, { sections: sections('x'), tables: { ds_1: { bytes: bytes(1, 2, 3, 4, 5) } } });
    const copy = await store.duplicate(a.id, 'alpha (copy)');
    await store.rename(a.id, 'renamed');
    expect((await store.list()).map((w) => w.name).sort()).toEqual(['alpha (copy)', 'renamed']);
    const copied = (await store.loadHead(copy.id)).state!;
    expect(copied.sections).toEqual(sections('x'));
    expect(await store.readBlob(copied.tables['ds_1']!)).toEqual(bytes(1, 2, 3, 4, 5));
    await store.setLastOpened(a.id);
    await store.delete(a.id);
    expect(await store.lastOpened()).toBeNull();
    expect((await store.list()).map((w) => w.name)).toEqual(['alpha (copy)']);
    expect(await db.chunks.where('workspaceId').equals(a.id).count()).toBe(0);
    expect(await store.readBlob(copied.tables['ds_1']!)).toEqual(bytes(1, 2, 3, 4, 5));
    await expect(store.rename(a.id, 'gone')).rejects.toBeInstanceOf(PersistenceError);
  });
});

describe('isQuotaError', () => {
  it('recognises the shapes IndexedDB and Dexie use', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError({ name: 'BulkError', failures: [{ name: 'QuotaExceededError' }] })).toBe(true);
    expect(isQuotaError(new Error('constraint failed'))).toBe(false);
  });
});

describe('interrupted saves', () => {
  it('a save that never ended is found once on the next start, naming its datasets', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.commit(ws.id, 0, { sections: sections('a'), tables: { ds_1: { bytes: bytes(1, 2, 3) } } });
    await store.beginSave(ws.id, ['late.csv']);
    // The tab dies here: a new store over the same database is the next start.
    const name = db.name;
    db.close();
    db = openLanternDexie(name);
    const next = new WorkspaceStore(db, 4);
    expect(await next.takeInterruptedSave(ws.id)).toEqual(['late.csv']);
    expect(await next.takeInterruptedSave(ws.id)).toBeNull();
    // What was saved before is intact.
    const { state } = await next.loadHead(ws.id);
    expect(await next.readBlob(state!.tables['ds_1']!)).toEqual(bytes(1, 2, 3));
  });

  it('a save that ended, well or badly, leaves no mark', async () => {
    const store = freshStore();
    const ws = await store.create('w');
    await store.beginSave(ws.id, ['a.csv']);
    await store.commit(ws.id, 0, { sections: sections('a'), tables: { ds_1: { bytes: bytes(1) } } });
    await store.endSave(ws.id);
    expect(await store.takeInterruptedSave(ws.id)).toBeNull();
  });
});
