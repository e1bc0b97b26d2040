import type { Db } from '../../lib/db';
import { evaluateSuite, type SuiteResult } from '../../lib/checks/evaluate';
import { computeCheckInputs, type CheckTables } from '../../lib/checks/inputs';
import { presetFromReference } from '../../lib/checks/preset';
import type { Suite } from '../../lib/checks/suite';
import { buildReportData, type ReportData } from '../../lib/report/reportData';
import type { Jobs } from '../jobs';

export type { Suite, SuiteResult, ReportData, CheckTables };

export interface ChecksRun {
  result: SuiteResult;
  /** Aggregates only (what the overview, the report and the exports show); small at any data size. */
  report: ReportData;
}

/** Check suites over loaded tables: the preset from a reference, and a run of a suite with everything the overview shows. */
export function checksApi(db: Db, jobs: Jobs) {
  return {
    checksPreset(jobId: string, reference: string, name?: string): Promise<Suite> {
      return jobs.run(jobId, (signal) => presetFromReference(db, reference, { signal, ...(name ? { name } : {}) }));
    },

    runChecks(
      jobId: string,
      t: CheckTables,
      suite: Suite,
      meta: { reference: string; current: string; generated: string; title?: string },
    ): Promise<ChecksRun> {
      return jobs.run(jobId, async (signal) => {
        const inputs = await computeCheckInputs(db, t, suite, { everything: true, signal });
        const result = evaluateSuite(suite, inputs);
        return { result, report: buildReportData(inputs, result, meta) };
      });
    },
  };
}
