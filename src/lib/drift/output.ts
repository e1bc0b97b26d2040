/**
 * The report as the CLI's JSON (a fixed shape that scripts and CI read) and as plain text. JSON has no NaN or
 * Infinity: such values print as null.
 */
import type { ColumnDrift } from './columnDrift';
import type { DriftReport } from './report';
import { severity } from './severity';

export interface DriftJson {
  reference_rows: number;
  current_rows: number;
  dataset_drift: { drifted_columns: number; share: number; drifted: boolean };
  columns: {
    name: string;
    kind: string;
    method: string;
    score: number | null;
    threshold: number;
    drifted: boolean;
    stats: Record<string, unknown> | null;
  }[];
  /** Columns the two files do not share, and columns whose type differs: what the comparison left out. */
  schema: {
    missing_columns: string[];
    new_columns: string[];
    type_changes: { name: string; reference_type: string; current_type: string }[];
  };
  not_tested: { name: string; reason: string }[];
  /** NULL and non-finite values per column and side, left out of the tests. */
  dropped: Record<string, { reference_nulls: number; current_nulls: number; reference_non_finite: number; current_non_finite: number }>;
  /** What a reader must know before trusting `dataset_drift`, in words. */
  warnings: string[];
}

/**
 * Warnings a drift run owes its reader: a comparison of nothing is not "no drift", and columns left out
 * or values dropped change what "no drift" means.
 */
export function driftWarnings(report: DriftReport): string[] {
  const warnings: string[] = [];
  const s = report.schema;
  if (report.columns.length === 0)
    warnings.push(
      s.missingColumns.length > 0 && s.newColumns.length > 0
        ? 'No column could be compared: the current data shares no testable column with the reference.'
        : 'No column could be compared.',
    );
  if (s.missingColumns.length) warnings.push(`${s.missingColumns.length} reference column(s) are missing from the current data.`);
  if (s.newColumns.length) warnings.push(`${s.newColumns.length} column(s) of the current data are not in the reference.`);
  if (s.typeChanges.length) warnings.push(`${s.typeChanges.length} column(s) changed type between the files.`);
  for (const [name, d] of Object.entries(report.dropped)) {
    const total = d.refNulls + d.curNulls + d.refNonFinite + d.curNonFinite;
    if (d.refNonFinite + d.curNonFinite > 0)
      warnings.push(`"${name}": ${d.refNonFinite + d.curNonFinite} NaN or infinite value(s) left out of the test (of ${total} left out).`);
  }
  return warnings;
}

const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);

export function driftJson(report: DriftReport): DriftJson {
  return {
    reference_rows: report.referenceRows,
    current_rows: report.currentRows,
    dataset_drift: { drifted_columns: report.dataset.driftedColumns, share: report.dataset.share, drifted: report.dataset.drifted },
    columns: report.columns.map((c) => ({
      name: c.name,
      kind: c.kind,
      method: c.method,
      score: finite(c.score),
      threshold: c.threshold,
      drifted: c.drifted,
      stats: c.stats ? Object.fromEntries(Object.entries(c.stats).map(([k, v]) => [k, typeof v === 'number' ? finite(v) : v])) : null,
    })),
    schema: {
      missing_columns: report.schema.missingColumns,
      new_columns: report.schema.newColumns,
      type_changes: report.schema.typeChanges.map((t) => ({ name: t.name, reference_type: t.referenceType, current_type: t.currentType })),
    },
    not_tested: report.notTested,
    dropped: Object.fromEntries(
      Object.entries(report.dropped).map(([name, d]) => [
        name,
        {
          reference_nulls: d.refNulls,
          current_nulls: d.curNulls,
          reference_non_finite: d.refNonFinite,
          current_non_finite: d.curNonFinite,
        },
      ]),
    ),
    warnings: driftWarnings(report),
  };
}

const fmt = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : Math.abs(x) < 1e-4 && x !== 0 ? x.toExponential(2) : x.toFixed(4);

/** Columns by how far past their threshold they are (see severity.ts), most drifted first. */
export function byScore(columns: readonly ColumnDrift[]): ColumnDrift[] {
  return [...columns].sort((a, b) => severity(b.method, b.score, b.threshold) - severity(a.method, a.score, a.threshold));
}

export function driftText(report: DriftReport): string {
  const lines: string[] = [];
  const d = report.dataset;
  lines.push(
    `Reference ${report.referenceRows.toLocaleString('en-US')} rows, current ${report.currentRows.toLocaleString('en-US')} rows.`,
    `Dataset drift: ${d.drifted ? 'YES' : 'no'} (${d.driftedColumns} of ${d.testedColumns} columns drifted, share ${d.share.toFixed(3)}, threshold ${d.threshold}).`,
  );
  const s = report.schema;
  if (s.missingColumns.length) lines.push(`Missing in current: ${s.missingColumns.join(', ')}`);
  if (s.newColumns.length) lines.push(`New in current: ${s.newColumns.join(', ')}`);
  for (const t of s.typeChanges) lines.push(`Type changed: ${t.name} ${t.referenceType} -> ${t.currentType}`);
  lines.push('');
  const width = Math.max(6, ...report.columns.map((c) => c.name.length));
  lines.push(`${'column'.padEnd(width)}  kind         method         score       threshold  drifted  effect`);
  for (const c of byScore(report.columns)) {
    const effect = c.effect ? `${c.effect.name}=${fmt(c.effect.value)}` : '';
    const role = report.roles[c.name] && report.roles[c.name] !== 'feature' ? ` [${report.roles[c.name]}]` : '';
    lines.push(
      `${c.name.padEnd(width)}  ${c.kind.padEnd(11)}  ${c.method.padEnd(13)}  ${fmt(c.score).padEnd(10)}  ${String(c.threshold).padEnd(9)}  ${(c.drifted ? 'DRIFT' : 'ok').padEnd(7)}  ${effect}${role}`,
    );
    for (const w of c.warnings) lines.push(`${''.padEnd(width)}  ! ${w}`);
  }
  for (const n of report.notTested) lines.push(`${n.name.padEnd(width)}  not tested: ${n.reason}`);
  if (report.columns.length === 0) lines.push('', `Warning: ${driftWarnings(report)[0]}`);
  return lines.join('\n');
}
