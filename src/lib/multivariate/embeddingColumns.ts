/**
 * Which columns of a dataset hold embeddings: a LIST of numbers (`DOUBLE[]`), a fixed-size ARRAY
 * (`FLOAT[384]`), or many numeric columns that share a prefix and end in a number (`emb_0`..`emb_63`,
 * `e0`.., `vec_1`..). Read from the two schemas alone, so it costs no query; the user can ungroup a prefix
 * group to see its columns one by one (decision 0971).
 */
import type { ColumnInfo } from '../schema';

export interface EmbeddingColumn {
  /** The list column's name, or the prefix group's name: its prefix followed by `*` (`emb_*`). */
  name: string;
  source: 'list' | 'array' | 'prefix';
  /** The one list / array column, or the grouped columns in the order of their numbers. */
  columns: string[];
  /** Numbers per vector: from the type (array) or the group (prefix); a list's is read from its rows. */
  dims: number | null;
}

/** A prefix group needs this many columns: fewer are ordinary numbered features (`x1`, `x2`, `x3`). */
export const MIN_PREFIX_COLUMNS = 8;
/**
 * A group wider than the widest embeddings models give (4,096 numbers) is a wide table of features
 * (sensors, genes, pixels) named by number, not one vector.
 */
export const MAX_PREFIX_COLUMNS = 4096;

const NUMBER_TYPE =
  '(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\\(\\d+,\\s*\\d+\\))';
const VECTOR_TYPE = new RegExp(`^${NUMBER_TYPE}\\[(\\d*)\\]$`);
/** A name that ends in a number after something that is not a digit: the prefix and the number. */
const NUMBERED = /^(.*\D)(\d+)$/s;
/**
 * Prefixes that name a vector (emb_, embedding_, e, vec_, z, latent_, hidden_): numbered columns under other
 * names (V1..V28 of a card-fraud table, f0..f519, x1..x40) are features of their own, each tested and shown.
 */
const VECTOR_PREFIX = /^(e|z|h|emb|embs|embed|embedding|embeddings|vec|vector|vectors|latent|hidden|enc|encoding|dim)$|emb|vec|latent/i;
const namesAVector = (prefix: string) => VECTOR_PREFIX.test(prefix.replace(/[_\-. ]+$/, ''));

/** A vector column's type: `DOUBLE[]` (a list) or `FLOAT[16]` (an array of 16); null for other types. */
export function vectorType(type: string): { source: 'list' | 'array'; dims: number | null } | null {
  const m = VECTOR_TYPE.exec(type);
  if (!m) return null;
  return m[1] ? { source: 'array', dims: Number(m[1]) } : { source: 'list', dims: null };
}

export interface DetectOptions {
  /** Columns to leave alone (ids, timestamps, the model's outputs): by name. */
  skip?: ReadonlySet<string>;
  /** Prefix groups (by name, `emb_*`) the user wants as separate columns. */
  ungroup?: readonly string[];
  minColumns?: number;
}

/**
 * The embeddings both sides share, in the reference's column order. A prefix group takes the numeric
 * columns present in both files whose numbers run without a gap (0..n or 1..n); a list or array column
 * must be one in both files.
 */
export function detectEmbeddings(
  reference: readonly ColumnInfo[],
  current: readonly ColumnInfo[],
  options: DetectOptions = {},
): EmbeddingColumn[] {
  const cur = new Map(current.map((c) => [c.name, c]));
  const skip = options.skip ?? new Set<string>();
  const ungroup = new Set(options.ungroup ?? []);
  const min = options.minColumns ?? MIN_PREFIX_COLUMNS;
  const found: { at: number; column: EmbeddingColumn }[] = [];
  const groups = new Map<string, { at: number; members: { name: string; n: number }[] }>();
  reference.forEach((r, at) => {
    const c = cur.get(r.name);
    if (!c || skip.has(r.name)) return;
    const rv = vectorType(r.type);
    const cv = vectorType(c.type);
    if (rv && cv) {
      const dims = rv.dims !== null && rv.dims === cv.dims ? rv.dims : null;
      found.push({
        at,
        column: { name: r.name, source: rv.source === 'array' && cv.source === 'array' ? 'array' : 'list', columns: [r.name], dims },
      });
      return;
    }
    if (r.kind !== 'numeric' || c.kind !== 'numeric') return;
    const m = NUMBERED.exec(r.name);
    if (!m) return;
    const group = groups.get(m[1]!) ?? { at, members: [] };
    group.members.push({ name: r.name, n: Number(m[2]) });
    groups.set(m[1]!, group);
  });
  const names = new Set(reference.map((c) => c.name));
  for (const [prefix, { at, members }] of groups) {
    const name = `${prefix}*`;
    if (members.length < min || members.length > MAX_PREFIX_COLUMNS || !namesAVector(prefix) || ungroup.has(name) || names.has(name))
      continue;
    members.sort((a, b) => a.n - b.n);
    const distinct = new Set(members.map((x) => x.n)).size === members.length;
    const gapless = members[members.length - 1]!.n - members[0]!.n === members.length - 1;
    if (!distinct || !gapless || members[0]!.n > 1) continue;
    found.push({ at, column: { name, source: 'prefix', columns: members.map((x) => x.name), dims: members.length } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.column);
}

/** The prefix group a numbered column would belong to (`emb_3` -> `emb_*`), or null. */
export function prefixGroupOf(column: string): string | null {
  const m = NUMBERED.exec(column);
  return m ? `${m[1]!}*` : null;
}

/** Why a column is left out of the per-column tests when it belongs to an embedding. */
export function embeddingReason(e: EmbeddingColumn): string {
  return e.source === 'prefix'
    ? `grouped into the embedding ${e.name} (${e.columns.length} columns), compared as vectors`
    : 'an embedding, compared as vectors';
}

/** Prefix groups the detection would find if nothing were ungrouped: what the user may ungroup or regroup. */
export function prefixGroups(reference: readonly ColumnInfo[], current: readonly ColumnInfo[], skip?: ReadonlySet<string>): string[] {
  return detectEmbeddings(reference, current, skip ? { skip } : {})
    .filter((e) => e.source === 'prefix')
    .map((e) => e.name);
}
