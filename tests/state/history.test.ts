import { describe, expect, it } from 'vitest';
import type { CallOptions, Engine } from '../../src/client/engine';
import { decodeProfile, encodeProfile } from '../../src/lib/profiles/codec';
import type { Profile } from '../../src/lib/profiles/format';
import { batchesOf, historyReport, type HistorySettings, type NamedProfile } from '../../src/lib/profiles/history';
import { HistoryState, isProfileFile } from '../../src/state/history.svelte';

/** The engine's profile methods, run in the test's thread: the worker runs the same core functions. */
function engine(): Engine {
  const api = {
    readProfile: (bytes: Uint8Array) => decodeProfile(bytes),
    encodeProfile: (p: Profile) => encodeProfile(p),
    historyReport: (ref: NamedProfile, batches: NamedProfile[], s: Partial<HistorySettings>) => historyReport(ref, batchesOf(batches), s),
  };
  const client = (_options: CallOptions): Engine =>
    new Proxy({} as Engine, {
      get: (_t, method: string) => {
        if (method === 'with') return (next: CallOptions) => client(next);
        if (method === 'then') return undefined;
        const f = (api as Record<string, (...a: never[]) => unknown>)[method];
        if (!f) throw new Error(`the fake engine has no ${method}`);
        return async (...args: never[]) => f(...args);
      },
    });
  return client({});
}

function profile(rows: number, values: [number, number][]): Profile {
  const finite = values.reduce((s, [, c]) => s + c, 0);
  return {
    format: 'lantern-profile',
    version: 1,
    sketch: { kind: 'log-buckets', alpha: 0.001 },
    caps: { numericValues: 2048, textValues: 2048 },
    sources: [],
    columns: [{ name: 'x', kind: 'numeric', type: 'DOUBLE' }],
    roles: {},
    performance: null,
    time: null,
    segments: [],
    parts: [
      {
        window: null,
        segment: null,
        rows,
        text: {},
        performance: null,
        numeric: {
          x: {
            nulls: rows - finite,
            nan: 0,
            posInf: 0,
            negInf: 0,
            finite,
            zeros: 0,
            min: Math.min(...values.map(([v]) => v)),
            max: Math.max(...values.map(([v]) => v)),
            sum: values.reduce((s, [v, c]) => s + v * c, 0),
            sumSquares: values.reduce((s, [v, c]) => s + v * v * c, 0),
            values: [values.map(([v]) => v), values.map(([, c]) => c)],
            positive: [[], []],
            negative: [[], []],
          },
        },
      },
    ],
  };
}

const file = (p: Profile) => new Blob([encodeProfile(p) as Uint8Array<ArrayBuffer>]);

describe('the history state', () => {
  it('keeps dropped profiles, the first as the reference, and reports the batches against it', async () => {
    const notices: string[] = [];
    const history = new HistoryState(engine(), (_k, m) => notices.push(m));
    expect(await isProfileFile(file(profile(4, [[1, 4]])))).toBe(true);
    expect(await isProfileFile(new Blob(['x,y\n1,2\n']))).toBe(false);
    await history.addProfileFile(
      file(
        profile(4, [
          [1, 2],
          [2, 2],
        ]),
      ),
      'ref.lprofile',
    );
    expect(history.report).toBeNull();
    await history.addProfileFile(
      file(
        profile(4, [
          [1, 2],
          [2, 2],
        ]),
      ),
      'same.lprofile',
    );
    await history.addProfileFile(file(profile(4, [[2, 1]])), 'holes.lprofile');
    await history.refresh();
    expect(history.reference?.name).toBe('ref.lprofile');
    expect(history.report!.batches.map((b) => b.name)).toEqual(['same.lprofile', 'holes.lprofile']);
    expect(history.report!.firstRegression).toBe('holes.lprofile');
    // A damaged file is refused with a message; nothing is added.
    expect(await history.addProfileFile(new Blob(['{"format":"lantern-profile","version":1}']), 'bad.lprofile')).toBe(false);
    expect(notices[0]).toMatch(/"bad.lprofile" could not be opened: This profile file is damaged/);
    expect(history.entries.length).toBe(3);
    // A kept profile downloads as the same file, under a profile's name.
    const f = history.fileOf(history.entries[1]!);
    expect(f.name).toBe('same.lprofile');
    expect(decodeProfile(new Uint8Array(await f.blob.arrayBuffer()))).toEqual(history.entries[1]!.profile);
    expect(history.fileOf({ ...history.entries[1]!, name: 'day.csv' }).name).toBe('day.lprofile');
  });

  it('saves the profiles, the reference and the limits; a damaged saved profile is left out with a warning', async () => {
    const history = new HistoryState(engine(), () => {});
    await history.addProfileFile(file(profile(4, [[1, 4]])), 'a');
    await history.addProfileFile(file(profile(4, [[1, 4]])), 'b');
    history.setReference(history.entries[1]!.id);
    history.setSetting('metricDrop', 0.1);
    history.setSetting('missingRise', 7); // out of range: ignored
    const saved = history.save();
    expect(saved.reference).toBe(1);
    expect(saved.settings).toMatchObject({ metricDrop: 0.1, missingRise: 0.05 });

    const restored = new HistoryState(engine(), () => {});
    const warnings: string[] = [];
    await restored.restore({ ...saved, entries: [...saved.entries, { name: 'c', base64: 'AAAA' }] }, (m) => warnings.push(m));
    expect(restored.entries.map((e) => e.name)).toEqual(['a', 'b']);
    expect(restored.reference?.name).toBe('b');
    expect(restored.settings.metricDrop).toBe(0.1);
    expect(warnings).toEqual([expect.stringMatching(/saved profile "c" could not be read/)]);
    expect(restored.report!.reference.name).toBe('b');
    restored.reset();
    expect([restored.entries.length, restored.report]).toEqual([0, null]);
  });
});
