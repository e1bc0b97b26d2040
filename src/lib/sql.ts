/**
 * Every identifier and literal that reaches SQL goes through these helpers: column names come from
 * users' files and may hold quotes, keywords or `"; DROP TABLE x; --`.
 *
 * `Sql` is SQL text that is safe to paste: the output of `ident`, `literal`, `raw` (constants written in
 * the code) and the `sql` tagged template, which quotes every interpolation that is not already `Sql`
 * (a string becomes a quoted literal, a number a numeric literal). A query builder that takes `Sql`
 * cannot be handed a user's text by mistake, and `select` pairs a statement with the typed decoder of
 * its rows.
 *
 * Builders return `Sql` for a piece that others compose, a `Query<T>` (statement and decoder) for a query
 * whose rows are read, and the text itself for a statement that runs as it is (DDL, or an Arrow pull whose
 * columns apache-arrow reads by name). `Db` takes text: `rowsOf` and `oneOf` pass it on.
 */
import type { Db, QueryOptions, Row, Value } from './db';

/**
 * SQL text that is safe to paste. A class, not a plain string, so that the `sql` tag can tell at run
 * time what is already SQL (pasted) from what is a value (quoted); it prints itself in an ordinary
 * template string.
 */
export class Sql {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
  /** The text, for `Db.query`. */
  get text(): string {
    return this.#text;
  }
}

export function ident(name: string): Sql {
  // DuckDB-WASM cuts SQL text at U+0000: a NUL can never be part of a name it sees.
  return new Sql(`"${name.replaceAll('\u0000', '').replaceAll('"', '""')}"`);
}

export function literal(value: string | number | boolean | null): Sql {
  if (value === null) return new Sql('NULL');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} as a SQL literal`);
    return new Sql(String(value));
  }
  if (typeof value === 'boolean') return new Sql(value ? 'TRUE' : 'FALSE');
  // DuckDB-WASM reads SQL text only up to a NUL: such a literal is written with chr(0) between its parts.
  if (value.includes('\u0000'))
    return new Sql(
      `(${value
        .split('\u0000')
        .map((part) => `'${part.replaceAll("'", "''")}'`)
        .join(' || chr(0) || ')})`,
    );
  return new Sql(`'${value.replaceAll("'", "''")}'`);
}

/**
 * SQL written in the code itself (a keyword, a function name, a fixed expression), or SQL a builder wrote
 * and kept as text: a slice dimension's code, a time window's filter, a timestamp expression. Those are
 * data that cross a worker boundary or sit in results, and structured cloning keeps a string but not an
 * `Sql`. Never a user's text: that goes through `ident` or `literal`. An `Sql` is returned as it is.
 */
export function raw(text: string | Sql): Sql {
  return text instanceof Sql ? text : new Sql(text);
}

/**
 * SQL that a builder wrote, as an `Sql` or as its text kept in data (see `raw`), where a filter or an
 * expression may come either way. Never a user's text. Lift it with `raw` before pasting it into `sql`,
 * which would quote a string as a literal.
 */
export type SqlLike = Sql | string;

export type SqlValue = Sql | string | number | boolean | null;

/**
 * Tagged template for SQL: `sql\`SELECT ${col} FROM ${ident(table)} WHERE x > ${0.5}\``. An interpolated
 * `Sql` is pasted; anything else is written as a literal (a user's string can never become SQL); an
 * array is written comma-separated.
 */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | readonly SqlValue[])[]): Sql {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += Array.isArray(value) ? value.map(piece).join(', ') : piece(value as SqlValue);
    out += strings[i + 1]!;
  });
  return new Sql(out);
}

function piece(value: SqlValue): string {
  return value instanceof Sql ? value.text : literal(value).text;
}

/** Joins SQL pieces with a separator written in the code. */
export function join(pieces: readonly Sql[], separator: string): Sql {
  return new Sql(pieces.map((p) => p.text).join(separator));
}

/** One output column of a query: its expression and how a row's value is read. The alias is the key it is given. */
export interface Column<T> {
  expr: Sql;
  read(value: Value | undefined): T;
}

/** A number (DuckDB's DOUBLE); NULL reads as NaN unless `fallback` is given. */
export function num(expr: Sql, fallback = Number.NaN): Column<number> {
  return { expr, read: (v) => (v === null || v === undefined ? fallback : Number(v)) };
}

