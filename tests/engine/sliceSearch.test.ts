import { describe, expect, it } from 'vitest';
import { performanceApi, type SliceProgress } from '../../src/engine/api/performance';
import { LanternError } from '../../src/lib/errors';
import type { SliceSearcher } from '../../src/lib/slices/search';
import { errorCode } from '../../src/rpc/errors';
import { ctx, testScheduler } from '../helpers/scheduler';
import { loadFixture } from '../helpers/perf';

const CHOICES = { label: 'label', score: 'score', timestamp: 'timestamp', id: 'prediction_id' };

/** The engine's slice search handed to a SliceSearcher (in the browser: a worker of its own): progress and cancel. */
describe('findSlices with a slice searcher', () => {
  it('reports reading, then every counting pass of each level', async () => {
    await loadFixture('log.csv', 'ss_log');
    const engine = performanceApi(await testScheduler());
    const { id } = await engine.preparePerformance(ctx('p'), { data: 'ss_log', choices: CHOICES });
    const seen: SliceProgress[] = [];
    const found = await engine.findSlices(ctx('f'), id, { maxDepth: 2, threshold: 0.5 }, (p) => seen.push(p));
    expect(seen[0]).toEqual({ phase: 'reading' });
    const searching = seen.filter((p) => p.phase === 'searching');
    for (const level of [1, 2]) {
      const at = searching.filter((p) => p.level === level);
      expect(at.length).toBeGreaterThan(1);
      expect(at.at(-1)!.done).toBe(at.at(-1)!.total);
    }
    expect(found.ms.total).toBeGreaterThanOrEqual(found.ms.search);
    expect(found.discovery.tested).toBeGreaterThan(0);
  });

  it('passes the job signal to the searcher, so cancelling the job stops the search', async () => {
    await loadFixture('log.csv', 'ss_log2');
    const waiting: SliceSearcher = (_request, { signal }) =>
      new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new LanternError('cancelled', 'Cancelled.'))));
    const scheduler = await testScheduler();
    const engine = performanceApi(scheduler, waiting);
    const { id } = await engine.preparePerformance(ctx('p'), { data: 'ss_log2', choices: CHOICES });
    let started!: () => void;
    const searching = new Promise<void>((resolve) => (started = resolve));
    const run = engine.findSlices(ctx('job'), id, { maxDepth: 2, threshold: 0.5 }, (p) => p.phase === 'reading' && started());
    await searching;
    await new Promise((resolve) => setTimeout(resolve, 50));
    scheduler.cancel('job');
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    );
    expect(errorCode(error)).toBe('cancelled');
  });
});
