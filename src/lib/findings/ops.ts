/**
 * Operational regressions as findings: the log's requests got slower (p95 latency) or fail more often
 * than in the reference period, overall and in which windows, on the investigation's severity scale.
 * One finding per measure; its parts are the windows (and the whole log) that regressed.
 */
import type { Db } from '../db';
import type { WindowUnit } from '../metrics/time';
import { opsRegressions, REGRESSION_DEFAULTS, type OpsRegression } from '../ops/regressions';
import { opsReport } from '../ops/report';
import type { RoleMap } from '../roles';
import { severity } from './severity';
import { fmt } from './text';
import type { Finding, FindingPart } from './types';
import { isoDay, windowEnd } from './windows';

export interface OpsFindingInput {
  current: string;
  reference: string;
  roles: RoleMap;
  timestamp: string | null;
  unit: WindowUnit | null;
}

const pct = (x: number) => `${fmt(x * 100)}%`;

function part(r: OpsRegression, unit: WindowUnit | null): FindingPart {
  const window =
    r.scope === 'window' && unit ? { start: isoDay(r.key as number, unit), end: isoDay(windowEnd(r.key as number, unit), unit) } : null;
  return {
    scope: r.scope === 'window' ? 'window' : 'overall',
    segment: [],
    window,
    rows: r.count,
    referenceRows: 0,
    evidence: { value: r.value, baseline: r.baseline, change: r.change, p_value: r.pValue },
  };
}

/** Findings for a latency or error-rate regression of the log against the reference (none without either column). */
export async function opsFindings(db: Db, input: OpsFindingInput, signal?: AbortSignal): Promise<Finding[]> {
  const report = await opsReport(
    db,
    { table: input.current, reference: input.reference, roles: input.roles, timestamp: input.timestamp, unit: input.unit },
    signal,
  );
  const regressions = opsRegressions(report).filter((r) => r.scope !== 'segment');
  const total = report.overall.count;
  const out: Finding[] = [];
  for (const metric of ['latency_p95', 'error_rate'] as const) {
    const found = regressions.filter((r) => r.metric === metric);
    const worst = found[0];
    if (!worst) continue;
    const windows = found.filter((r) => r.scope === 'window');
    const reach = Math.min(1, windows.reduce((s, r) => s + r.count, 0) / Math.max(total, 1)) || (worst.scope === 'overall' ? 1 : 0);
    const first = windows.length ? Math.min(...windows.map((r) => r.key as number)) : null;
    const where =
      worst.scope === 'overall'
        ? 'over the whole log'
        : `on ${isoDay(worst.key as number, report.unit ?? 'day')}${windows.length > 1 ? ` (${windows.length} ${report.unit}s from ${isoDay(first!, report.unit ?? 'day')})` : ''}`;
    const latency = metric === 'latency_p95';
    const title = latency
      ? `Requests got slower: p95 latency ${fmt(worst.value)} ${where}, ${pct(worst.change)} above the reference's ${fmt(worst.baseline)}`
      : `Requests fail more often: error rate ${pct(worst.value)} ${where}, against ${pct(worst.baseline)} in the reference`;
    const threshold = latency ? REGRESSION_DEFAULTS.latencyTolerance : REGRESSION_DEFAULTS.errorRateMargin;
    out.push({
      id: `ops-${metric}`,
      kind: 'operations',
      title,
      detail: latency
        ? `Latency from "${report.latency}"; windows more than ${pct(threshold)} above the reference's p95 count.`
        : `Status from "${report.status}", errors: ${report.errorValues.join(', ')}; a window counts past ${pct(threshold)} more errors and beyond chance.`,
      severity: severity({ kind: 'operations', magnitude: worst.change / threshold, reach, contrast: 3 }),
      columns: [latency ? report.latency! : report.status!],
      segment: [],
      window: worst.scope === 'window' ? part(worst, report.unit).window : null,
      evidence: { value: worst.value, baseline: worst.baseline, change: worst.change, windows: windows.length, p_value: worst.pValue },
      parts: found.map((r) => part(r, report.unit)),
      link: { view: 'operations' },
    });
  }
  return out;
}
