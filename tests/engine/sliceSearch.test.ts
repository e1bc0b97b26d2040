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

  it('ranks slices after SliceLine, counting only the passes SliceLine did not make, and reports them as their own stage', async () => {
    await loadFixture('ranked.csv', 'ss_ranked');
    const engine = performanceApi(await testScheduler());
    const { id } = await engine.preparePerformance(ctx('p'), { data: 'ss_ranked', choices: { label: 'label', score: 'score' } });
    const seen: SliceProgress[] = [];
    // Depth 1: SliceLine counts no pairs, so every pair is the ranking's.
    const found = await engine.findSlices(ctx('f'), id, { maxDepth: 1, metric: 'log_loss', threshold: 0.5 }, (p) => seen.push(p));
    const ranking = seen.filter((p) => p.phase === 'searching' && p.stage === 'ranking');
    expect(ranking.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect(found.ranked.slices[0]!.label).toBe('channel = partner AND device = tablet');
    expect(found.discovery.slices.map((s) => s.label)).not.toContain('channel = partner AND device = tablet');
    // No timestamp and no reference: nothing to compare over time.
    expect(found.worsenedRuns).toBeNull();
    expect(found.ms.ranking).toBeGreaterThanOrEqual(0);
    // Depth 2: the ranking reuses SliceLine's passes and finds the same.
    const again = await engine.findSlices(ctx('f2'), id, { maxDepth: 2, metric: 'log_loss', threshold: 0.5 });
    expect(again.ranked).toEqual(found.ranked);
  });

  it('compares slices of one or two conditions window by window when the log has a timestamp', async () => {
    await loadFixture('log.csv', 'ss_log3');
    const engine = performanceApi(await testScheduler());
    const { id } = await engine.preparePerformance(ctx('p'), { data: 'ss_log3', choices: CHOICES });
    const found = await engine.findSlices(ctx('f'), id, { maxDepth: 2, threshold: 0.5 });
    expect(found.worsenedRuns).toMatchObject({ baseline: 'earlier windows' });
    expect(found.worsenedRuns!.compared).toBeGreaterThan(0);
  });
});