/** A number or NULL. */
export function numOrNull(expr: Sql): Column<number | null> {
  return { expr, read: (v) => (v === null || v === undefined ? null : Number(v)) };
}

export function text(expr: Sql): Column<string | null> {
  return { expr, read: (v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v)) };
}

export function bool(expr: Sql): Column<boolean | null> {
  return { expr, read: (v) => (v === null || v === undefined ? null : v === true) };
}

/** Text that is never NULL where it is read (a class's text, a group's value), as `String` writes it. */
export function str(expr: Sql): Column<string> {
  return { expr, read: (v) => String(v) };
}

/** A value as DuckDB returns it (a grouping key: a number, a text, a Date), NULL as null. */
export function asIs(expr: Sql): Column<Value> {
  return { expr, read: (v) => (v === undefined ? null : v) };
}

/**
 * Output columns: one column per key, or a list of columns of one kind per key (one per table column,
 * say), written as `"<key>.<i>"` and read back as an array.
 */
type Columns = Record<string, Column<unknown> | readonly Column<unknown>[]>;
export type Decoded<C extends Columns> = {
  [K in keyof C]: C[K] extends readonly Column<infer T>[] ? T[] : C[K] extends Column<infer T> ? T : never;
};

/** A statement and the typed decoder of its rows: each alias is written once, as a key of `columns`. */
export interface Query<T> {
  sql: Sql;
  decode(row: Row): T;
}

/**
 * `SELECT <columns> <rest>`: the select list comes from `columns` (key = alias), and the decoder reads
 * each row back by the same keys.
 */
export function select<C extends Columns>(columns: C, rest: Sql): Query<Decoded<C>> {
  return { sql: new Sql(`SELECT ${selectList(columns)} ${rest.text}`), decode: (row) => decodeColumns(columns, row) };
}

/**
 * `select` with grouping keys in front: each key's expression is written `AS` its alias and its value is
 * read back, as DuckDB returns it, into `key` (in the order of `keys`).
 */
export function selectKeyed<C extends Columns>(
  keys: readonly { expr: Sql; as: string }[],
  columns: C,
  rest: Sql,
): Query<{ key: Value[]; row: Decoded<C> }> {
  const list = [...keys.map((k) => `${k.expr.text} AS ${ident(k.as).text}`), ...(Object.keys(columns).length ? [selectList(columns)] : [])];
  return {
    sql: new Sql(`SELECT ${list.join(', ')} ${rest.text}`),
    decode: (row) => ({ key: keys.map((k) => row[alias(k.as)] ?? null), row: decodeColumns(columns, row) }),
  };
}

/** A query with a WITH clause in front (`ctes`: `name AS (...), ...`). */
export function withCtes<T>(ctes: Sql, query: Query<T>): Query<T> {
  return { sql: new Sql(`WITH ${ctes.text} ${query.sql.text}`), decode: query.decode };
}

/** The alias DuckDB returns for a key: the key as `ident` wrote it (without NUL). */
const alias = (key: string) => key.replaceAll('\u0000', '');
const listKey = (key: string, i: number) => `${key}.${i}`;

function selectList(columns: Columns): string {
  return Object.entries(columns)
    .flatMap(([k, c]) => (isList(c) ? c.map((one, i) => [listKey(k, i), one] as const) : [[k, c] as const]))
    .map(([k, c]) => `${c.expr.text} AS ${ident(k).text}`)
    .join(', ');
}

function decodeColumns<C extends Columns>(columns: C, row: Row): Decoded<C> {
  return Object.fromEntries(
    Object.entries(columns).map(([k, c]) => [
      k,
      isList(c) ? c.map((one, i) => one.read(row[alias(listKey(k, i))])) : c.read(row[alias(k)]),
    ]),
  ) as Decoded<C>;
}

function isList(c: Column<unknown> | readonly Column<unknown>[]): c is readonly Column<unknown>[] {
  return Array.isArray(c);
}

/** Runs a query and decodes its rows. */
export async function rowsOf<T>(db: Db, query: Query<T>, options?: QueryOptions): Promise<T[]> {
  return (await db.query(query.sql.text, options)).map(query.decode);
}

/** Runs a query that returns one row (an aggregate) and decodes it. */
export async function oneOf<T>(db: Db, query: Query<T>, options?: QueryOptions): Promise<T> {
  const [row] = await db.query(query.sql.text, options);
  return query.decode(row ?? {});
}
