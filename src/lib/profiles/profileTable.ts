/**
 * Profiling a loaded table on Lantern's own engine: the same query `lantern profile --emit-sql` prints,
 * over the table, then the rows into a profile.
 */
import type { Db, Row } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import type { RoleMap } from '../roles';
import { describeTable, type ColumnInfo } from '../schema';
import { ident } from '../sql';
import { DEFAULT_ALPHA, DEFAULT_NUMERIC_VALUES_CAP, DEFAULT_TEXT_VALUES_CAP, type Profile, type WindowUnit } from './format';
import { profileFromRows } from './fromRows';
import { profileQuery, ROW_KINDS, type ProfileQuerySpec, type SpecKind } from './profileSql';

export interface ProfileOptions {
  /** Roles per column (inferred by the caller); id, ignore and timestamp columns are not profiled. */
  roles?: RoleMap;
  time?: { column: string; window: WindowUnit } | null;
  segments?: readonly string[];
  performance?: { label: string; score: string; positive?: string | number; threshold?: number } | null;
  alpha?: number;
  caps?: { numericValues: number; textValues: number };
  sources?: string[];
  signal?: AbortSignal;
}

const SKIPPED_ROLES = new Set(['id', 'ignore', 'timestamp']);

export function specKind(c: ColumnInfo): SpecKind | null {
  if (c.kind === 'numeric') return 'numeric';
  if (c.kind === 'boolean') return 'boolean';
  if (c.kind === 'string') return 'text';
  return null;
}

/** The query spec for a table whose columns are known (shared by the app, the CLI and --emit-sql). */
export function specFor(
  columns: readonly ColumnInfo[],
  source: string,
  quote: ProfileQuerySpec['quote'],
  options: ProfileOptions,
): ProfileQuerySpec {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const need = (name: string, what: string) => {
    const c = byName.get(name);
    if (!c)
      throw new LanternError(
        'usage',
        `The ${what} column "${name}" is not in the data. Columns: ${columns.map((x) => x.name).join(', ')}.`,
      );
    return c;
  };
  const time = options.time ?? null;
  if (time && need(time.column, 'time').kind !== 'temporal')
    throw new LanternError('usage', `The time column "${time.column}" is not a date or timestamp column.`);
  const segments = (options.segments ?? []).map((name) => {
    const kind = specKind(need(name, 'segment'));
    if (!kind) throw new LanternError('usage', `The segment column "${name}" must hold text, numbers or true/false.`);
    return { name, kind };
  });
  let performance: ProfileQuerySpec['performance'] = null;
  if (options.performance) {
    const { label, score } = options.performance;
    const labelKind = specKind(need(label, 'label'));
    if (!labelKind) throw new LanternError('usage', `The label column "${label}" must hold classes (text, numbers or true/false).`);
    if (need(score, 'score').kind !== 'numeric') throw new LanternError('usage', `The score column "${score}" must hold numbers.`);
    const positive = options.performance.positive ?? (labelKind === 'text' ? null : 1);
    if (positive === null) throw new LanternError('usage', `Say which class of "${label}" is the positive one.`);
    performance = {
      label,
      labelKind,
      score,
      positive: labelKind === 'numeric' ? Number(positive) : String(positive),
      threshold: options.performance.threshold ?? 0.5,
    };
  }
  const roles = options.roles ?? {};
  const profiled = columns.flatMap((c) => {
    const kind = specKind(c);
    return kind && !SKIPPED_ROLES.has(roles[c.name] ?? 'feature') ? [{ name: c.name, kind }] : [];
  });
  return {
    source,
    columns: profiled,
    time,
    segments,
    performance,
    alpha: options.alpha ?? DEFAULT_ALPHA,
    caps: options.caps ?? { numericValues: DEFAULT_NUMERIC_VALUES_CAP, textValues: DEFAULT_TEXT_VALUES_CAP },
    quote,
  };
}

/**
 * Columns profiled per query. The query is a UNION of a few branches per column; DuckDB plans ten thousand
 * columns of it into an out-of-memory kill, and 20 columns plan in milliseconds (10,000 columns of 200 rows: 50 s by 20, 59 s by 50, 94 s by 150). The portable query that
 * `--emit-sql` prints for a cluster stays one statement.
 */
const PROFILE_COLUMNS_PER_QUERY = 20;

/** Row kinds about one profiled column (`c` its index in the query), or the score of a class when `c` is past the columns. */
const COLUMN_KINDS: ReadonlySet<string> = new Set([
  ROW_KINDS.column,
  ROW_KINDS.numericStats,
  ROW_KINDS.positiveBucket,
  ROW_KINDS.negativeBucket,
  ROW_KINDS.value,
  ROW_KINDS.textStats,
  ROW_KINDS.textValue,
]);

/**
 * The rows of a query over the columns `at`..`at + size` as rows of one query over all `total` columns:
 * column indexes shifted by `at`, the per-class score columns (indexes `size`, `size + 1`) moved after all
 * columns, and the rows about the whole table (header, row counts, performance, the scores) kept from the
 * first query only.
 */
function asPartOf(rows: readonly Row[], part: { at: number; size: number; total: number }): Row[] {
  return rows.flatMap((row) => {
    const k = String(row['k']);
    if (!COLUMN_KINDS.has(k)) return part.at === 0 ? [row] : [];
    const c = Number(row['c']);
    if (c < part.size) return [{ ...row, c: c + part.at }];
    return part.at === 0 ? [{ ...row, c: c - part.size + part.total }] : [];
  });
}

export async function profileTable(db: Db, table: string, options: ProfileOptions = {}): Promise<Profile> {
  const columns = await describeTable(db, table);
  const spec = specFor(columns, ident(table).text, 'ansi', options);
  throwIfAborted(options.signal);
  const rows: Row[] = [];
  for (let at = 0; at < spec.columns.length || at === 0; at += PROFILE_COLUMNS_PER_QUERY) {
    const part = { ...spec, columns: spec.columns.slice(at, at + PROFILE_COLUMNS_PER_QUERY) };
    // The window start as text: a DATE arrives as a JS Date (UTC midnight) from one engine and text from another.
    const found = await db.query(`SELECT * REPLACE (CAST(w AS VARCHAR) AS w) FROM (${profileQuery(part)})`, { signal: options.signal });
    // Not push(...): a profile query returns hundreds of thousands of rows, past the argument limit.
    for (const row of asPartOf(found, { at, size: part.columns.length, total: spec.columns.length })) rows.push(row);
  }
  const roles = Object.fromEntries(Object.entries(options.roles ?? {}).filter(([name]) => columns.some((c) => c.name === name)));
  return profileFromRows(rows, {
    sources: options.sources ?? [table],
    roles,
    types: Object.fromEntries(columns.map((c) => [c.name, c.type])),
  });
}
