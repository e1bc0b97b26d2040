import { parseModel } from '../../lib/model/load';
import { compareVersions, type CompareInput } from '../../lib/usecases/compare';
import { detectVersions } from '../../lib/versions/detect';
import type { Comparison, VersionsDetection } from '../../lib/versions/types';
import type { CallContext, Scheduler } from '../scheduler';

export type { Comparison, VersionsDetection, CompareInput };

/** A comparison asked for by the app: two model files travel as their bytes and are parsed here. */
export interface CompareRequest extends Omit<CompareInput, 'out' | 'models'> {
  /** Two model files, the champion first: the log is scored with each (`lantern compare --model`). */
  modelFiles?: { bytes: Uint8Array; name: string }[] | undefined;
}

/** Model versions (src/lib/usecases/compare.ts): where they are in a log, and champion against challenger. */
export function versionsApi(scheduler: Scheduler) {
  let nextRun = 0;
  return {
    detectVersions(ctx: CallContext, table: string): Promise<VersionsDetection | null> {
      return scheduler.run(ctx, ({ db, signal }) => detectVersions(db, table, signal));
    },

    compareVersions(ctx: CallContext, request: CompareRequest): Promise<Comparison> {
      const { modelFiles, ...input } = request;
      // Each run makes (and drops) tables of its own, so two views comparing at once never share one.
      return scheduler.run(ctx, (run) =>
        compareVersions(run, {
          ...input,
          ...(modelFiles ? { models: modelFiles.map((m) => ({ name: m.name, model: parseModel(m.bytes, m.name) })) } : {}),
          out: `versions_${++nextRun}`,
        }),
      );
    },
  };
}
