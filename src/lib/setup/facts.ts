/**
 * What the setup inference looks at in each table: per column its fill, its number of distinct values,
 * its range and whether its numbers are whole, whether text reads as times, and the values themselves
 * when there are few. One scan per table (and one small query for the few-valued columns), whatever the
 * number of rows; wide tables are read in batches of columns.
 */
import type { Db } from '../db';
import { throwIfAborted } from '../errors';
import { classTextSql } from '../labels/classValue';
import { textTimestampSql } from '../metrics/time';
import { countRows, describeTable, type ColumnInfo } from '../schema';
import { UNPIVOT_COLUMNS, unpivoted, WIDE_COLUMNS } from '../unpivot';
import { bool, ident, join, num, numOrNull, oneOf, raw, rowsOf, select, sql, text, type Column, type Sql } from '../sql';

/** Columns with at most this many distinct values have them listed (labels, predictions, categories). */
export const FEW_VALUES = 30;
/** Columns summarised per query, so a very wide file stays within DuckDB's limits. */
const COLUMNS_PER_QUERY = 40;

export interface ColumnFacts extends ColumnInfo {
  rows: number;
  nonNull: number;
  /** approx_count_distinct: HyperLogLog, a few percent off on large counts, exact enough to tell ids from categories. */
  distinct: number;
  /** Numeric columns: smallest and largest finite value, and whether every finite value is whole. */
  min?: number;
  max?: number;
  integral?: boolean;
  /** Text columns: the share of non-empty values DuckDB reads as a timestamp, and the mean number of spaces. */
  timestampShare?: number;
  spaces?: number;
  /** Timestamp-like columns: first and last time, epoch ms. */
  firstMs?: number;
  lastMs?: number;
  /** Values as class text (1.0 and 1 are "1"), when the column has at most FEW_VALUES distinct ones. */
  values?: string[];
}

export interface TableFacts {
  table: string;
  name: string;
  rows: number;
  columns: ColumnFacts[];
}

/** A TIMESTAMP expression of a column that may hold times, or null when it cannot. */
export function timeExpr(column: ColumnInfo): Sql | null {
  const c = ident(column.name);
  if (column.kind === 'temporal') return column.type === 'TIME' ? null : sql`CAST(${c} AS TIMESTAMP)`;
  if (column.kind === 'string') return textTimestampSql(c);
  return null;
}

/** `x` where it is a finite number, else NULL: what min, max and bool_and read (a CASE, not FILTER, which plans slowly by the hundred). */
const finiteOnly = (d: Sql) => sql`CASE WHEN isfinite(${d}) THEN ${d} END`;

function columnSummary(c: ColumnInfo, i: number) {
  const x = ident(c.name);
  const cols: Record<string, ReturnType<typeof num> | ReturnType<typeof numOrNull> | ReturnType<typeof bool>> = {
    [`n${i}`]: num(sql`count(${x})::DOUBLE`, 0),
    [`d${i}`]: num(sql`approx_count_distinct(${x})::DOUBLE`, 0),
  };
  if (c.kind === 'numeric') {
    const f = finiteOnly(sql`CAST(${x} AS DOUBLE)`);
    cols[`lo${i}`] = numOrNull(sql`min(${f})`);
    cols[`hi${i}`] = numOrNull(sql`max(${f})`);
    cols[`w${i}`] = bool(sql`bool_and(${f} = trunc(${f}))`);
  }
  if (c.kind === 'string') {
    cols[`t${i}`] = numOrNull(sql`(count(TRY_CAST(${x} AS TIMESTAMP)) / nullif(count(nullif(trim(${x}), '')), 0))::DOUBLE`);
    cols[`s${i}`] = numOrNull(sql`avg(length(${x}) - length(replace(${x}, ' ', '')))::DOUBLE`);
  }
  const t = timeExpr(c);
  if (t && c.kind === 'temporal') {
    cols[`f${i}`] = numOrNull(sql`epoch_ms(min(${t}))::DOUBLE`);
    cols[`l${i}`] = numOrNull(sql`epoch_ms(max(${t}))::DOUBLE`);
  }
  return cols;
}

