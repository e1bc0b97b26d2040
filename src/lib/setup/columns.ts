/**
 * Roles a table's own columns show, before any other file is looked at: times, ids, and the name-based
 * guess for the rest. Pure functions of the column facts.
 */
import { inferRole, type ColumnRole } from '../roles';
import type { ColumnFacts } from './facts';
import type { RoleChoice } from './types';

const ID_NAME = /(^|[^a-z])(id|uuid|guid|key|ref|no)$|^id[^a-z]/i;
/** Whole-number columns whose name says "number of something" are counts, not ids. */
const COUNT_NAME = /(count|num|number_of|qty|quantity|total|amount|age|days|hours|minutes|year)/i;

export const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** A column whose values are (nearly) all present and all different, written like a key. */
export function looksLikeId(f: ColumnFacts): boolean {
  if (f.nonNull < Math.max(2, 0.98 * f.rows)) return false;
  // A key named like one may repeat now and then (a retried request); one that is not must be unique.
  const unique = f.distinct >= 0.98 * f.nonNull || (ID_NAME.test(f.name) && f.distinct >= 0.8 * f.nonNull);
  if (!unique) return false;
  if (f.kind === 'string') return (f.spaces ?? 0) < 0.5 && (f.timestampShare ?? 0) < 0.5;
  if (f.kind === 'numeric') return f.integral === true && ID_NAME.test(f.name) && !COUNT_NAME.test(f.name);
  return false;
}

/** A column of times: a time type, or text that reads as times. */
export function looksLikeTime(f: ColumnFacts): boolean {
  if (f.kind === 'temporal') return f.type !== 'TIME';
  return f.kind === 'string' && (f.timestampShare ?? 0) >= 0.95 && f.distinct > 1;
}

const fmtShare = (x: number) => `${Math.round(x * 100)}%`;

/** The roles of one table's columns from the table alone. */
export function ownRoles(columns: readonly ColumnFacts[]): Record<string, RoleChoice> {
  const out: Record<string, RoleChoice> = {};
  for (const f of columns) {
    const byName: ColumnRole = inferRole(f);
    if (looksLikeTime(f)) {
      out[f.name] = {
        role: 'timestamp',
        by: 'structure',
        reason: f.kind === 'temporal' ? `a ${f.type} column` : `${fmtShare(f.timestampShare ?? 0)} of its text reads as dates and times`,
      };
    } else if (looksLikeId(f)) {
      out[f.name] = {
        role: 'id',
        by: 'structure',
        reason:
          f.distinct >= 0.98 * f.nonNull
            ? `every row has a different value (${f.distinct.toLocaleString('en-US')} of ${f.nonNull.toLocaleString('en-US')})`
            : `named like a key, and nearly every row has its own value (${f.distinct.toLocaleString('en-US')} of ${f.nonNull.toLocaleString('en-US')})`,
      };
    } else if (byName === 'id' && f.distinct >= 0.5 * f.nonNull) {
      out[f.name] = { role: 'id', by: 'name', reason: 'its name says it identifies rows' };
    } else if (byName === 'timestamp' || byName === 'id') {
      // A name that says "time" or "id" on a column whose values are neither: take it as data.
      out[f.name] = {
        role: 'feature',
        by: 'structure',
        reason: `named like ${byName === 'id' ? 'an id' : 'a time'}, but its values are not`,
      };
    } else {
      out[f.name] = { role: byName, by: 'name', reason: NAME_REASON[byName] };
    }
  }
  return out;
}

const NAME_REASON: Record<ColumnRole, string> = {
  id: 'its name says it identifies rows',
  timestamp: 'its name says it is a time',
  feature: 'an input of the model',
  prediction: 'its name says it is a prediction',
  score: 'its name says it is a score or probability',
  label: 'its name says it is the label',
  segment: 'its name says it groups rows (a segment)',
  latency: 'its name says it is how long a request took',
  status: "its name says it is a request's status",
  ignore: 'a type the analyses do not read',
};
