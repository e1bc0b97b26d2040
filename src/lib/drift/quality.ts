/**
 * Data quality of the current data against the reference: missing values, values the reference type
 * cannot hold, values outside the reference range, unseen categories, constant and almost-constant
 * columns, duplicate rows and duplicate ids, each with counts and a few example rows. Every check is
 * one aggregate query in DuckDB; only counts and at most EXAMPLES rows per check reach JS.
 */
import type { Db, Row } from '../db';
import { throwIfAborted } from '../errors';
import { ident, join, num, numOrNull, oneOf, raw, select, sql, text, type Column, type Query, type Sql } from '../sql';
import { countRows, type ColumnInfo } from '../schema';
import { unpivoted, WIDE_COLUMNS } from '../unpivot';
import { driftKindOf } from './schemaDiff';
import type { DriftTables } from './sql';

export const EXAMPLES = 5;
/** Columns of a wide table whose issues get example rows (the rest are counted only). */
export const MAX_EXAMPLED_COLUMNS = 50;
/** A column is almost constant when its most frequent value holds at least this share of non-null rows. */
export const ALMOST_CONSTANT_SHARE = 0.95;

export type QualityCheck =
  'missing' | 'type-mismatch' | 'out-of-range' | 'unseen-category' | 'constant' | 'almost-constant' | 'duplicate-rows' | 'duplicate-ids';

export interface QualityIssue {
  check: QualityCheck;
  /** null for table-wide checks (duplicate rows). */
  column: string | null;
  /** Rows of the current data affected. */
  count: number;
  /** count / current rows. */
  share: number;
  detail: string;
  examples: Row[];
}

export interface MissingShare {
  column: string;
  reference: number;
  current: number;
}

export interface QualityReport {
  currentRows: number;
  missing: MissingShare[];
  issues: QualityIssue[];
}

/** Rows, and per column the rows missing a value (NULL, or NaN/±inf in a numeric column). */
export function missingSql(table: string, columns: readonly ColumnInfo[]) {
  const missing = columns.map((c) => {
    const x = ident(c.name);
    // count(*) minus the values present, not a FILTER per column: hundreds of FILTERs plan slowly.
    const present = c.kind === 'numeric' ? sql`count(CASE WHEN isfinite(CAST(${x} AS DOUBLE)) THEN 1 END)` : sql`count(${x})`;
    return num(sql`(count(*) - ${present})::DOUBLE`, 0);
  });
  return select({ rows: num(raw('count(*)::DOUBLE'), 0), missing }, sql`FROM ${ident(table)}`);
}

/**
 * `unpivoted` over the numeric columns (as DOUBLE) and the others (as text) of `columns`, each kind with
 * its own aggregates, keyed by position in `columns`.
 */
async function unpivotedByKind<C extends Record<string, Column<unknown>>>(
  db: Db,
  table: string,
  columns: readonly ColumnInfo[],
  aggregates: (numeric: boolean) => C,
  signal?: AbortSignal,
): Promise<Map<number, Record<keyof C, unknown>>> {
  const out = new Map<number, Record<keyof C, unknown>>();
  for (const numeric of [true, false]) {
    const at = columns.flatMap((c, i) => ((c.kind === 'numeric') === numeric ? [i] : []));
    const cast = numeric ? (x: Sql) => sql`CAST(${x} AS DOUBLE)` : (x: Sql) => sql`CAST(${x} AS VARCHAR)`;
    const counted = await unpivoted(
      db,
      table,
      at.map((i) => columns[i]!),
      cast,
      aggregates(numeric),
      signal,
    );
    for (const [k, r] of counted) out.set(at[k]!, r);
  }
  return out;
}

/** Columns per `missingSql` query: DuckDB plans one query of thousands of aggregates slowly (2,000: 6.6 s). */
const MISSING_COLUMNS_PER_QUERY = 40;