type Summary = Record<string, number | boolean | null>;

/** One batch of columns summarised by one aggregate query; the keys are `columnSummary`'s for index 0. */
async function summariesByAggregate(db: Db, table: string, batch: readonly ColumnInfo[], signal?: AbortSignal): Promise<Summary[]> {
  const spec = Object.assign({ rows: num(raw('count(*)::DOUBLE'), 0) }, ...batch.map((c, i) => columnSummary(c, i)));
  const r = (await oneOf(db, select(spec, sql`FROM ${ident(table)}`), { signal })) as Summary;
  return batch.map((_, i) => {
    const one: Summary = {};
    for (const k of ['n', 'd', 'lo', 'hi', 'w', 't', 's', 'f', 'l']) one[k] = r[`${k}${i}`] ?? null;
    return one;
  });
}

/** The summaries of a wide table's columns: numbers, text and times each unpivoted by kind; the rest by aggregates. */
async function summariesByUnpivot(db: Db, table: string, columns: readonly ColumnInfo[], signal?: AbortSignal): Promise<Summary[]> {
  const out: Summary[] = columns.map(() => ({ n: 0, d: 0, lo: null, hi: null, w: null, t: null, s: null, f: null, l: null }));
  const v = raw('v');
  const common = { n: num(sql`count(${v})::DOUBLE`, 0), d: num(sql`approx_count_distinct(${v})::DOUBLE`, 0) };
  const groups: { kind: (c: ColumnInfo) => boolean; cast: (x: Sql) => Sql; aggregates: Record<string, Column<unknown>> }[] = [
    {
      kind: (c) => c.kind === 'numeric',
      cast: (x) => sql`CAST(${x} AS DOUBLE)`,
      aggregates: {
        ...common,
        lo: numOrNull(sql`min(${finiteOnly(v)})`),
        hi: numOrNull(sql`max(${finiteOnly(v)})`),
        w: bool(sql`bool_and(${finiteOnly(v)} = trunc(${finiteOnly(v)}))`),
      },
    },
    {
      kind: (c) => c.kind === 'string',
      cast: (x) => x,
      aggregates: {
        ...common,
        t: numOrNull(sql`(count(TRY_CAST(${v} AS TIMESTAMP)) / nullif(count(nullif(trim(${v}), '')), 0))::DOUBLE`),
        s: numOrNull(sql`avg(length(${v}) - length(replace(${v}, ' ', '')))::DOUBLE`),
      },
    },
    {
      kind: (c) => c.kind === 'temporal' && c.type !== 'TIME',
      cast: (x) => sql`CAST(${x} AS TIMESTAMP)`,
      aggregates: { ...common, f: numOrNull(sql`epoch_ms(min(${v}))::DOUBLE`), l: numOrNull(sql`epoch_ms(max(${v}))::DOUBLE`) },
    },
  ];
  const index = new Map(columns.map((c, i) => [c, i]));
  const done = new Set<ColumnInfo>();
  for (const g of groups) {
    const these = columns.filter(g.kind);
    these.forEach((c) => done.add(c));
    const rows = await unpivoted(db, table, these, g.cast, g.aggregates, signal);
    for (const [i, row] of rows) Object.assign(out[index.get(these[i]!)!]!, row, { k: undefined });
  }
  const rest = columns.filter((c) => !done.has(c));
  for (let at = 0; at < rest.length; at += COLUMNS_PER_QUERY) {
    const batch = rest.slice(at, at + COLUMNS_PER_QUERY);
    (await summariesByAggregate(db, table, batch, signal)).forEach((one, i) => (out[index.get(batch[i]!)!] = one));
  }
  return out;
}

