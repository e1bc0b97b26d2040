/**
 * Root cause of a drifted column: which values of which segment columns concentrate the drift. Each
 * segment value is tested on its own rows on both sides (current rows of the segment against reference
 * rows of the same segment), with the column's method and threshold, and the results are ranked by how
 * far past the threshold they are. With a time column, the top segments also get their drift per window.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { ident, num, raw, rowsOf, select, sql, str } from '../sql';
import { categoricalColumnDrift, numericalColumnDrift, type ColumnDrift } from './columnDrift';
import { driftOverTime, type ColumnTest, type TimeWindow, type WindowDrift } from './overTime';
import { severity } from './severity';
import type { DriftTables, SideFilter } from './sql';

/** Segment values tested per segment column (the most frequent in the current data). */
export const MAX_SEGMENT_VALUES = 20;

export interface SegmentDrift {
  segment: string;
  value: string;
  /** Rows of the segment value in each table (before NULLs of the column are dropped). */
  refRows: number;
  curRows: number;
  drift: ColumnDrift;
  severity: number;
  overTime?: WindowDrift[];
}

/** The segment's values (as text) with their rows on each side, most current rows first. */
export function segmentValuesSql(t: DriftTables, segment: string, limit = MAX_SEGMENT_VALUES) {
  const k = sql`CAST(${ident(segment)} AS VARCHAR)`;
  return select(
    { value: str(raw('v')), refRows: num(raw('sum(r)::DOUBLE'), 0), curRows: num(raw('sum(c)::DOUBLE'), 0) },
    sql`FROM (SELECT ${k} AS v, 1 AS r, 0 AS c FROM ${ident(t.reference)} UNION ALL SELECT ${k} AS v, 0 AS r, 1 AS c FROM ${ident(t.current)}) WHERE v IS NOT NULL GROUP BY v ORDER BY sum(c) DESC, v LIMIT ${limit}`,
  );
}

export function segmentFilter(segment: string, value: string): SideFilter {
  const where = sql`CAST(${ident(segment)} AS VARCHAR) = ${value}`;
  return { reference: where, current: where };
}

export async function driftBySegment(
  db: Db,
  t: DriftTables,
  column: ColumnTest,
  segments: readonly string[],
  options: { windows?: readonly TimeWindow[]; topWithTime?: number; signal?: AbortSignal } = {},
): Promise<SegmentDrift[]> {
  const results: SegmentDrift[] = [];
  for (const segment of segments) {
    if (segment === column.name) continue;
    for (const { value, refRows, curRows } of await rowsOf(db, segmentValuesSql(t, segment), { signal: options.signal })) {
      throwIfAborted(options.signal);
      const where = segmentFilter(segment, value);
      const common = { method: column.method, threshold: column.threshold, where, signal: options.signal };
      const drift =
        column.kind === 'numerical'
          ? await numericalColumnDrift(db, t, column.name, { approxDistinct: refRows + curRows }, common)
          : await categoricalColumnDrift(db, t, column.name, common);
      results.push({ segment, value, refRows, curRows, drift, severity: severity(drift.method, drift.score, drift.threshold) });
    }
  }
  results.sort((a, b) => b.severity - a.severity);
  if (options.windows?.length) {
    for (const r of results.slice(0, options.topWithTime ?? 3)) {
      r.overTime = await driftOverTime(db, t, column, options.windows, {
        segment: segmentFilter(r.segment, r.value),
        signal: options.signal,
      });
    }
  }
  return results;
}
