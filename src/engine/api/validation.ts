import { parseModel } from '../../lib/model/load';
import { openPerformance, type PerformanceInput, type PerformanceSession, type PerformanceSummary } from '../../lib/usecases/performance';
import {
  openValidation,
  type ValidationOptions,
  type ValidationProgress,
  type ValidationReport,
  type ValidationSession,
} from '../../lib/usecases/validate';
import type { CallContext, Scheduler } from '../scheduler';

export type { ValidationReport, ValidationProgress };

export interface ValidationInput extends Omit<PerformanceInput, 'out'> {
  options: Omit<ValidationOptions, 'model'>;
}

/**
 * Validation before deployment (src/lib/usecases/validate.ts) kept in the worker between calls: one open
 * validation at a time, with its own joined table (dropped when a new one opens), so a threshold or
 * minimum-group-size change is answered from cached counts without a query.
 */
export function validationApi(scheduler: Scheduler) {
  let open: { id: string; perf: PerformanceSession; session: ValidationSession } | null = null;
  let next = 0;

  const close = async (ctx: CallContext) => {
    const old = open;
    open = null;
    if (old) await scheduler.run(ctx, (run) => old.perf.dispose(run));
  };

  return {
    /** `model`: the model file's bytes (the Explain view's), parsed here as `lantern validate --model` does. */
    openValidation(
      ctx: CallContext,
      input: ValidationInput,
      model?: { bytes: Uint8Array; name: string },
      onProgress?: (p: ValidationProgress) => void,
    ): Promise<{ id: string; summary: PerformanceSummary; report: ValidationReport }> {
      return scheduler.run(ctx, async (run) => {
        const id = `validation_${++next}`;
        const perf = await openPerformance(run, {
          data: input.data,
          labels: input.labels,
          reference: input.reference,
          choices: input.choices,
          out: `${id}_rows`,
        });
        try {
          const ensemble = model ? parseModel(model.bytes, model.name) : undefined;
          const session = await openValidation(run, perf, { ...input.options, model: ensemble }, (p) => void onProgress?.(p));
          if (open) await open.perf.dispose(run);
          open = { id, perf, session };
          return { id, summary: perf.summary, report: session.at() };
        } catch (error) {
          await perf.dispose(run);
          throw error;
        }
      });
    },

    /** A threshold or minimum group size change: from the cached counts, no query. */
    validationAt(_ctx: CallContext, id: string, threshold: number | null, minGroupSize?: number): ValidationReport | null {
      return open?.id === id ? open.session.at(threshold, minGroupSize) : null;
    },

    disposeValidation(ctx: CallContext): Promise<void> {
      return close(ctx);
    },
  };
}