/** The facts of every column of a table. */
export async function tableFacts(db: Db, table: string, name: string, signal?: AbortSignal): Promise<TableFacts> {
  const columns = await describeTable(db, table);
  const rows = await countRows(db, table, signal);
  const summaries: Summary[] = [];
  if (columns.length > WIDE_COLUMNS) summaries.push(...(await summariesByUnpivot(db, table, columns, signal)));
  else
    for (let start = 0; start < columns.length; start += COLUMNS_PER_QUERY) {
      throwIfAborted(signal);
      summaries.push(...(await summariesByAggregate(db, table, columns.slice(start, start + COLUMNS_PER_QUERY), signal)));
    }
  const facts = columns.map((c, i) => {
    const r = summaries[i]!;
    const f: ColumnFacts = { ...c, rows, nonNull: Number(r['n'] ?? 0), distinct: Number(r['d'] ?? 0) };
    if (typeof r['lo'] === 'number' && typeof r['hi'] === 'number') {
      f.min = r['lo'];
      f.max = r['hi'];
      f.integral = r['w'] === true;
    }
    if (c.kind === 'string') {
      f.timestampShare = Number(r['t'] ?? 0);
      f.spaces = Number(r['s'] ?? 0);
    }
    if (typeof r['f'] === 'number') {
      f.firstMs = r['f'];
      f.lastMs = r['l'] as number;
    }
    return f;
  });
  await exactDistinct(db, table, facts, signal);
  await textTimeRanges(db, table, facts, signal);
  await fewValues(db, table, facts, signal);
  return { table, name, rows, columns: facts };
}

/**
 * Exact distinct counts where the estimate is near the number of values: HyperLogLog can be tens of
 * percent off there, and "every row has a different value" is what tells an id from a category.
 */
async function exactDistinct(db: Db, table: string, facts: ColumnFacts[], signal?: AbortSignal): Promise<void> {
  const near = facts.filter((f) => f.nonNull > 0 && f.distinct >= 0.5 * f.nonNull && f.kind !== 'other');
  if (near.length > WIDE_COLUMNS) {
    // Text is exact for every type (each value has one spelling), and one unpivot per thousand columns.
    const counted = await unpivoted(
      db,
      table,
      near,
      (x) => sql`CAST(${x} AS VARCHAR)`,
      { d: num(raw('count(DISTINCT v)::DOUBLE'), 0) },
      signal,
    );
    near.forEach((f, i) => (f.distinct = Number(counted.get(i)?.d ?? 0)));
    return;
  }
  for (let start = 0; start < near.length; start += COLUMNS_PER_QUERY) {
    const batch = near.slice(start, start + COLUMNS_PER_QUERY);
    const spec = Object.fromEntries(batch.map((f, i) => [`d${i}`, num(sql`count(DISTINCT ${ident(f.name)})::DOUBLE`, 0)]));
    const r = await oneOf(db, select(spec, sql`FROM ${ident(table)}`), { signal });
    batch.forEach((f, i) => (f.distinct = r[`d${i}`]!));
  }
}

/** First and last time of text columns that read as timestamps. */
async function textTimeRanges(db: Db, table: string, facts: ColumnFacts[], signal?: AbortSignal): Promise<void> {
  const timed = facts.filter((f) => f.kind === 'string' && (f.timestampShare ?? 0) >= 0.95);
  for (let at = 0; at < timed.length; at += COLUMNS_PER_QUERY) {
    const batch = timed.slice(at, at + COLUMNS_PER_QUERY);
    const spec = Object.assign(
      {},
      ...batch.map((f, i) => {
        const t = timeExpr(f)!;
        return { [`f${i}`]: numOrNull(sql`epoch_ms(min(${t}))::DOUBLE`), [`l${i}`]: numOrNull(sql`epoch_ms(max(${t}))::DOUBLE`) };
      }),
    );
    const r = (await oneOf(db, select(spec, sql`FROM ${ident(table)}`), { signal })) as Record<string, number | null>;
    batch.forEach((f, i) => {
      if (r[`f${i}`] !== null) {
        f.firstMs = r[`f${i}`]!;
        f.lastMs = r[`l${i}`]!;
      }
    });
  }
}

