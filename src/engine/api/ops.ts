import { opsReport, type OpsReport, type OpsRequest } from '../../lib/ops/report';
import type { CallContext, Scheduler } from '../scheduler';

export type { OpsReport, OpsRequest };

/** Operational health of a log (latency percentiles, error rate) overall, per window and per segment. */
export function opsApi(scheduler: Scheduler) {
  return {
    opsReport(ctx: CallContext, request: OpsRequest): Promise<OpsReport> {
      return scheduler.run(ctx, ({ db, signal }) => opsReport(db, request, signal));
    },
  };
}