/** `missingSql` run in groups of columns, so that a file of thousands of columns is counted in seconds. */
export async function missingCounts(
  db: Db,
  table: string,
  columns: readonly ColumnInfo[],
  signal?: AbortSignal,
): Promise<{ rows: number; missing: number[] }> {
  if (columns.length > WIDE_COLUMNS) {
    // A wide table: the values present counted per column by unpivoting (which leaves NULLs out), numbers
    // as numbers (NaN and infinities are missing), the rest as text.
    const rows = await countRows(db, table, signal);
    const missing = columns.map(() => rows);
    const counted = await unpivotedByKind(
      db,
      table,
      columns,
      (numeric) => ({ n: num(raw(numeric ? 'count(CASE WHEN isfinite(v) THEN 1 END)::DOUBLE' : 'count(v)::DOUBLE'), 0) }),
      signal,
    );
    for (const [i, r] of counted) missing[i] = rows - Number(r.n);
    return { rows, missing };
  }
  let rows = 0;
  const missing: number[] = [];
  for (let at = 0; at < columns.length || at === 0; at += MISSING_COLUMNS_PER_QUERY) {
    const r = await oneOf(db, missingSql(table, columns.slice(at, at + MISSING_COLUMNS_PER_QUERY)), { signal });
    rows = r.rows;
    missing.push(...r.missing);
  }
  return { rows, missing };
}

/** A count of some rows of a table, and a few of them as examples. */
export interface CountAndExamples<T> {
  count: Query<T>;
  /** `SELECT *` of at most EXAMPLES rows, shown as they are. */
  examples: Sql;
}

const rowCount = () => num(raw('count(*)::DOUBLE'), 0);

/** Current values of a column the reference holds as numbers, that do not read as numbers. */
export function typeMismatchSql(table: string, column: string): CountAndExamples<{ n: number }> {
  const c = ident(column);
  const bad = sql`${c} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL`;
  return {
    count: select({ n: rowCount() }, sql`FROM ${ident(table)} WHERE ${bad}`),
    examples: sql`SELECT * FROM ${ident(table)} WHERE ${bad} LIMIT ${EXAMPLES}`,
  };
}

/**
 * Finite range of each listed column in the reference, one scan. Non-finite values become NULL in a
 * projection, which min / max skip: ~1.0 s against ~1.5 s with FILTER clauses for 1M rows x 20 columns in
 * DuckDB-WASM.
 */
export function referenceRangesSql(table: string, columns: readonly string[]) {
  const finite = columns.map((c, i) => {
    const x = sql`TRY_CAST(${ident(c)} AS DOUBLE)`;
    return sql`CASE WHEN isfinite(${x}) THEN ${x} END AS ${ident(`x${i}`)}`;
  });
  const x = columns.map((_, i) => ident(`x${i}`));
  return select(
    { lo: x.map((xi) => numOrNull(sql`min(${xi})`)), hi: x.map((xi) => numOrNull(sql`max(${xi})`)) },
    sql`FROM (SELECT ${join(finite, ', ')} FROM ${ident(table)})`,
  );
}

interface ColumnRange {
  column: string;
  lo: number;
  hi: number;
}

/**
 * The condition "finite and outside the reference range". The bounds go in as strings cast to DOUBLE,
 * so DuckDB reads back the very doubles (a bare 0.1 would be a DECIMAL).
 */
function outsideSql({ column, lo, hi }: ColumnRange): Sql {
  const x = sql`TRY_CAST(${ident(column)} AS DOUBLE)`;
  return sql`isfinite(${x}) AND (${x} < ${String(lo)}::DOUBLE OR ${x} > ${String(hi)}::DOUBLE)`;
}

/** Current values outside each column's reference range, all columns in one scan. */
export function outsideCountsSql(table: string, ranges: readonly ColumnRange[]) {
  return select({ outside: ranges.map((r) => num(sql`count(*) FILTER (WHERE ${outsideSql(r)})::DOUBLE`, 0)) }, sql`FROM ${ident(table)}`);
}

/** A few current rows outside one column's reference range (the range already known). */
export function outsideExamplesSql(table: string, range: ColumnRange): Sql {
  return sql`SELECT * FROM ${ident(table)} WHERE ${outsideSql(range)} LIMIT ${EXAMPLES}`;
}

/** Non-null and approximate distinct counts of every listed column, one scan. */
export function distinctBoundsSql(table: string, columns: readonly string[]) {
  return select(
    {
      nonNull: columns.map((c) => num(sql`count(${ident(c)})::DOUBLE`, 0)),
      distinct: columns.map((c) => num(sql`approx_count_distinct(${ident(c)})::DOUBLE`, 0)),
    },
    sql`FROM ${ident(table)}`,
  );
}

/**
 * Whether a column could be constant or almost constant, from its non-null count and approximate
 * distinct count. If the top value holds at least 95% of n values, at most 5% of n + 1 are distinct;
 * HyperLogLog's error is a few percent, far inside the 2x margin. A continuous column fails at once and
 * skips the exact top-value query, which groups every value as text (the check's main cost: ~0.5 s per
 * million-row column).
 */
