import type { Investigation } from '../../lib/findings/types';
import { parseModel } from '../../lib/model/load';
import { inferSetup } from '../../lib/setup/infer';
import type { Setup, SetupInput } from '../../lib/setup/types';
import type { SliceSearcher } from '../../lib/slices/search';
import { investigate } from '../../lib/usecases/investigate';
import { callKey, type CallContext, type Scheduler } from '../scheduler';

export type { Investigation, Setup, SetupInput };

/** Where an investigation is: the step it runs and how many of its steps are done. */
export interface InvestigationProgress {
  step: string;
  done: number;
  total: number;
}

/** What the user may set about an investigation. */
export interface InvestigationSettings {
  /** Segment x window cells with fewer rows are too small: never ranked (default: chosen from the log's size). */
  minSupport?: number | null | undefined;
}

/**
 * Which dataset is what and which column holds what (the setup), and the investigation over it: the ranked
 * findings the Overview shows. Both are kept per inputs, so going back to the Overview costs nothing.
 */
export function investigationApi(scheduler: Scheduler, search?: SliceSearcher) {
  return {
    inferSetup(ctx: CallContext, datasets: SetupInput[]): Promise<Setup> {
      return scheduler.run(ctx, ({ db, signal }) => inferSetup(db, datasets, { signal }), {
        key: callKey('inferSetup', datasets),
        cache: true,
        tables: datasets.map((d) => d.table),
      });
    },

    investigate(
      ctx: CallContext,
      setup: Setup,
      model?: { bytes: Uint8Array; name: string },
      onProgress?: (p: InvestigationProgress) => void,
      options: InvestigationSettings = {},
    ): Promise<Investigation> {
      const tables = setup.datasets.map((d) => d.table);
      return scheduler.run(
        ctx,
        (run) =>
          investigate(
            run,
            { setup, ...(model ? { model: parseModel(model.bytes, model.name), modelName: model.name } : {}) },
            {
              ...(search ? { search } : {}),
              out: `__investigation_${ctx.jobId.replace(/\W/g, '_')}`,
              ...(options.minSupport ? { minSupport: options.minSupport } : {}),
              onProgress: (step, done, total) => void onProgress?.({ step, done, total }),
            },
          ),
        {
          key: callKey('investigate', setup, model ? [model.name, model.bytes.length] : null, options.minSupport ?? null),
          cache: true,
          tables,
        },
      );
    },
  };
}
