/** How findings print numbers, shares, changes and time spans in their titles. */
import { isoDay, windowEnd, type CalendarUnit } from './windows';
import type { FindingWindow, SegmentCondition } from './types';

/** A number with three significant digits (thousands separated); integers as they are. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 1) return String(Number(x.toPrecision(3)));
  if (a === 0) return '0';
  return String(Number(x.toPrecision(2)));
}

/** A share as a percentage: 96%, 2.9%, 0.4%. */
export function pct(x: number): string {
  const p = x * 100;
  if (p >= 10 || p === 0) return `${Math.round(p)}%`;
  return `${Number(p.toPrecision(2))}%`;
}

/** A relative change: +61%, -12%, x3.2 past +200%. */
export function change(relative: number): string {
  if (!Number.isFinite(relative)) return 'new';
  if (relative >= 2) return `×${fmt(1 + relative)}`;
  const p = Math.round(relative * 100);
  return `${p >= 0 ? '+' : ''}${p}%`;
}

/** "origin = ORD", "origin = ORD and dep_period = evening", "distance ≥ 1,200". */
export function segmentText(segment: readonly SegmentCondition[]): string {
  return segment
    .map((s) => {
      if (s.op === 'is null') return `${s.column} missing`;
      if (s.op && s.op !== '=') return s.value;
      return `${s.column} = ${s.value}`;
    })
    .join(' and ');
}

export interface WindowRun {
  /** Window starts, epoch ms. */
  starts: number[];
  from: number;
  to: number;
  unit: CalendarUnit;
}

/** The run as an ISO window (end exclusive), or null when it spans the whole log. */
export function runWindow(run: WindowRun): FindingWindow | null {
  const last = run.starts.length - 1;
  if (run.from === 0 && run.to === last) return null;
  return { start: isoDay(run.starts[run.from]!, run.unit), end: isoDay(windowEnd(run.starts[run.to]!, run.unit), run.unit) };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "from 2001-06-01", "in the week of 2001-04-23", "in May 2001", "from 2001-04-16 to 2001-04-29"; "" for the whole log. */
export function whenText(run: WindowRun): string {
  const last = run.starts.length - 1;
  if (run.from === 0 && run.to === last) return '';
  const start = run.starts[run.from]!;
  const endExclusive = windowEnd(run.starts[run.to]!, run.unit);
  if (run.to === last) return `from ${isoDay(start, run.unit)}`;
  if (run.from === run.to) {
    const d = new Date(start);
    switch (run.unit) {
      case 'hour':
        return `at ${isoDay(start, 'hour')}`;
      case 'day':
        return `on ${isoDay(start)}`;
      case 'week':
        return `in the week of ${isoDay(start)}`;
      case 'month':
        return `in ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
      case 'quarter':
        return `in Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
      case 'year':
        return `in ${d.getUTCFullYear()}`;
    }
  }
  const lastDay = run.unit === 'hour' ? isoDay(endExclusive, 'hour') : isoDay(endExclusive - 86_400_000);
  return `from ${isoDay(start, run.unit)} to ${lastDay}`;
}
