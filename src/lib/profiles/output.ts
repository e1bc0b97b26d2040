/**
 * The drift of profiles as the CLI prints it: the same JSON as between files (`driftJson`), with
 * `approximate` and each column's error bounds, and the same text with a line on what is approximate.
 */
import { driftJson, driftText, type DriftJson } from '../drift/output';
import type { ProfileDriftReport } from './drift';

export interface ProfileDriftJson extends DriftJson {
  approximate: boolean;
  /** The sketch's relative accuracy. */
  alpha: number;
  columns: (DriftJson['columns'][number] & { approximate: boolean; error_bounds: Record<string, number> })[];
}

export function profileDriftJson(report: ProfileDriftReport): ProfileDriftJson {
  const base = driftJson(report);
  return {
    ...base,
    approximate: report.approximate,
    alpha: report.alpha,
    columns: base.columns.map((c) => {
      const a = report.approximation[c.name];
      return { ...c, approximate: a ? !a.exact : false, error_bounds: (a?.bounds ?? {}) as Record<string, number> };
    }),
  };
}

export function profileDriftText(report: ProfileDriftReport): string {
  const approximate = Object.entries(report.approximation).filter(([, a]) => !a.exact);
  const note = approximate.length
    ? `From profiles: approximate (sketch accuracy ${report.alpha}) for ${approximate
        .map(([name, a]) => `${name} (${Object.entries(a.bounds).map(([k, v]) => `${k} ±${v.toPrecision(2)}`).join(', ')})`)
        .join('; ')}; exact for the other columns.`
    : 'From profiles: every figure is exact (each column kept exact value counts).';
  return `${driftText(report)}\n${note}`;
}