export function couldBeAlmostConstant(nonNull: number, approxDistinct: number): boolean {
  return nonNull > 0 && approxDistinct <= 2 * ((1 - ALMOST_CONSTANT_SHARE) * nonNull + 1) + 16;
}

export function unseenCategorySql(t: DriftTables, column: string): CountAndExamples<{ n: number; values: number }> {
  const k = sql`CAST(${ident(column)} AS VARCHAR)`;
  const unseen = sql`${k} IS NOT NULL AND ${k} NOT IN (SELECT DISTINCT ${k} FROM ${ident(t.reference)} WHERE ${k} IS NOT NULL)`;
  return {
    count: select({ n: rowCount(), values: num(sql`count(DISTINCT ${k})::DOUBLE`, 0) }, sql`FROM ${ident(t.current)} WHERE ${unseen}`),
    examples: sql`SELECT * FROM ${ident(t.current)} WHERE ${unseen} LIMIT ${EXAMPLES}`,
  };
}

/** Most frequent value, its count, the non-null count and the distinct count of one column (no row when all are NULL). */
export function topValueSql(table: string, column: string) {
  const c = ident(column);
  const k = sql`CAST(${c} AS VARCHAR)`;
  return select(
    {
      top: text(raw('k')),
      topN: num(raw('n::DOUBLE'), 0),
      nonNull: num(sql`(SELECT count(${c}) FROM ${ident(table)})::DOUBLE`, 0),
      distinct: num(sql`(SELECT count(DISTINCT ${k}) FROM ${ident(table)})::DOUBLE`, 0),
    },
    sql`FROM (SELECT ${k} AS k, count(*) AS n FROM ${ident(table)} WHERE ${c} IS NOT NULL GROUP BY k ORDER BY n DESC, k LIMIT 1)`,
  );
}

/** Rows beyond the first of each group of identical rows (all columns compared). */
export function duplicateRowsSql(table: string): CountAndExamples<{ n: number }> {
  const t = ident(table);
  return {
    // Distinct rows counted as one value per row (the row as a struct; NULLs equal, as in DISTINCT *):
    // DISTINCT * over 10,000 columns took 9.4 s on 200 rows, the struct 1.1 s.
    count: select({ n: num(sql`(count(*) - count(DISTINCT ${t}))::DOUBLE`, 0) }, sql`FROM ${t}`),
    examples: sql`SELECT *, count(*)::DOUBLE AS copies FROM ${t} GROUP BY ALL HAVING count(*) > 1 ORDER BY copies DESC LIMIT ${EXAMPLES}`,
  };
}

export function duplicateIdsSql(table: string, id: string): CountAndExamples<{ n: number; ids: number }> {
  const t = ident(table);
  const c = ident(id);
  const dup = sql`${c} IN (SELECT ${c} FROM ${t} WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1)`;
  return {
    count: select({ n: rowCount(), ids: num(sql`count(DISTINCT ${c})::DOUBLE`, 0) }, sql`FROM ${t} WHERE ${dup}`),
    examples: sql`SELECT * FROM ${t} WHERE ${dup} ORDER BY ${c} LIMIT ${EXAMPLES}`,
  };
}

export interface QualityOptions {
  /** The id column of the current data, if any (duplicate ids). */
  id?: string;
  signal?: AbortSignal;
}