/** Few-valued columns asked per query. */
const FEW_VALUES_GROUP = 64;

/** The values of few-valued columns, as class text, in one query per group of columns. */
async function fewValues(db: Db, table: string, facts: ColumnFacts[], signal?: AbortSignal): Promise<void> {
  // approx_count_distinct can undercount a little: ask a few more and keep only columns that fit.
  const few = facts.filter((f) => f.distinct <= FEW_VALUES + 3 && f.nonNull > 0 && f.kind !== 'other' && f.kind !== 'temporal');
  if (few.length === 0) return;
  if (few.length > WIDE_COLUMNS) return fewValuesByUnpivot(db, table, few, signal);
  const parts = few.map((f, i) => {
    const v = raw(classTextSql(f.name, f.kind));
    return sql`(SELECT ${i} AS c, v FROM (SELECT DISTINCT ${v} AS v FROM ${ident(table)} WHERE ${ident(f.name)} IS NOT NULL LIMIT ${FEW_VALUES + 1}))`;
  });
  const values = new Map<number, string[]>();
  // Planning a UNION grows faster than its branches: 2,000 in one query took 40 s to answer on 200 rows
  // (native DuckDB), so wide files are asked in groups.
  for (let at = 0; at < parts.length; at += FEW_VALUES_GROUP) {
    throwIfAborted(signal);
    const group = parts.slice(at, at + FEW_VALUES_GROUP);
    const q = select({ c: num(raw('c')), v: text(raw('v')) }, sql`FROM (${join(group, ' UNION ALL ')}) ORDER BY c, v`);
    for (const row of await rowsOf(db, q, { signal })) {
      if (row.v === null) continue;
      const list = values.get(row.c) ?? [];
      list.push(row.v);
      values.set(row.c, list);
    }
  }
  few.forEach((f, i) => {
    const list = values.get(i) ?? [];
    if (list.length <= FEW_VALUES) {
      f.values = list;
      f.distinct = list.length;
    }
  });
}

/**
 * The few values of many columns by unpivoting: each column's distinct class texts, kept where there are
 * at most FEW_VALUES of them. A union of 64 branches took 1.5 s a query in DuckDB-WASM (156 of them
 * for 10,000 columns); the unpivot of 1,000 columns about 0.5 s.
 */
async function fewValuesByUnpivot(db: Db, table: string, few: ColumnFacts[], signal?: AbortSignal): Promise<void> {
  for (let at = 0; at < few.length; at += UNPIVOT_COLUMNS) {
    throwIfAborted(signal);
    const batch = few.slice(at, at + UNPIVOT_COLUMNS);
    const list = join(
      batch.map((f, i) => sql`${raw(classTextSql(f.name, f.kind))} AS ${ident(String(i))}`),
      ', ',
    );
    const q = select(
      { k: num(raw('CAST(k AS INTEGER)')), v: text(raw('v')) },
      sql`FROM (SELECT k, v, count(*) OVER (PARTITION BY k) AS n FROM (SELECT DISTINCT k, v FROM (UNPIVOT (SELECT ${list} FROM ${ident(table)}) ON COLUMNS(*) INTO NAME k VALUE v))) WHERE n <= ${FEW_VALUES} ORDER BY k, v`,
    );
    const values = new Map<number, string[]>();
    for (const row of await rowsOf(db, q, { signal })) {
      if (row.v === null) continue;
      const list = values.get(row.k) ?? [];
      list.push(row.v);
      values.set(row.k, list);
    }
    batch.forEach((f, i) => {
      const list = values.get(i);
      if (list) {
        f.values = list;
        f.distinct = list.length;
      }
    });
  }
}
