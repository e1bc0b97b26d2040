/**
 * The slice fixtures of scripts/fixtures/slices.py read and encoded in JS, the way the Python reference
 * enumerates them: per column, code = 1 + the position of the value among the column's sorted values,
 * a missing value code 0 (in no slice) or, with `nullAsValue`, a code of its own after the values.
 */
import { readFileSync } from 'node:fs';
import type { Dimension, DimensionValue } from '../../src/lib/slices/dimensions';

export function readCsv(name: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(new URL(`../fixtures/metrics/${name}`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');
  const cols = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

export interface EncodedColumns {
  codes: Uint8Array[];
  cardinality: number[];
  dims: Dimension[];
}

/** Codes of `columns` over `tables` (values from all of them, as the reference takes their union). */
export function encodeColumns(tables: Record<string, string>[][], columns: string[], nullAsValue = false): EncodedColumns[] {
  const values = columns.map((c) => [...new Set(tables.flatMap((rows) => rows.map((r) => r[c]!)).filter((v) => v !== ''))].sort());
  const hasNull = columns.map((c) => nullAsValue && tables.some((rows) => rows.some((r) => r[c] === '')));
  const dims: Dimension[] = columns.map((c, d) => {
    const list: DimensionValue[] = values[d]!.map((v, i) => ({
      code: i + 1,
      predicate: { column: c, op: '=', value: v },
      where: `"${c}" = '${v}'`,
      label: `${c} = ${v}`,
    }));
    if (hasNull[d])
      list.push({
        code: list.length + 1,
        predicate: { column: c, op: 'is null', value: null },
        where: `"${c}" IS NULL`,
        label: `${c} is missing`,
      });
    return { name: c, kind: 'categorical', codeSql: '', values: list };
  });
  return tables.map((rows) => ({
    codes: columns.map((c, d) => {
      const index = new Map(values[d]!.map((v, i) => [v, i + 1]));
      const nullCode = hasNull[d] ? values[d]!.length + 1 : 0;
      return Uint8Array.from(rows, (r) => (r[c] === '' ? nullCode : index.get(r[c]!)!));
    }),
    cardinality: dims.map((d) => d.values.length + 1),
    dims,
  }));
}

/** Predicates as the fixtures write them: [{column, value}], value null for "is missing". */
export function predicateKey(predicates: { column: string; value: unknown }[]): string {
  return predicates.map((p) => `${p.column}=${p.value === null ? '<missing>' : String(p.value)}`).join(' & ');
}