export async function dataQuality(
  db: Db,
  t: DriftTables,
  reference: readonly ColumnInfo[],
  current: readonly ColumnInfo[],
  options: QualityOptions = {},
): Promise<QualityReport> {
  const signal = options.signal;
  const one = <T>(query: Query<T>) => oneOf(db, query, { signal });
  // A wide table's example rows hold only the column at fault (10,000 values a row, for every column with
  // an issue, held hundreds of millions of values), and only the first columns with issues get examples.
  const wide = current.length > WIDE_COLUMNS;
  let exampled = 0;
  const examples = async (statement: Sql, column?: string): Promise<Row[]> => {
    if (column === undefined || !wide) return db.query(statement.text, { signal });
    if (exampled++ >= MAX_EXAMPLED_COLUMNS) return [];
    return db.query(sql`SELECT ${ident(column)} FROM (${statement})`.text, { signal });
  };
  const refByName = new Map(reference.map((c) => [c.name, c]));
  const shared = current.filter((c) => refByName.has(c.name));
  const refMissing = await missingCounts(
    db,
    t.reference,
    shared.map((c) => refByName.get(c.name)!),
    signal,
  );
  const curMissing = await missingCounts(db, t.current, shared, signal);
  const currentRows = curMissing.rows;
  const referenceRows = refMissing.rows;
  const share = (n: number) => (currentRows ? n / currentRows : 0);
  const missing = shared.map((c, i) => ({
    column: c.name,
    reference: referenceRows ? refMissing.missing[i]! / referenceRows : 0,
    current: share(curMissing.missing[i]!),
  }));
  const issues: QualityIssue[] = [];
  for (const m of missing)
    if (m.current > 0 && m.current > m.reference)
      issues.push({
        check: 'missing',
        column: m.column,
        count: Math.round(m.current * currentRows),
        share: m.current,
        detail: `${pct(m.current)} missing (reference ${pct(m.reference)})`,
        examples: [],
      });

  // Table-wide scans for the per-column checks: reference ranges, current values outside them, and
  // distinct-count bounds for the constant checks.
  const ranged = shared.filter((c) => driftKindOf(refByName.get(c.name)!) === 'numerical' && c.kind === 'numeric').map((c) => c.name);
  const outside = await outsideRanges(db, t, ranged, signal);
  const bounds = await distinctBounds(db, t.current, shared, signal);
  for (const [i, c] of shared.entries()) {
    throwIfAborted(signal);
    const r = refByName.get(c.name)!;
    const refKind = driftKindOf(r);
    if (refKind === 'numerical' && c.kind !== 'numeric' && c.kind !== 'boolean') {
      const mismatch = typeMismatchSql(t.current, c.name);
      const { n } = await one(mismatch.count);
      if (n)
        issues.push({
          check: 'type-mismatch',
          column: c.name,
          count: n,
          share: share(n),
          detail: `${n} values are not numbers (reference type ${r.type}, current ${c.type})`,
          examples: await examples(mismatch.examples, c.name),
        });
    }
    const out = outside.get(c.name);
    if (out && out.n)
      issues.push({
        check: 'out-of-range',
        column: c.name,
        count: out.n,
        share: share(out.n),
        detail: `${out.n} values outside the reference range [${out.lo}, ${out.hi}]`,
        examples: await examples(outsideExamplesSql(t.current, out), c.name),
      });
    if (refKind === 'categorical') {
      const unseen = unseenCategorySql(t, c.name);
      const { n, values } = await one(unseen.count);
      if (n)
        issues.push({
          check: 'unseen-category',
          column: c.name,
          count: n,
          share: share(n),
          detail: `${n} rows hold ${values} values never seen in the reference`,
          examples: await examples(unseen.examples, c.name),
        });
    }
    if (!couldBeAlmostConstant(bounds.nonNull[i] ?? 0, bounds.distinct[i] ?? 0)) continue;
    const top = await one(topValueSql(t.current, c.name));
    const { nonNull, topN } = top;
    if (nonNull > 0 && top.distinct === 1)
      issues.push({
        check: 'constant',
        column: c.name,
        count: nonNull,
        share: share(nonNull),
        detail: `every non-null value is ${top.top}`,
        examples: [],
      });
    else if (nonNull > 0 && topN / nonNull >= ALMOST_CONSTANT_SHARE)
      issues.push({
        check: 'almost-constant',
        column: c.name,
        count: topN,
        share: share(topN),
        detail: `${pct(topN / nonNull)} of non-null values are ${top.top}`,
        examples: [],
      });
  }
  const dups = duplicateRowsSql(t.current);
  const { n: nDup } = await one(dups.count);
  if (nDup)
    issues.push({
      check: 'duplicate-rows',
      column: null,
      count: nDup,
      share: share(nDup),
      detail: `${nDup} rows repeat an earlier row exactly`,
      examples: await examples(dups.examples),
    });
  if (options.id && current.some((c) => c.name === options.id)) {
    const ids = duplicateIdsSql(t.current, options.id);
    const { n, ids: idCount } = await one(ids.count);
    if (n)
      issues.push({
        check: 'duplicate-ids',
        column: options.id,
        count: n,
        share: share(n),
        detail: `${idCount} ids appear more than once (${n} rows)`,
        examples: await examples(ids.examples),
      });
  }
  return { currentRows, missing, issues };
}

