import { transfer, wrap, type Remote } from 'comlink';
import type { ModelSummary, ShapApi } from '../engine/shapApi';
import type { ReplayOptions, ReplayResult } from '../lib/model/replay';
import { cancelledError } from '../rpc/errors';

export type { ModelSummary } from '../engine/shapApi';
export type { ReplayResult } from '../lib/model/replay';

export type ShapMethod = 'path-dependent' | 'interventional';

export interface ShapRun {
  rows: number;
  numFeatures: number;
  numOutputs: number;
  /** values[(row * numOutputs + output) * numFeatures + feature], raw margin */
  values: Float64Array;
  expectedValue: Float64Array;
}

interface Member {
  worker: Worker;
  api: Remote<ShapApi>;
  /** The model (and background) this worker has loaded, so a replaced worker can be brought up to date. */
  ready: Promise<unknown>;
}

/**
 * A pool of TreeSHAP workers sized to the machine (navigator.hardwareConcurrency). Rows are cut into
 * blocks handed to whichever worker is free; each block's rows go out and its values come back as
 * typed arrays in the transfer list. Cancelling terminates the busy workers (a synchronous TreeSHAP
 * loop cannot hear a message) and starts fresh ones that reload the model. Workers start on first use;
 * `src/main.ts` makes the page's one pool and hands it to the workspace.
 */
export class ShapPool {
  private members: Member[] = [];
  private modelBytes: Uint8Array | null = null;
  private modelName = '';
  private background: { X: Float64Array; rows: number } | null = null;

  constructor(readonly size = Math.max(1, Math.min(16, globalThis.navigator?.hardwareConcurrency ?? 2))) {}

  private spawn(): Member {
    const worker = new Worker(new URL('../../workers/shap.worker.ts', import.meta.url), { type: 'module', name: 'lantern-shap' });
    const api = wrap<ShapApi>(worker);
    const member: Member = { worker, api, ready: Promise.resolve() };
    member.ready = this.bringUpToDate(member);
    return member;
  }

  private async bringUpToDate(member: Member): Promise<void> {
    if (this.modelBytes) await member.api.loadModel(this.modelBytes.slice(), this.modelName);
    if (this.background) await member.api.setBackground(this.background.X.slice(), this.background.rows);
  }

  private member(i: number): Member {
    while (this.members.length <= i) this.members.push(this.spawn());
    return this.members[i]!;
  }

  /** Whether the first bytes of a file are a model Lantern reads (decided in a worker, by content). */
  async isModel(head: Uint8Array): Promise<boolean> {
    return (await this.member(0).api.detect(head)) !== null;
  }

  /** Parses the model in one worker (errors surface here), then in the others. */
  async loadModel(bytes: Uint8Array, name: string): Promise<ModelSummary> {
    const summary = await this.member(0).api.loadModel(bytes.slice(), name);
    this.modelBytes = bytes;
    this.modelName = name;
    this.background = null;
    for (let i = 1; i < this.members.length; i++) {
      const m = this.members[i]!;
      m.ready = m.ready.then(() => m.api.loadModel(bytes.slice(), name));
    }
    return summary;
  }

  /** Sets the background sample for interventional SHAP on every worker; returns its expected value. */
  async setBackground(X: Float64Array, rows: number): Promise<Float64Array> {
    this.background = { X, rows };
    const expected = await this.member(0).api.setBackground(X.slice(), rows);
    for (let i = 1; i < this.members.length; i++) {
      const m = this.members[i]!;
      m.ready = m.ready.then(() => m.api.setBackground(X.slice(), rows));
    }
    return expected;
  }

  async replay(X: Float64Array, rows: number, logged: Float64Array, options: ReplayOptions = {}): Promise<ReplayResult> {
    return this.member(0).api.replay(X, rows, logged, options);
  }

  /**
   * TreeSHAP for `rows` rows of X (row-major, numFeatures wide), spread over the pool. X is consumed:
   * its blocks are transferred to the workers.
   */
  async explain(
    X: Float64Array,
    rows: number,
    numFeatures: number,
    numOutputs: number,
    method: ShapMethod,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<ShapRun> {
    const values = new Float64Array(rows * numOutputs * numFeatures);
    let expectedValue: Float64Array = new Float64Array(numOutputs);
    const blockRows = Math.max(32, Math.min(4096, Math.ceil(rows / (this.size * 8))));
    const blocks: [number, number][] = [];
    for (let start = 0; start < rows; start += blockRows) blocks.push([start, Math.min(rows, start + blockRows)]);
    let next = 0;
    let done = 0;
    let cancelled = false;
    const busy = new Set<number>();
    const onAbort = () => {
      cancelled = true;
      // A worker inside a synchronous TreeSHAP loop cannot be interrupted: replace it.
      for (const i of busy) {
        this.members[i]!.worker.terminate();
        this.members[i] = this.spawn();
      }
    };
    if (options.signal?.aborted) throw cancelledError();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.onProgress?.(0, rows);
    const run = async (i: number) => {
      const member = this.member(i);
      await member.ready;
      while (!cancelled && next < blocks.length) {
        const [start, end] = blocks[next++]!;
        const block = X.slice(start * numFeatures, end * numFeatures);
        busy.add(i);
        const result = await Promise.race([
          member.api.explainBlock(transfer(block, [block.buffer]), end - start, method),
          new Promise<null>((resolve) => options.signal?.addEventListener('abort', () => resolve(null), { once: true })),
        ]);
        busy.delete(i);
        if (!result || cancelled) return;
        values.set(result.values, start * numOutputs * numFeatures);
        expectedValue = result.expectedValue;
        done += end - start;
        options.onProgress?.(done, rows);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.size, Math.max(1, blocks.length)) }, (_, i) => run(i)));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (cancelled) throw cancelledError();
    if (rows === 0) {
      // No rows: still report the base value.
      const empty = await this.member(0).api.explainBlock(new Float64Array(0), 0, method);
      expectedValue = empty.expectedValue;
    }
    return { rows, numFeatures, numOutputs, values, expectedValue };
  }

  dispose(): void {
    for (const m of this.members) m.worker.terminate();
    this.members = [];
  }
}
