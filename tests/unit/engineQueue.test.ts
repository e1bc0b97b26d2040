import { describe, expect, it } from 'vitest';
import { EngineQueue, Preempted, type Priority } from '../../src/engine/queue';
import { errorCode } from '../../src/rpc/errors';

/** A step that records when it runs and waits for `release` (or an interrupt, which it reports as Preempted). */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  return { release, released };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the engine queue', () => {
  it('runs one step at a time, the most urgent first, in arrival order within a priority', async () => {
    const queue = new EngineQueue();
    const order: string[] = [];
    const first = gate();
    const running = queue.enqueue(async () => {
      order.push('first');
      await first.released;
    });
    const steps = (
      [
        ['b1', 'background'],
        ['v1', 'view'],
        ['u1', 'user'],
        ['v2', 'view'],
        ['u2', 'user'],
      ] as [string, Priority][]
    ).map(([name, priority]) => queue.enqueue(async () => void order.push(name), { priority }));
    await tick();
    expect(order).toEqual(['first']);
    first.release();
    await Promise.all([running, ...steps]);
    expect(order).toEqual(['first', 'u1', 'u2', 'v1', 'v2', 'b1']);
  });

  it('interrupts a running background step for urgent work and runs it again afterwards', async () => {
    const queue = new EngineQueue();
    const order: string[] = [];
    let attempts = 0;
    const background = queue.enqueue(
      (interrupt) =>
        new Promise<string>((resolve, reject) => {
          attempts++;
          order.push(`background#${attempts}`);
          if (attempts > 1) return resolve('done');
          interrupt.addEventListener('abort', () => reject(new Preempted()));
        }),
      { priority: 'background' },
    );
    await tick();
    const urgent = queue.enqueue(async () => void order.push('user'), { priority: 'user' });
    await expect(background).resolves.toBe('done');
    await urgent;
    expect(order).toEqual(['background#1', 'user', 'background#2']);
  });

  it('never interrupts view or user steps, nor background steps marked unpreemptible', async () => {
    const queue = new EngineQueue();
    for (const [priority, preemptible] of [
      ['view', true],
      ['background', false],
    ] as [Priority, boolean][]) {
      let interrupted = false;
      const g = gate();
      const step = queue.enqueue(
        async (interrupt) => {
          interrupt.addEventListener('abort', () => (interrupted = true));
          await g.released;
        },
        { priority, preemptible },
      );
      await tick();
      const urgent = queue.enqueue(async () => undefined, { priority: 'user' });
      await tick();
      expect(interrupted).toBe(false);
      g.release();
      await Promise.all([step, urgent]);
    }
  });

  it('rejects a waiting step whose signal is aborted before it runs, and keeps going', async () => {
    const queue = new EngineQueue();
    const g = gate();
    const running = queue.enqueue(() => g.released);
    const controller = new AbortController();
    let ran = false;
    const cancelled = queue.enqueue(async () => void (ran = true), { signal: controller.signal });
    const after = queue.enqueue(async () => 'after');
    controller.abort();
    g.release();
    await running;
    expect(errorCode(await cancelled.catch((e: unknown) => e))).toBe('cancelled');
    await expect(after).resolves.toBe('after');
    expect(ran).toBe(false);
    expect(queue.size).toBe(0);
  });

  it('passes a step failure to its caller only', async () => {
    const queue = new EngineQueue();
    const failing = queue.enqueue(async () => {
      throw new Error('boom');
    });
    const next = queue.enqueue(async () => 42);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(42);
  });
});
