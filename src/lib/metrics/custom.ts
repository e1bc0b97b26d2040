/**
 * Custom metrics: a metric a team defines as one SQL aggregate over the labelled rows of the analysis
 * table, by column name - `avg(CASE WHEN delayed = 1 AND prediction = 0 THEN 1 ELSE 0 END)`. Nothing but
 * that expression runs: it is checked word by word (../sqlLexer.ts: one expression, no subquery, no
 * statement, at least one aggregate function) and then bound by DuckDB as the only item of
 * `SELECT (<expression>) FROM <analysis table> GROUP BY ()`, which DuckDB refuses when a column is unknown
 * or used outside an aggregate. Values are computed overall and per group in one GROUP BY each.
 */
import { z } from 'zod';
import type { Db } from '../db';
import { LanternError } from '../errors';
import { describeTable } from '../schema';
import { ident, literal } from '../sql';
import { keyword, lexSql, parenthesesProblem, type Token } from '../sqlLexer';
import { METRIC_NAMES } from './performance';
import { labelledSql, type PerfSpec } from './spec';
import { defined, undefinedMetric, type MetricValue } from './value';

export const CUSTOM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const customMetricSchema = z.object({
  name: z.string().regex(CUSTOM_NAME, 'a metric name is a letter or _ then letters, digits or _ (at most 64)'),
  expression: z.string().min(1).max(4000),
});
export type CustomMetric = z.infer<typeof customMetricSchema>;

const BUILT_IN = new Set<string>([...METRIC_NAMES.binary, ...METRIC_NAMES.multiclass, ...METRIC_NAMES.regression, 'n']);

/** Words that start a query or a clause: none may appear in a metric (a subquery would read other tables). */
const STATEMENT_WORDS = new Set([
  'SELECT',
  'WITH',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'VALUES',
  'TABLE',
  'GROUP',
  'HAVING',
  'LIMIT',
  'OFFSET',
  'QUALIFY',
  'WINDOW',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'ALTER',
  'COPY',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'RETURNING',
]);
/** Words that start a subquery when they follow "(" (FROM is fine elsewhere: extract(year FROM ts)). */
const SUBQUERY_WORDS = new Set(['FROM', 'DESCRIBE', 'SUMMARIZE', 'SHOW', 'PIVOT', 'UNPIVOT', 'EXPLAIN', 'CALL', 'SET', 'LOAD', 'INSTALL']);
/** Words followed by "(" that are syntax, not function calls. */
const SYNTAX_WORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IS',
  'IN',
  'BETWEEN',
  'LIKE',
  'ILIKE',
  'GLOB',
  'SIMILAR',
  'AS',
  'DISTINCT',
  'FILTER',
  'WHERE',
  'BY',
  'ORDER',
  'ASC',
  'DESC',
  'ON',
  'ANY',
  'ALL',
  'SOME',
  'EXISTS',
  'ARRAY',
  'INTERVAL',
  'CAST',
  'TRY_CAST',
  'EXTRACT',
  'ROW',
  'WITHIN',
  'OVER',
  'COLUMNS',
]);

export interface MetricCheck {
  /** The aggregate functions the expression calls. */
  aggregates: string[];
  /** DuckDB's type of the result. */
  type: string;
}

function problem(name: string, what: string): LanternError {
  return new LanternError('usage', `The custom metric "${name}" ${what}`);
}

/** What the lexer alone can refuse: not one expression, a statement, a subquery, a window function. */
function shapeProblem(name: string, tokens: readonly Token[]): void {
  if (tokens.length === 0) throw problem(name, 'is empty: write one SQL aggregate, e.g. avg(CASE WHEN label = 1 THEN 1 ELSE 0 END).');
  const parens = parenthesesProblem(tokens);
  if (parens) throw problem(name, `is not one complete expression: ${parens}.`);
  tokens.forEach((t, i) => {
    if (t.kind === 'symbol' && t.text === ';')
      throw problem(name, 'is not a single expression: it has a ";". A metric is one aggregate expression, not a statement.');
    if (t.kind === 'symbol' && t.text === ',' && t.depth === 0)
      throw problem(name, 'is more than one expression (a "," outside parentheses): write one aggregate, e.g. avg(a) - avg(b).');
    const k = keyword(t);
    if (!k) return;
    const afterParen = tokens[i - 1]?.kind === 'symbol' && tokens[i - 1]!.text === '(';
    if (STATEMENT_WORDS.has(k) || (afterParen && SUBQUERY_WORDS.has(k)) || (i === 0 && SUBQUERY_WORDS.has(k)))
      throw problem(
        name,
        `is not a single expression: "${t.text}" starts a query or a statement. A metric is one aggregate over the analysis table's columns.`,
      );
    if (k === 'OVER') throw problem(name, 'uses a window function (OVER): a metric is an aggregate over all the rows of a group.');
  });
}

/** Function names called in the expression (a word followed by "("), in lower case. */
function calledFunctions(tokens: readonly Token[]): string[] {
  const out = new Set<string>();
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    if (t.kind === 'word' && next?.kind === 'symbol' && next.text === '(' && !SYNTAX_WORDS.has(t.text.toUpperCase()))
      out.add(t.text.toLowerCase());
  });
  return [...out];
}

