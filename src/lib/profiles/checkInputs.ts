/**
 * A check suite's inputs from two profiles: the same values `computeCheckInputs` computes from rows,
 * so `evaluateSuite` judges profiles as it judges files. What a profile cannot give is said, never
 * guessed: duplicate rows, worst slices and attribution drift need rows, and are "not evaluated".
 */
import { sliceKey, segmentDriftKey, type CheckInputs } from '../checks/inputs';
import type { Check, Suite } from '../checks/suite';
import type { ColumnSetting } from '../drift/report';
import type { DriftMethod } from '../drift/methods';
import type { QualityIssue, QualityReport } from '../drift/quality';
import { compareSchemas } from '../drift/schemaDiff';
import type { PerfSpec } from '../metrics/spec';
import { profileColumnsInfo, profileDriftReport, wholePart } from './drift';
import type { Profile } from './format';
import { profileMetrics } from './metrics';
import { flatProfileMetrics } from './output';
import { partQuality } from './quality';

const NEEDS_ROWS = 'a profile keeps no rows; run this check on the data files';

function perColumnSettings(checks: readonly Check[]): Record<string, ColumnSetting> {
  const out: Record<string, ColumnSetting> = {};
  for (const c of checks)
    if (c.kind === 'drift-column' && (c.method || c.threshold !== undefined))
      out[c.column] = {
        ...(c.method ? { method: c.method as DriftMethod } : {}),
        ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
      };
  return out;
}

export function profileCheckInputs(reference: Profile, current: Profile, suite: Suite): CheckInputs {
  const [ref, cur] = [wholePart(reference), wholePart(current)];
  const referenceColumns = profileColumnsInfo(reference);
  const currentColumns = profileColumnsInfo(current);
  const drift = profileDriftReport(reference, current, {
    perColumn: perColumnSettings(suite.checks),
    driftShare: suite.settings?.driftShare,
  });
  const quality = partQuality(ref, cur, reference.sketch.alpha);
  const issues: QualityIssue[] = [];
  for (const q of quality) {
    const nonMissing = cur.rows * (1 - q.missing);
    const share = q.outOfRange ?? q.unseen ?? 0;
    if (share <= 0) continue;
    const count = Math.round(share * nonMissing);
    const outside = q.outOfRange !== null;
    issues.push({
      check: outside ? 'out-of-range' : 'unseen-category',
      column: q.column,
      count,
      share: cur.rows ? count / cur.rows : 0,
      detail: `${count} rows ${outside ? 'outside the reference range' : 'with values the reference does not have'}${q.exact ? '' : ' (at least; from the profile’s sketch)'}`,
      examples: [],
    });
  }
  const qualityReport: QualityReport = {
    currentRows: cur.rows,
    missing: quality.map((q) => ({ column: q.column, reference: q.missingReference, current: q.missing })),
    issues,
  };
  const perf = current.performance;
  let performance: CheckInputs['performance'] = { unavailable: 'the current profile was made without a label and a score' };
  if (perf && cur.performance) {
    const alpha = current.sketch.alpha;
    const spec: PerfSpec = {
      table: current.sources.join(', ') || 'profile',
      label: perf.label,
      labelKind: typeof perf.positive === 'number' ? 'numeric' : 'string',
      score: perf.score,
      task: 'binary',
      positive: String(perf.positive),
      threshold: perf.threshold,
    };
    const same = JSON.stringify(reference.performance) === JSON.stringify(perf);
    performance = {
      task: 'binary',
      spec,
      current: flatProfileMetrics(profileMetrics(cur.performance, alpha)),
      reference:
        same && ref.performance
          ? flatProfileMetrics(profileMetrics(ref.performance, alpha))
          : { unavailable: 'the reference profile was made with another label, score or threshold' },
      labelled: cur.performance.count,
      predictions: cur.rows,
    };
  }
  const slices: CheckInputs['slices'] = {};
  for (const c of suite.checks) if (c.kind === 'slices') slices[sliceKey(c)] = { unavailable: NEEDS_ROWS };
  // Costs, custom metrics, latency and error rate are read from rows; a profile does not keep them.
  // A segment's drift or metrics against the same segment of the reference need the rows of each segment.
  const segmentDrift: NonNullable<CheckInputs['segmentDrift']> = {};
  const segmentMetrics: NonNullable<CheckInputs['segmentMetrics']> = {};
  for (const c of suite.checks) {
    if (c.kind === 'segment-drift') segmentDrift[segmentDriftKey(c)] = { unavailable: NEEDS_ROWS };
    if (c.kind === 'metric-by-segment') segmentMetrics[`${c.metric}|${c.segment}`] = { unavailable: NEEDS_ROWS };
  }
  const values: CheckInputs['values'] = {};
  for (const c of suite.checks)
    if (c.kind === 'cost' || c.kind === 'custom-metric' || c.kind === 'latency' || c.kind === 'error-rate')
      values[c.id] = { unavailable: NEEDS_ROWS };
  return {
    values,
    segmentDrift,
    segmentMetrics,
    referenceRows: ref.rows,
    currentRows: cur.rows,
    referenceColumns,
    currentColumns,
    schema: compareSchemas(referenceColumns, currentColumns),
    drift,
    quality: qualityReport,
    performance,
    slices,
    model: false,
    attribution: { unavailable: NEEDS_ROWS },
    fromProfiles: true,
  };
}
