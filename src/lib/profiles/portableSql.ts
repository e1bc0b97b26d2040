/**
 * Writing SQL that Spark SQL, Trino, BigQuery and DuckDB all run unchanged (docs/profiles.md lists the
 * subset). No CAST (the engines share no name for a double or a string type), no engine-specific function:
 * numbers become doubles by `* 1E0`, finiteness is `x * 0E0 = 0E0`, infinities are told from NaN by
 * `1E0 / x = 0E0` (only ever evaluated on a non-finite x, never on zero).
 */
import { LanternError } from '../errors';

export type QuoteStyle = 'bare' | 'ansi' | 'backtick';

/** Words that some of the engines reserve: such a name must be quoted. */
const RESERVED = new Set(
  (
    'all alter and any array as asc at between both by case cast check collate column constraint create cross cube current ' +
    'current_date current_time current_timestamp current_user default delete desc describe distinct drop else end escape except ' +
    'exists extract false fetch filter for foreign from full grant group grouping having in inner insert intersect interval into is ' +
    'join lateral leading left like limit localtime localtimestamp natural new not null of on only or order outer over overlaps partition ' +
    'primary range recursive references right rollup row rows select set some table tablesample then to trailing true union unique ' +
    'unknown unnest update user using values when where window with within'
  ).split(' '),
);

const SIMPLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column name as an identifier: bare where every engine reads it so, else quoted in the given style. */
export function portableIdent(name: string, style: QuoteStyle): string {
  if (style === 'ansi') return `"${name.replaceAll('"', '""')}"`;
  if (style === 'backtick') {
    if (name.includes('`'))
      throw new LanternError('usage', `Column "${name}" has a backtick, which backtick quoting cannot write; rename it.`);
    return `\`${name}\``;
  }
  if (SIMPLE.test(name) && !RESERVED.has(name.toLowerCase())) return name;
  throw new LanternError(
    'usage',
    `Column "${name}" needs quoting, which the engines write differently: choose --quote backtick (Spark SQL, BigQuery) or --quote ansi (Trino, DuckDB).`,
  );
}

/**
 * A string literal every engine reads the same: Spark reads a backslash as an escape and does not take a
 * doubled quote, so text with either cannot be written portably.
 */
export function portableText(value: string): string {
  if ([...value].some((ch) => ch === "'" || ch === '\\' || ch.charCodeAt(0) < 0x20))
    throw new LanternError(
      'usage',
      `"${value}" has a quote, backslash or control character, which a portable SQL literal cannot hold; rename it.`,
    );
  return `'${value}'`;
}

/** A double literal: exponent notation is a double in all four engines (0.5 would be a DECIMAL in Spark and Trino). */
export function portableDouble(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`Cannot write ${x} as a SQL literal`);
  return x.toExponential().toUpperCase();
}
