/**
 * Data quality of a batch against the reference, from profiles: missing values (NULL, NaN, ±inf) per
 * column, values outside the reference range, and text values the reference never had. Counts are exact
 * where the profiles kept exact values; outside-range counts of a sketched column count only the buckets
 * wholly outside the range (a lower bound, said so).
 */
import type { NumericColumnProfile, ProfilePart, TextColumnProfile } from './format';
import { columnValues } from './sketch';

export interface ColumnQuality {
  column: string;
  /** Share of rows where the value is missing (NULL, NaN or ±inf), in the reference and the batch. */
  missingReference: number;
  missing: number;
  /** Share of the batch's non-missing values outside the reference's [min, max] (numbers only). */
  outOfRange: number | null;
  /** Share of the batch's text values the reference does not have (text only). */
  unseen: number | null;
  /** False when a figure comes from a sketch or from text values beyond the kept top values. */
  exact: boolean;
}

const missingOf = (p: NumericColumnProfile | TextColumnProfile, rows: number) =>
  rows === 0 ? 0 : ('finite' in p ? p.nulls + p.nan + p.posInf + p.negInf : p.nulls) / rows;

export function partQuality(reference: ProfilePart, batch: ProfilePart, alpha: number): ColumnQuality[] {
  const out: ColumnQuality[] = [];
  for (const [column, b] of Object.entries(batch.numeric)) {
    const r = reference.numeric[column];
    if (!r) continue;
    let outside = 0;
    let exact = b.values !== null;
    if (r.min !== null && r.max !== null && b.finite > 0) {
      const v = columnValues(b, alpha);
      v.x.forEach((x, i) => {
        // A bucket counts as outside only when all of it is.
        if (x - v.reach[i]! > r.max! || x + v.reach[i]! < r.min!) outside += v.c[i]!;
        else if (x > r.max! || x < r.min!) exact = false;
        else if (v.reach[i]! > 0 && (x + v.reach[i]! > r.max! || x - v.reach[i]! < r.min!)) exact = false;
      });
    }
    out.push({
      column,
      missingReference: missingOf(r, reference.rows),
      missing: missingOf(b, batch.rows),
      outOfRange: b.finite ? outside / b.finite : 0,
      unseen: null,
      exact,
    });
  }
  for (const [column, b] of Object.entries(batch.text)) {
    const r = reference.text[column];
    if (!r) continue;
    const known = new Set(r.top[0]);
    let unseen = 0;
    b.top[0].forEach((k, i) => {
      if (!known.has(k)) unseen += b.top[1][i]!;
    });
    out.push({
      column,
      missingReference: missingOf(r, reference.rows),
      missing: missingOf(b, batch.rows),
      outOfRange: null,
      unseen: b.count ? unseen / b.count : 0,
      exact: r.exact && b.exact,
    });
  }
  return out;
}
