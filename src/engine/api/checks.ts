import { evaluateSuite, type SuiteResult } from '../../lib/checks/evaluate';
import { computeCheckInputs, type CheckTables } from '../../lib/checks/inputs';
import { presetFromReference, presetFromSetup } from '../../lib/checks/preset';
import type { Setup } from '../../lib/setup/types';
import { parseModel } from '../../lib/model/load';
import type { Suite } from '../../lib/checks/suite';
import { buildReportData, type ReportData } from '../../lib/report/reportData';
import type { CallContext, Scheduler } from '../scheduler';

export type { Suite, SuiteResult, ReportData, CheckTables };

export interface ChecksRun {
  result: SuiteResult;
  /** Aggregates only (what the overview, the report and the exports show); small at any data size. */
  report: ReportData;
}

/** Check suites over loaded tables: the preset from a reference, and a run of a suite with everything the overview shows. */
export function checksApi(scheduler: Scheduler) {
  return {
    /**
     * `model`: a model is loaded, so the preset checks attribution drift too. `setup`: the workspace's setup
     * for this reference, whose roles and outputs the preset is built from (else roles by name).
     */
    checksPreset(ctx: CallContext, reference: string, name?: string, model = false, setup?: Setup): Promise<Suite> {
      return scheduler.run(ctx, ({ db, signal }) =>
        setup && setup.reference === reference
          ? presetFromSetup(db, setup, { signal, model, ...(name ? { name } : {}) })
          : presetFromReference(db, reference, { signal, model, ...(name ? { name } : {}) }),
      );
    },

    runChecks(
      ctx: CallContext,
      t: CheckTables,
      suite: Suite,
      meta: { reference: string; current: string; generated: string; title?: string },
      model?: { bytes: Uint8Array; name: string },
    ): Promise<ChecksRun> {
      return scheduler.run(ctx, async ({ db, signal }) => {
        // The model file the Explain view loaded, parsed here as `lantern check --model` does: attribution
        // drift is computed by the same core (src/lib/checks/attribution.ts) in the tab and in CI.
        const ensemble = model ? parseModel(model.bytes, model.name) : undefined;
        const inputs = await computeCheckInputs(db, t, suite, { everything: true, signal, ...(ensemble ? { model: ensemble } : {}) });
        const result = evaluateSuite(suite, inputs);
        return { result, report: buildReportData(inputs, result, meta) };
      });
    },
  };
}
