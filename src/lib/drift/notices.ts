/**
 * What a drift run left out or could not compare, as notices a person reads above the drift table: the
 * run-level warnings of the CLI's JSON (`driftWarnings`) with the columns named, and the rows a time split
 * could put in neither window.
 */
import type { DriftReport } from './report';

export type DriftNoticeKind = 'nothing-compared' | 'missing' | 'new' | 'retyped' | 'non-finite' | 'nulls' | 'unreadable-times';

export interface DriftNotice {
  kind: DriftNoticeKind;
  /** Warnings change what "no drift" means; notes only say what was left out. */
  level: 'warning' | 'note';
  text: string;
}

const NAMES_SHOWN = 8;
const names = (xs: readonly string[]) =>
  xs.slice(0, NAMES_SHOWN).join(', ') + (xs.length > NAMES_SHOWN ? ` and ${(xs.length - NAMES_SHOWN).toLocaleString('en-US')} more` : '');
const count = (n: number) => n.toLocaleString('en-US');

export interface SplitInfo {
  /** The time column the dataset was split by, and its rows whose time could not be read. */
  timestamp: string;
  unreadable: number;
}

export function driftNotices(report: DriftReport, split?: SplitInfo | null): DriftNotice[] {
  const out: DriftNotice[] = [];
  const s = report.schema;
  if (report.columns.length === 0)
    out.push({
      kind: 'nothing-compared',
      level: 'warning',
      text: 'No column could be compared: the two datasets share no column that can be tested, so "no drift" means nothing here.',
    });
  if (s.missingColumns.length)
    out.push({
      kind: 'missing',
      level: 'warning',
      text: `${count(s.missingColumns.length)} column(s) of the reference are missing from the current data and were not compared: ${names(s.missingColumns)}.`,
    });
  if (s.newColumns.length)
    out.push({
      kind: 'new',
      level: 'warning',
      text: `${count(s.newColumns.length)} column(s) of the current data are not in the reference and were not compared: ${names(s.newColumns)}.`,
    });
  if (s.typeChanges.length)
    out.push({
      kind: 'retyped',
      level: 'warning',
      text: `${count(s.typeChanges.length)} column(s) changed type between the datasets: ${names(s.typeChanges.map((t) => `${t.name} (${t.referenceType} → ${t.currentType})`))}.`,
    });
  const dropped = Object.entries(report.dropped);
  const nonFinite = dropped.filter(([, d]) => d.refNonFinite + d.curNonFinite > 0);
  if (nonFinite.length)
    out.push({
      kind: 'non-finite',
      level: 'warning',
      text: `NaN or infinite values left out of the tests: ${names(nonFinite.map(([name, d]) => `${name} (${count(d.refNonFinite)} in the reference, ${count(d.curNonFinite)} in the current data)`))}.`,
    });
  const nulls = dropped.filter(([, d]) => d.refNulls + d.curNulls > 0);
  if (nulls.length)
    out.push({
      kind: 'nulls',
      level: 'note',
      text: `Empty values left out of the tests: ${names(nulls.map(([name, d]) => `${name} (${count(d.refNulls)} in the reference, ${count(d.curNulls)} in the current data)`))}.`,
    });
  if (split && split.unreadable > 0)
    out.push({
      kind: 'unreadable-times',
      level: 'warning',
      text: `${count(split.unreadable)} row(s) have no readable time in ${split.timestamp} and are in neither window of the split.`,
    });
  return out;
}
