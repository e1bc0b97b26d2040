/**
 * The strongest distribution findings of the screening, measured again with the exact statistics of the
 * drift report (the screening works from moments and counts per cell).
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { categoricalColumnDrift, numericalColumnDrift } from '../drift/columnDrift';
import { ident, sql } from '../sql';
import type { GridDimension } from './grid';
import { severity } from './severity';
import { fmt } from './text';
import type { Finding } from './types';

/** Findings whose drift is confirmed with the exact statistics (the rest keep their screening numbers). */
const CONFIRMED = 24;

export interface ConfirmInput {
  table: string;
  rows: number;
  reference: string;
  tsSql: string;
  dims: GridDimension[];
  numeric: string[];
}

/** SQL of a finding's rows in the log (its segment and window), and of its segment in the reference. */
export function placeSql(f: Finding, input: { tsSql: string }): { current: string; reference: string } {
  const seg = f.segment.map((s) => `CAST(${ident(s.column)} AS VARCHAR) = ${sql`${s.value}`.text}`).join(' AND ') || 'TRUE';
  const when = f.window
    ? `${input.tsSql} >= TIMESTAMP ${sql`${f.window.start}`.text} AND ${input.tsSql} < TIMESTAMP ${sql`${f.window.end}`.text}`
    : 'TRUE';
  return { current: `(${seg}) AND (${when})`, reference: seg };
}

/**
 * Replaces the screening effect of the strongest distribution findings by the exact statistics (the
 * normed Wasserstein distance or the Jensen-Shannon distance, with the KS or chi-square p-value), here and
 * in the rest of the log, and rescores them.
 */
export async function confirm(db: Db, findings: Finding[], input: ConfirmInput, signal?: AbortSignal): Promise<Finding[]> {
  const t = { reference: input.reference, current: input.table };
  let done = 0;
  for (const f of findings) {
    if (done >= CONFIRMED) break;
    if (!['drift', 'output-drift', 'scale-change', 'label-drift'].includes(f.kind) || f.evidence['measure'] === 'replay') continue;
    if (f.segment.some((s) => s.value === 'missing')) continue;
    const column = f.columns[0]!;
    const numericColumn = input.numeric.includes(column);
    const where = placeSql(f, input);
    throwIfAborted(signal);
    const here = numericColumn
      ? await numericalColumnDrift(db, t, column, { approxDistinct: 0 }, { method: 'wasserstein', where, signal })
      : await categoricalColumnDrift(db, t, column, { method: 'jensenshannon', where, signal });
    const else_ = numericColumn
      ? await numericalColumnDrift(
          db,
          t,
          column,
          { approxDistinct: 0 },
          { method: 'wasserstein', where: { current: `NOT (${where.current})` }, signal },
        )
      : await categoricalColumnDrift(db, t, column, { method: 'jensenshannon', where: { current: `NOT (${where.current})` }, signal });
    done++;
    if (here.score === null) continue;
    const stats = here.stats as Record<string, unknown> | null;
    const p = numericColumn ? (stats?.['ks_p_value'] as number) : (stats?.['chi2_p_value'] as number);
    const elsewhere = else_.score;
    f.evidence = {
      ...f.evidence,
      method: numericColumn ? 'wasserstein' : 'jensenshannon',
      statistic: here.score,
      elsewhere,
      p_value: p ?? f.evidence['p_value'] ?? null,
      ...(numericColumn ? { ks_statistic: (stats?.['ks_statistic'] as number) ?? null } : {}),
      rows: here.nCur,
      baseline_rows: here.nRef,
    };
    // The exact statistic replaces the screening effect; reach and contrast stay as the screening found them.
    const contrast = typeof f.evidence['contrast'] === 'number' ? f.evidence['contrast'] : Number.POSITIVE_INFINITY;
    const reach = typeof f.evidence['reach'] === 'number' ? f.evidence['reach'] : here.nCur / Math.max(1, input.rows);
    // The exact statistic decides: it can confirm a screening effect or show it was the screening's artefact.
    const drift = severity({
      kind: f.kind,
      magnitude: here.score / 0.1,
      reach,
      contrast,
      ...(f.detail?.includes('follows the calendar') ? { expected: true } : {}),
    });
    // Where the model also got worse, both kinds of evidence count (as when the finding was built).
    const perf = typeof f.evidence['performance_severity'] === 'number' ? f.evidence['performance_severity'] : 0;
    f.severity = Math.round(1000 * (1 - (1 - drift / 100) * (1 - perf / 100))) / 10;
    if (f.kind !== 'scale-change' && numericColumn)
      f.title = f.title
        .replace(/drift [^,;]*?(?= against| \(|$|;)/, `drift ${fmt(here.score)}`)
        .replace(/against [^ ]+ elsewhere/, `against ${fmt(elsewhere ?? 0)} elsewhere`);
  }
  return findings.sort((a, b) => b.severity - a.severity);
}
