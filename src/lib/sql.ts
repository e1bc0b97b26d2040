/**
 * Every identifier and literal that reaches SQL goes through these helpers: column names come from
 * users' files and may hold quotes, keywords or `"; DROP TABLE x; --`.
 *
 * `Sql` is SQL text that is safe to paste: the output of `ident`, `literal`, `raw` (constants written in
 * the code) and the `sql` tagged template, which quotes every interpolation that is not already `Sql`
 * (a string becomes a quoted literal, a number a numeric literal). A query builder that takes `Sql`
 * cannot be handed a user's text by mistake, and `select` pairs a statement with the typed decoder of
 * its rows.
 */
import type { Db, QueryOptions, Row, Value } from './db';

/**
 * SQL text that is safe to paste. A class, not a plain string, so that the `sql` tag can tell at run
 * time what is already SQL (pasted) from what is a value (quoted); it prints itself in an ordinary
 * template string, which the older builders still use.
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

/** SQL written in the code itself (a keyword, a function name, a fixed expression): never a user's text. */
export function raw(text: string): Sql {
  return new Sql(text);
}

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

type Columns = Record<string, Column<unknown>>;
export type Decoded<C extends Columns> = { [K in keyof C]: C[K] extends Column<infer T> ? T : never };

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
  const names = Object.keys(columns);
  const list = names.map((k) => `${columns[k]!.expr.text} AS ${ident(k).text}`).join(', ');
  return {
    sql: new Sql(`SELECT ${list} ${rest.text}`),
    // The alias DuckDB returns is the key as `ident` wrote it (without NUL).
    decode: (row) => Object.fromEntries(names.map((k) => [k, columns[k]!.read(row[k.replaceAll('\u0000', '')])])) as Decoded<C>,
  };
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