/** Current values outside the reference range, per numerical column with a finite reference range. */
async function outsideRanges(
  db: Db,
  t: DriftTables,
  columns: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ColumnRange & { n: number }>> {
  const out = new Map<string, ColumnRange & { n: number }>();
  if (columns.length === 0) return out;
  if (columns.length > WIDE_COLUMNS) return outsideRangesWide(db, t, columns, signal);
  const reference = await oneOf(db, referenceRangesSql(t.reference, columns), { signal });
  const ranges = columns
    .map((column, i) => ({ column, lo: reference.lo[i], hi: reference.hi[i] }))
    .filter((r): r is ColumnRange => typeof r.lo === 'number' && typeof r.hi === 'number');
  if (ranges.length === 0) return out;
  const { outside } = await oneOf(db, outsideCountsSql(t.current, ranges), { signal });
  ranges.forEach((r, i) => out.set(r.column, { ...r, n: outside[i] ?? 0 }));
  return out;
}

const asDouble = (x: Sql) => sql`TRY_CAST(${x} AS DOUBLE)`;

/**
 * `outsideRanges` of a wide table by unpivoting (one query of thousands of aggregates plans for minutes
 * and tens of GB): the reference's finite range per column, then the current values outside it, each
 * value compared with the range of its own column through a join on the column's position.
 */
async function outsideRangesWide(
  db: Db,
  t: DriftTables,
  columns: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, ColumnRange & { n: number }>> {
  const named = columns.map((name) => ({ name }));
  const finite = (f: string) => numOrNull(raw(`${f}(v) FILTER (WHERE isfinite(v))`));
  const reference = await unpivoted(db, t.reference, named, asDouble, { lo: finite('min'), hi: finite('max') }, signal);
  const ranges = new Map<number, ColumnRange>();
  for (const [i, r] of reference)
    if (typeof r.lo === 'number' && typeof r.hi === 'number') ranges.set(i, { column: columns[i]!, lo: r.lo, hi: r.hi });
  const out = new Map<string, ColumnRange & { n: number }>();
  if (ranges.size === 0) return out;
  // The bounds go in as strings cast to DOUBLE, as in `outsideSql`, so the comparison sees the very doubles.
  const boundsOf = (at: number, batch: readonly unknown[]) => {
    const rows = batch.flatMap((_, i) => {
      const r = ranges.get(at + i);
      return r ? [sql`(${String(at + i)}, ${String(r.lo)}::DOUBLE, ${String(r.hi)}::DOUBLE)`] : [];
    });
    return rows.length
      ? sql`JOIN (VALUES ${join(rows, ', ')}) AS b(k, lo, hi) USING (k)`
      : sql`JOIN (SELECT NULL::VARCHAR AS k) AS b USING (k)`;
  };
  const outside = await unpivoted(
    db,
    t.current,
    named,
    asDouble,
    { n: num(raw('count(*) FILTER (WHERE isfinite(v) AND (v < lo OR v > hi))::DOUBLE'), 0) },
    signal,
    boundsOf,
  );
  for (const [i, r] of ranges) out.set(r.column, { ...r, n: Number(outside.get(i)?.n ?? 0) });
  return out;
}

/** Non-null and approximate distinct counts of every listed column (`distinctBoundsSql`, by unpivoting when wide). */
async function distinctBounds(
  db: Db,
  table: string,
  columns: readonly ColumnInfo[],
  signal?: AbortSignal,
): Promise<{ nonNull: number[]; distinct: number[] }> {
  if (columns.length === 0) return { nonNull: [], distinct: [] };
  if (columns.length <= WIDE_COLUMNS)
    return oneOf(
      db,
      distinctBoundsSql(
        table,
        columns.map((c) => c.name),
      ),
      { signal },
    );
  const nonNull = columns.map(() => 0);
  const distinct = columns.map(() => 0);
  // Numbers stay numbers (1 and 1.0 are one value), the rest is compared as text; all-NULL columns keep 0.
  const aggregates = { n: num(raw('count(v)::DOUBLE'), 0), d: num(raw('approx_count_distinct(v)::DOUBLE'), 0) };
  for (const [i, r] of await unpivotedByKind(db, table, columns, () => aggregates, signal)) {
    nonNull[i] = Number(r.n);
    distinct[i] = Number(r.d);
  }
  return { nonNull, distinct };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
}
