/**
 * The numerical columns of one side, pulled together: one Arrow query per batch of columns (one scan of
 * the table instead of one per column, each column as one list), each column's finite values sorted in JS. NULLs and NaN/±inf are
 * counted here from the same values, so the report needs no profile pass (decision 0101).
 */
import { tableFromIPC, type Data, type Float64, type List } from 'apache-arrow';
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { ident } from '../sql';
import { sortFinite } from './radixSort';

export interface SortedSide {
  /** Finite values, ascending. */
  values: Float64Array;
  nulls: number;
  /** NaN and ±inf (not counting NULLs). */
  nonFinite: number;
}

/** Values per query: 8,000,000 doubles (64 MB of Arrow) bound the memory of a batch. */
export const BATCH_VALUES = 8_000_000;

/**
 * Every listed column cast to DOUBLE, each aggregated into one list (NULLs kept), with positional aliases
 * (names never have to be valid aliases). One row of lists comes out as one Arrow record batch: a plain
 * SELECT comes out in 2,048-row batches, and decoding 489 of them per million rows cost as much as the scan.
 */
export function numericColumnsSql(table: string, columns: readonly string[], where = 'TRUE'): string {
  return `SELECT ${columns.map((c, i) => `list(CAST(${ident(c)} AS DOUBLE)) AS c${i}`).join(', ')} FROM ${ident(table)} WHERE ${where}`;
}

export function rowCountSql(table: string, where = 'TRUE'): string {
  return `SELECT count(*)::DOUBLE AS n FROM ${ident(table)} WHERE ${where}`;
}

/** How many columns of a table of `rows` rows one query pulls. */
export function columnsPerQuery(rows: number, budget = BATCH_VALUES): number {
  return Math.max(1, Math.floor(budget / Math.max(rows, 1)));
}

/**
 * Sorted finite values of each listed column, in order. One query for all of them: the caller batches
 * by `columnsPerQuery` to bound memory.
 */
export async function pullSortedSide(
  db: Db,
  table: string,
  columns: readonly string[],
  options: { where?: string; signal?: AbortSignal } = {},
): Promise<SortedSide[]> {
  if (columns.length === 0) return [];
  const result = tableFromIPC(await db.queryArrow(numericColumnsSql(table, columns, options.where), { signal: options.signal }));
  const lists = columns.map((_, i) => listValues((result.getChildAt(i)?.data ?? []) as Data<List<Float64>>[]));
  const scratch = new Float64Array(Math.max(0, ...lists.map((chunks) => chunks.reduce((n, d) => n + d.length, 0))));
  const out: SortedSide[] = [];
  for (const chunks of lists) {
    throwIfAborted(options.signal);
    const side = finiteValues(chunks);
    sortFinite(side.values, scratch);
    out.push(side);
  }
  return out;
}

/** The values of the lists in a list column's chunks (a NULL list, as list() gives for no rows, has none). */
function listValues(chunks: readonly Data<List<Float64>>[]): Data<Float64>[] {
  const out: Data<Float64>[] = [];
  for (const d of chunks) {
    const child = d.children[0] as Data<Float64> | undefined;
    if (!child) continue;
    for (let row = 0; row < d.length; row++) {
      // Arrow JS slices the offsets of a list chunk with the chunk (see Data._sliceBuffers).
      const [start, end] = [d.valueOffsets[row]!, d.valueOffsets[row + 1]!];
      if (end > start) out.push(child.slice(start, end - start));
    }
  }
  return out;
}

/** Copies the finite values of a DOUBLE column's chunks into one array, counting NULLs and NaN/±inf. */
export function finiteValues(chunks: readonly Data<Float64>[]): SortedSide {
  const length = chunks.reduce((n, d) => n + d.length, 0);
  const values = new Float64Array(length);
  let k = 0;
  let nulls = 0;
  let nonFinite = 0;
  for (const d of chunks) {
    const src = d.values;
    const bitmap = d.nullCount > 0 ? d.nullBitmap : null;
    // Arrow JS slices the values of a chunk but not its validity bitmap (as Data.getValid reads it).
    for (let j = 0; j < d.length; j++) {
      const bit = d.offset + j;
      if (bitmap && ((bitmap[bit >> 3]! >> (bit & 7)) & 1) === 0) nulls++;
      else {
        const v = src[j]!;
        // v - v is 0 for finite values and NaN for NaN and ±inf.
        if (v - v === 0) values[k++] = v;
        else nonFinite++;
      }
    }
  }
  return { values: values.subarray(0, k), nulls, nonFinite };
}
