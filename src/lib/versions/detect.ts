/**
 * Reads from a log's columns whether it holds model versions and how: two output columns of the same
 * kind that differ by a version mark (paired, a shadow deployment), or a low-cardinality column named
 * like a version with one output column (split, a canary or an A/B test). Every choice carries its
 * reason; the user can change all of them.
 */
import type { Db } from '../db';
import { inferRoles } from '../roles';
import { describeTable, type ColumnInfo } from '../schema';
import { ident, num, oneOf, rowsOf, select, sql, text } from '../sql';
import type { VersionsDetection } from './types';

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const VERSION_COLUMN = new Set([
  'version',
  'model',
  'variant',
  'arm',
  'bucket',
  'treatment',
  'experiment',
  'cohort',
  'deployment',
  'release',
]);
/** Words of a version mark in an output column's name, or of a champion's name. */
const CHAMPION = new Set([
  'champion',
  'control',
  'baseline',
  'prod',
  'production',
  'current',
  'old',
  'incumbent',
  'primary',
  'a',
  'v1',
  'v0',
]);
const CHALLENGER = new Set(['challenger', 'candidate', 'shadow', 'canary', 'new', 'treatment', 'test', 'b', 'v2', 'next']);
const OUTPUT = new Set(['score', 'proba', 'probability', 'prob', 'prediction', 'predicted', 'pred', 'yhat', 'output', 'p']);

/** The name without its version mark: `score_v1` and `score_v2` share `score`; `champion_score` and `challenger_score` too. */
function stem(name: string): { stem: string; mark: string } | null {
  const w = words(name);
  const markAt = w.findIndex((x) => CHAMPION.has(x) || CHALLENGER.has(x) || /^v\d+$/.test(x) || /^(model|m)\d+$/.test(x));
  if (markAt >= 0) return { stem: w.filter((_, i) => i !== markAt).join('_'), mark: w[markAt]! };
  const m = /^(.*?)[_\-. ]?(\d+)$/.exec(name.toLowerCase());
  if (m && m[1]) return { stem: words(m[1]).join('_'), mark: m[2]! };
  return null;
}

/** Version order: the champion first (by name, else the lower version number, else column order). */
function championFirst(a: string, b: string): number {
  const rank = (mark: string) => (CHAMPION.has(mark) ? 0 : CHALLENGER.has(mark) ? 2 : 1);
  const num = (mark: string) => Number(/\d+/.exec(mark)?.[0] ?? NaN);
  const d = rank(a) - rank(b);
  if (d) return d;
  const na = num(a);
  const nb = num(b);
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : 0;
}

interface Range {
  lo: number;
  hi: number;
}

async function numericRange(db: Db, table: string, column: string, signal?: AbortSignal): Promise<Range> {
  const c = sql`TRY_CAST(${ident(column)} AS DOUBLE)`;
  return oneOf(db, select({ lo: num(sql`min(${c})`), hi: num(sql`max(${c})`) }, sql`FROM ${ident(table)} WHERE isfinite(${c})`), {
    signal,
  });
}

/** Paired: two output columns (by name) of one stem whose values share a domain. */
async function pairedLayout(db: Db, table: string, columns: ColumnInfo[], signal?: AbortSignal): Promise<VersionsDetection | null> {
  const roles = inferRoles(columns);
  const outputs = columns.filter(
    (c) =>
      roles[c.name] === 'score' ||
      roles[c.name] === 'prediction' ||
      words(c.name).some((w) => OUTPUT.has(w) || CHAMPION.has(w) || CHALLENGER.has(w)),
  );
  const byStem = new Map<string, { column: ColumnInfo; mark: string }[]>();
  for (const c of outputs) {
    const s = stem(c.name);
    if (!s) continue;
    const list = byStem.get(s.stem) ?? [];
    list.push({ column: c, mark: s.mark });
    byStem.set(s.stem, list);
  }
  for (const [name, list] of byStem) {
    if (list.length < 2) continue;
    const kinds = new Set(list.map((x) => x.column.kind));
    if (kinds.size !== 1) continue;
    const sorted = [...list].sort((a, b) => championFirst(a.mark, b.mark));
    const [a, b] = [sorted[0]!, sorted[1]!];
    const reasons = [
      `"${a.column.name}" and "${b.column.name}" are the same output ("${name}") of two versions: every row is scored by both (shadow)`,
    ];
    if (a.column.kind === 'numeric') {
      const [ra, rb] = [await numericRange(db, table, a.column.name, signal), await numericRange(db, table, b.column.name, signal)];
      const unit = (r: Range) => r.lo >= 0 && r.hi <= 1;
      if (unit(ra) !== unit(rb)) continue;
      if (unit(ra)) reasons.push('both hold probabilities in [0, 1]');
    }
    reasons.push(
      CHAMPION.has(a.mark) || CHALLENGER.has(b.mark)
        ? `"${a.column.name}" is the champion by its name`
        : `"${a.column.name}" is the champion: the earlier version`,
    );
    return { layout: { mode: 'paired', champion: a.column.name, challenger: b.column.name }, reasons };
  }
  return null;
}