/** DuckDB's binder messages, told in the metric's terms: the unknown column by its name. */
function bindProblem(name: string, error: Error, columns: readonly string[]): LanternError {
  const text = error.message;
  const unknown = /Referenced column "([^"]+)" not found/.exec(text) ?? /column "([^"]+)" (?:does not exist|not found)/i.exec(text);
  if (unknown) return problem(name, `uses an unknown column "${unknown[1]}". The analysis table has: ${columns.map((c) => c).join(', ')}.`);
  const outside = /column "([^"]+)" must appear in the GROUP BY clause or must be part of an aggregate function/.exec(text);
  if (outside)
    return problem(
      name,
      `is not an aggregate: the column "${outside[1]}" is used outside an aggregate function. Wrap it in one, e.g. avg(${outside[1]}).`,
    );
  const fn = /(?:Scalar |Aggregate |Table )?Function with name "?([\w]+)"? (?:does not exist|is not in the catalog)/i.exec(text);
  if (fn) return problem(name, `calls "${fn[1]}", which is not a DuckDB function.`);
  const first = text.split('\n')[0]!.replace(/^[A-Za-z ]*Error: /, '');
  return problem(name, `is not valid SQL: ${first}`);
}

/**
 * Checks a custom metric against the analysis table and returns what it is; throws a usage error naming
 * the problem (an unknown column by its name, a non-aggregate, a statement that is not one expression).
 */
export async function checkCustomMetric(db: Db, table: string, metric: CustomMetric, signal?: AbortSignal): Promise<MetricCheck> {
  const { name, expression } = metric;
  if (!CUSTOM_NAME.test(name))
    throw new LanternError('usage', `"${name}" cannot name a metric: use a letter or _ then letters, digits or _.`);
  if (BUILT_IN.has(name)) throw new LanternError('usage', `"${name}" is a built-in metric: give the custom metric another name.`);
  const tokens = lexSql(expression);
  shapeProblem(name, tokens);
  const functions = calledFunctions(tokens);
  const known = functions.length
    ? await db.query(
        `SELECT DISTINCT lower(function_name) AS f, function_type AS t FROM duckdb_functions() WHERE lower(function_name) IN (${functions.map((f) => literal(f)).join(', ')})`,
        signal ? { signal } : undefined,
      )
    : [];
  const tableFunction = known.find((r) => String(r['t']).startsWith('table') || r['t'] === 'pragma');
  if (
    tableFunction &&
    !known.some((r) => r['f'] === tableFunction['f'] && (r['t'] === 'aggregate' || r['t'] === 'scalar' || r['t'] === 'macro'))
  )
    throw problem(name, `calls "${String(tableFunction['f'])}", a table function: a metric reads the analysis table's columns only.`);
  const aggregates = [...new Set(known.filter((r) => r['t'] === 'aggregate').map((r) => String(r['f'])))];
  const columns = (await describeTable(db, table)).map((c) => c.name);
  let described;
  try {
    described = await db.query(
      `DESCRIBE SELECT (${expression.trim()}\n) AS ${ident('__metric')} FROM ${ident(table)} GROUP BY ()`,
      signal ? { signal } : undefined,
    );
  } catch (error) {
    if (error instanceof LanternError && error.code === 'cancelled') throw error;
    throw bindProblem(name, error as Error, columns);
  }
  if (described.length !== 1) throw problem(name, `gives ${described.length} values: a metric is one number.`);
  const type = String(described[0]!['column_type']);
  if (!/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN)$/.test(type))
    throw problem(name, `gives a ${type}, not a number: a metric must be a number (e.g. an average, a share or a count).`);
  if (aggregates.length === 0)
    throw problem(name, 'calls no aggregate function: a metric summarises the labelled rows, e.g. avg(...), sum(...) / count(*).');
  return { aggregates, type };
}

/** A metric's value for one group: a number, or undefined with the reason. */
export function customValue(v: unknown, rows: number): MetricValue {
  if (rows === 0) return undefinedMetric('no labelled rows');
  if (v === null || v === undefined) return undefinedMetric('the expression gives NULL for these rows');
  return defined(Number(v));
}

export interface CustomGroupValues {
  /** The group's key (null for overall). */
  key: unknown;
  rows: number;
  values: Record<string, MetricValue>;
}

/**
 * The metrics' values over the labelled rows, overall (`key` null) or per value of a key expression (a
 * window start, a slice code, a version). Metrics must have been checked with checkCustomMetric.
 */
export async function customMetricsBy(
  db: Db,
  spec: PerfSpec,
  metrics: readonly CustomMetric[],
  key: string | null,
  options: { where?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<CustomGroupValues[]> {
  if (metrics.length === 0) return [];
  const values = metrics.map((m, i) => `CAST((${m.expression.trim()}\n) AS DOUBLE) AS ${ident(`__m${i}`)}`).join(', ');
  const k = key ? `${key} AS __key, ` : '';
  const where = `${labelledSql(spec)}${key ? ` AND (${key}) IS NOT NULL` : ''}${options.where ? ` AND (${options.where})` : ''}`;
  const rows = await db.query(
    `SELECT ${k}count(*)::DOUBLE AS __rows, ${values} FROM ${ident(spec.table)} WHERE ${where} GROUP BY ${key ? 'ALL ORDER BY 1' : '()'}`,
    options.signal ? { signal: options.signal } : undefined,
  );
  return rows.map((r) => {
    const n = Number(r['__rows'] ?? 0);
    return {
      key: key ? (r['__key'] instanceof Date ? r['__key'].getTime() : r['__key']) : null,
      rows: n,
      values: Object.fromEntries(metrics.map((m, i) => [m.name, customValue(r[`__m${i}`], n)])),
    };
  });
}
