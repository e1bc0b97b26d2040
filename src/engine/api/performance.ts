import type { BinaryReport } from '../../lib/metrics/binary';
import type { CostReport } from '../../lib/metrics/costViews';
import type { CostSettings } from '../../lib/metrics/costs';
import type { CustomMetric, MetricCheck } from '../../lib/metrics/custom';
import type { OverallPerformance } from '../../lib/metrics/performance';
import type { AtThreshold, SliceRow, ThresholdViewsWanted } from '../../lib/metrics/thresholdViews';
import type { HeatmapCell } from '../../lib/slices/heatmap';
import type { SliceSearcher } from '../../lib/slices/search';
import {
  openPerformance,
  type CustomMetricsResult,
  type OverTime,
  type PerformanceInput,
  type PerformanceSession,
  type PerformanceSummary,
  type PlacePerformance,
  type SliceFindings,
  type SliceProgress,
  type SliceSearchOptions,
} from '../../lib/usecases/performance';
import { LanternError } from '../../lib/errors';
import type { Place } from '../../lib/drift/place';
import type { CallContext, Scheduler } from '../scheduler';

export type {
  PerformanceSummary,
  OverTime,
  SliceFindings,
  SliceProgress,
  PlacePerformance,
  CustomMetricsResult,
  CostReport,
  CostSettings,
  CustomMetric,
};

/**
 * Performance sessions (src/lib/usecases/performance.ts) kept in the worker between calls. Each session
 * has an owner (the view or analysis that prepared it): preparing a new one for the same owner disposes
 * the old one and its joined table, so changing the task or the positive class never leaves a copy of the
 * log behind.
 */
export function performanceApi(scheduler: Scheduler, search?: SliceSearcher) {
  const sessions = new Map<string, { session: PerformanceSession; owner: string }>();
  let nextSession = 0;
  const session = (id: string) => {
    const s = sessions.get(id)?.session;
    if (!s) throw new LanternError('usage', 'This performance analysis was closed; open the Performance view again.');
    return s;
  };
  const dispose = async (ctx: CallContext, id: string) => {
    const entry = sessions.get(id);
    if (!entry) return;
    sessions.delete(id);
    await scheduler.run(ctx, (run) => entry.session.dispose(run));
  };

  return {
    preparePerformance(
      ctx: CallContext,
      input: Omit<PerformanceInput, 'out'>,
      owner = 'performance',
    ): Promise<{ id: string; summary: PerformanceSummary }> {
      return scheduler.run(ctx, async (run) => {
        const id = `perf_${++nextSession}`;
        const session = await openPerformance(run, { ...input, out: `${id}_rows` });
        for (const [old, entry] of sessions) if (entry.owner === owner) await dispose(ctx, old);
        sessions.set(id, { session, owner });
        return { id, summary: session.summary };
      });
    },

    /** Drops a session's joined table (the view that owned it closed, or the workspace was cleared). */
    disposePerformance(ctx: CallContext, id: string): Promise<void> {
      return dispose(ctx, id);
    },

    /** Tables the open sessions hold, for tests that check nothing leaks. */
    performanceTables(_ctx: CallContext): string[] {
      return [...sessions.values()].map((s) => s.session.table);
    },

    overall(ctx: CallContext, id: string, threshold: number): Promise<OverallPerformance> {
      return scheduler.run(ctx, (run) => session(id).overall(run, threshold));
    },

    /**
     * A slider move: overall metrics, confusion matrix, metrics and CBPE per window, the slice table and the
     * heatmap at a new threshold, all from the cached per-score counts (no query).
     */
    atThreshold(_ctx: CallContext, id: string, threshold: number, wanted: ThresholdViewsWanted = {}): AtThreshold | null {
      return sessions.get(id)?.session.atThreshold(threshold, wanted) ?? null;
    },

    /** Full binary report at a threshold, with bootstrap intervals (after the slider settles). */
    reportAt(_ctx: CallContext, id: string, threshold: number): BinaryReport | null {
      return sessions.get(id)?.session.reportAt(threshold) ?? null;
    },

    overTime(ctx: CallContext, id: string, threshold: number): Promise<OverTime> {
      return scheduler.run(ctx, (run) => session(id).overTime(run, threshold));
    },

    bySlice(ctx: CallContext, id: string, dimension: string, threshold: number): Promise<SliceRow[]> {
      return scheduler.run(ctx, (run) => session(id).bySlice(run, dimension, threshold));
    },

    findSlices(
      ctx: CallContext,
      id: string,
      options: SliceSearchOptions,
      onProgress?: (progress: SliceProgress) => void,
    ): Promise<SliceFindings> {
      return scheduler.run(ctx, (run) => session(id).findSlices(run, options, (p) => void onProgress?.(p), search));
    },

    /** The model in a finding's place (segment and window) against the rest, the reference and over time. */
    placePerformance(ctx: CallContext, id: string, place: Place, threshold: number): Promise<PlacePerformance> {
      return scheduler.run(ctx, (run) => session(id).placePerformance(run, place, threshold));
    },

    /** Costs at a threshold, the cost-optimal threshold, and costs by window and by the slice dimension shown. */
    costs(ctx: CallContext, id: string, settings: CostSettings, threshold: number, dimension?: string | null): Promise<CostReport> {
      return scheduler.run(ctx, (run) => session(id).costs(run, settings, threshold, dimension));
    },

    /** Checks a custom metric against the session's joined table (a usage error names the problem). */
    checkCustomMetric(ctx: CallContext, id: string, metric: CustomMetric): Promise<MetricCheck> {
      return scheduler.run(ctx, (run) => session(id).checkCustomMetric(run, metric));
    },

    customMetrics(ctx: CallContext, id: string, metrics: CustomMetric[], dimension?: string | null): Promise<CustomMetricsResult> {
      return scheduler.run(ctx, (run) => session(id).customMetrics(run, metrics, dimension));
    },

    heatmap(ctx: CallContext, id: string, x: string, y: string, metric: string, threshold: number): Promise<HeatmapCell[]> {
      return scheduler.run(ctx, (run) => session(id).heatmap(run, x, y, metric, threshold));
    },
  };
}
