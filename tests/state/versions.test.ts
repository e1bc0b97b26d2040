import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/client/engine';
import { Dataset } from '../../src/state/dataset.svelte';
import { VersionsState } from '../../src/state/versions.svelte';
import { fakeEngine, loadedTable } from './fakeWorkspace';

const LAYOUT = { mode: 'paired', champion: 'score_v1', challenger: 'score_v2' } as const;

function dataset(table: string, name: string, columns: string[], part: Dataset['part']): Dataset {
  const d = new Dataset(loadedTable(table, name, columns));
  d.part = part;
  return d;
}

/** A comparison as the engine answers it, marked with the labels table it was made with. */
const comparison = (labels: unknown) =>
  ({ comparisons: [{ verdict: { decision: labels ? 'promote' : 'hold', reasons: [] } }] }) as unknown as Comparison;

function setup() {
  const log = dataset('ds_1', 'log.csv', ['flight_id', 'late', 'score_v1', 'score_v2'], 'current');
  const labels = dataset('ds_2', 'labels.csv', ['flight_id', 'late'], null);
  let all = [log];
  let release: (() => void) | null = null;
  const { engine, calls } = fakeEngine({
    detectVersions: () => ({ layout: LAYOUT, reasons: [] }),
    compareVersions: async (input) => {
      // The first comparison is slow: the labels file is read while it runs.
      if (calls.filter((c) => c.method === 'compareVersions').length === 1) await new Promise<void>((r) => (release = r));
      return comparison((input as { labels?: string }).labels);
    },
  });
  const versions = new VersionsState(engine, () => all);
  return {
    versions,
    calls,
    compared: () => calls.filter((c) => c.method === 'compareVersions').map((c) => c.args[0] as Record<string, unknown>),
    addLabels() {
      all = [log, labels];
      labels.part = 'labels';
    },
    release: () => release?.(),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('VersionsState follows the data', () => {
  it('compares again when the labels file is read after the verdict was made without it', async () => {
    const s = setup();
    const first = s.versions.ensure();
    await settle();
    s.release();
    await first;
    expect(s.versions.verdict?.decision).toBe('hold');
    expect(s.compared()[0]!['labels']).toBeUndefined();
    s.addLabels();
    s.versions.followSetup();
    await expect.poll(() => s.versions.verdict?.decision).toBe('promote');
    expect(s.compared().at(-1)!['labels']).toBe('ds_2');
    // The same setup again: no new comparison.
    const n = s.compared().length;
    s.versions.followSetup();
    await settle();
    expect(s.compared()).toHaveLength(n);
  });

  it('compares again when the labels file arrives while the first comparison still runs', async () => {
    const s = setup();
    const first = s.versions.ensure();
    await settle();
    s.addLabels();
    s.versions.followSetup();
    s.release();
    await first;
    await expect.poll(() => s.versions.verdict?.decision).toBe('promote');
    expect(s.versions.busy).toBe(false);
  });

  it('takes two model files as the versions, the champion first by name, and swaps them', async () => {
    const s = setup();
    s.addLabels();
    await s.versions.addModel({ bytes: new Uint8Array([1]), name: 'model_v2.json' });
    expect(s.compared()).toHaveLength(0);
    const second = s.versions.addModel({ bytes: new Uint8Array([2]), name: 'model_v1.json' });
    await settle();
    s.release();
    await second;
    expect(s.versions.fromModels).toBe(true);
    expect(s.versions.layout).toEqual({ mode: 'paired', champion: 'model_v1.json', challenger: 'model_v2.json' });
    const files = (i: number) => (s.compared()[i]!['modelFiles'] as { name: string }[]).map((m) => m.name);
    expect(files(0)).toEqual(['model_v1.json', 'model_v2.json']);
    expect(s.compared()[0]!['data']).toBe('ds_1');
    expect(s.compared()[0]!['labels']).toBe('ds_2');
    // No version checks for model files: their outputs are no columns a suite could read in CI.
    expect(s.versions.suiteAddition()).toBeNull();
    await s.versions.swapModels();
    expect(files(1)).toEqual(['model_v2.json', 'model_v1.json']);
    // A third model file: the last two dropped are compared.
    await s.versions.addModel({ bytes: new Uint8Array([3]), name: 'model_v3.json' });
    expect(files(2)).toEqual(['model_v1.json', 'model_v3.json']);
  });
});
