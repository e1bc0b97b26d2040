import { compareVersions, type CompareInput } from '../../lib/usecases/compare';
import { detectVersions } from '../../lib/versions/detect';
import type { Comparison, VersionsDetection } from '../../lib/versions/types';
import type { CallContext, Scheduler } from '../scheduler';

export type { Comparison, VersionsDetection, CompareInput };

/** Model versions (src/lib/usecases/compare.ts): where they are in a log, and champion against challenger. */
export function versionsApi(scheduler: Scheduler) {
  let nextRun = 0;
  return {
    detectVersions(ctx: CallContext, table: string): Promise<VersionsDetection | null> {
      return scheduler.run(ctx, ({ db, signal }) => detectVersions(db, table, signal));
    },

    compareVersions(ctx: CallContext, input: Omit<CompareInput, 'out'>): Promise<Comparison> {
      // Each run makes (and drops) tables of its own, so two views comparing at once never share one.
      return scheduler.run(ctx, (run) => compareVersions(run, { ...input, out: `versions_${++nextRun}` }));
    },
  };
}