/** Split: a text or integer column named like a version, with 2 to 10 values, beside one output column. */
async function splitLayout(db: Db, table: string, columns: ColumnInfo[], signal?: AbortSignal): Promise<VersionsDetection | null> {
  const roles = inferRoles(columns);
  const output = columns.find((c) => roles[c.name] === 'score') ?? columns.find((c) => roles[c.name] === 'prediction');
  if (!output) return null;
  for (const c of columns) {
    if (c === output || (c.kind !== 'string' && c.kind !== 'numeric')) continue;
    const w = words(c.name);
    if (!w.some((x) => VERSION_COLUMN.has(x))) continue;
    const counts = await rowsOf(
      db,
      select(
        { value: text(sql`CAST(${ident(c.name)} AS VARCHAR)`), n: num(sql`count(*)::DOUBLE`) },
        sql`FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 11`,
      ),
      { signal },
    );
    if (counts.length < 2 || counts.length > 10) continue;
    const values = counts.map((r) => r.value ?? '');
    const named = values.find((v) => words(v).some((x) => CHAMPION.has(x)));
    const baseline = named ?? values[0]!;
    return {
      layout: { mode: 'split', version: c.name, output: output.name, baseline },
      reasons: [
        `"${c.name}" names the version that scored each row (${values.length} values: ${values.join(', ')}), and "${output.name}" is its output: a split (canary or A/B)`,
        named ? `"${baseline}" is the baseline by its name` : `"${baseline}" is the baseline: it served the most rows`,
      ],
    };
  }
  return null;
}

/** The versions in a table, paired first (a shadow log may also carry a model column), or null. */
export async function detectVersions(db: Db, table: string, signal?: AbortSignal): Promise<VersionsDetection | null> {
  const columns = await describeTable(db, table);
  return (await pairedLayout(db, table, columns, signal)) ?? (await splitLayout(db, table, columns, signal));
}

/** The versions of a split layout in the order they are compared: the baseline first, then by rows served. */
export async function splitValues(
  db: Db,
  table: string,
  column: string,
  baseline: string | undefined,
  signal?: AbortSignal,
): Promise<{ value: string; rows: number }[]> {
  const counts = await rowsOf(
    db,
    select(
      { value: text(sql`CAST(${ident(column)} AS VARCHAR)`), n: num(sql`count(*)::DOUBLE`) },
      sql`FROM ${ident(table)} WHERE ${ident(column)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
    ),
    { signal },
  );
  const values = counts.map((r) => ({ value: r.value ?? '', rows: r.n }));
  const first = baseline ?? values.find((v) => words(v.value).some((x) => CHAMPION.has(x)))?.value ?? values[0]?.value;
  return [...values.filter((v) => v.value === first), ...values.filter((v) => v.value !== first)];
}

/**
 * Two model files' names in champion-first order, by the same version marks as columns (`champion.json`
 * before `challenger.json`, `model_v1.json` before `model_v2.json`); without marks, the order given.
 */
export function championFirstNames(a: string, b: string): [string, string] {
  const strip = (n: string) => n.replace(/\.[a-z0-9]+$/i, '');
  const [sa, sb] = [stem(strip(a)), stem(strip(b))];
  return sa && sb && championFirst(sa.mark, sb.mark) > 0 ? [b, a] : [a, b];
}
