/**
 * Calendar windows for an investigation, chosen from the log's time span and size: the finest unit whose
 * windows hold enough rows that a segment within a window can be tested (about ten cells of the minimum
 * support each), and never more than a readable number of windows.
 */
export type CalendarUnit = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Mean length of each unit, for counting windows in a span. */
export const UNIT_MS: Record<CalendarUnit, number> = {
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30.44 * DAY,
  quarter: 91.31 * DAY,
  year: 365.25 * DAY,
};
const UNITS: CalendarUnit[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
export const MAX_WINDOWS = 60;

/** The unit for `rows` rows spread over `spanMs`; null when the log has no time span. */
export function investigationUnit(spanMs: number, rows: number, minSupport: number): CalendarUnit | null {
  if (!(spanMs > 0) || rows <= 0) return null;
  for (const unit of UNITS) {
    const windows = Math.max(1, spanMs / UNIT_MS[unit]);
    if (windows > MAX_WINDOWS || unit === 'year') continue;
    if (rows / windows >= 10 * minSupport) return windows >= 2 ? unit : null;
  }
  // A small log over a short span: windows too small to test one by one are still read in runs (the scan
  // tests runs of several windows and every "from this window on"), so a bug from September on in a year
  // of a few hundred rows is placed in September rather than lost in one window of the whole year.
  if (spanMs / UNIT_MS.year >= 4) return 'year';
  for (const unit of SMALL_LOG_UNITS) {
    const windows = spanMs / UNIT_MS[unit];
    if (windows >= 4 && windows <= 24 && rows / windows >= minSupport / 2) return unit;
  }
  return 'year';
}

const SMALL_LOG_UNITS: CalendarUnit[] = ['week', 'month', 'quarter'];

/** Rows a cell (segment x window) needs to be tested: a quarter percent of the log, from 30 to 200 rows. */
export function minimumSupport(rows: number): number {
  return Math.max(30, Math.min(200, Math.round(0.0025 * rows)));
}

/** The end of the window that starts at `startMs` (calendar arithmetic in UTC, as DuckDB's date_trunc). */
export function windowEnd(startMs: number, unit: CalendarUnit): number {
  const d = new Date(startMs);
  switch (unit) {
    case 'hour':
      return startMs + HOUR;
    case 'day':
      return startMs + DAY;
    case 'week':
      return startMs + 7 * DAY;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'quarter':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3, 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  }
}

/** A date for titles: the day, or the day and hour for hourly windows. */
export function isoDay(ms: number, unit: CalendarUnit = 'day'): string {
  const iso = new Date(ms).toISOString();
  return unit === 'hour' ? `${iso.slice(0, 13)}:00` : iso.slice(0, 10);
}
