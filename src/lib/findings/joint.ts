/**
 * Inputs that stopped moving together: each column keeps its own distribution, so no per-column test sees
 * it, but rows no longer look like the reference's (a feed joined to the wrong rows, two columns swapped
 * for part of the traffic). The grid screens each row's reconstruction error (NannyML's, see
 * src/lib/multivariate/reconstruction.ts: a PCA of the reference rebuilds the row) like any other number,
 * per segment and window; here the reconstruction is fitted, and each finding is told which columns the
 * reference's relations rebuild worst there, so the analyst knows which relation broke.
 */
import type { Db } from '../db';
import { LanternError, throwIfAborted } from '../errors';
import { fitReconstruction, rowResidualsSql, type ReconstructionModel } from '../multivariate/reconstruction';
import { EXPLAINED_VARIANCE } from '../multivariate/reconstructionDrift';
import { ident, join, raw, sql, type Sql } from '../sql';
import { placeSql } from './confirm';
import { welch, type Measure } from './measures';
import { without, type Grid, type Moments } from './grid';
import type { Finding, FindingKind } from './types';

/** Most columns fitted: the row's error is written out over pairs of columns. */
const MAX_COLUMNS = 24;
/** A joint finding whose rise comes mostly from columns with findings of their own says nothing new. */
const TOLD_SHARE = 0.5;
/** With the columns that have findings of their own read as unchanged, the rest must rise by this share of the reference's error (the joint measure's one unit). */
const REST_RISE = 0.1;
/** Findings about single columns that already tell a column's change. */
const COLUMN_KINDS: FindingKind[] = ['drift', 'scale-change', 'missing-values', 'stuck-value', 'new-category', 'data-quality'];

/**
 * The two halves of the reference, by a hash of the row's values in the fitted columns. The fit sees one
 * half; the baseline error is measured on the other, as the log's rows are: a PCA rebuilds the rows it was
 * fitted on better than any other (on 120 rows of 24 unrelated columns, a log from the same distribution
 * read +24% error against the fitted rows), and that optimism read as a broken relation.
 */
export function referenceHalfSql(columns: readonly string[], held: boolean): Sql {
  return sql`(hash(${join(
    columns.map((c) => ident(c)),
    ', ',
  )}) % 2 = ${held ? 1 : 0})`;
}

/** The reconstruction of the reference's numerical inputs, or null when it cannot show a broken relation. */
export async function fitJoint(db: Db, reference: string, columns: string[], signal?: AbortSignal): Promise<ReconstructionModel | null> {
  if (columns.length < 2) return null;
  try {
    const fitted = columns.slice(0, MAX_COLUMNS);
    let { model } = await fitReconstruction(db, reference, fitted, EXPLAINED_VARIANCE, signal, referenceHalfSql(fitted, false));
    // The halves are cut by the model's own columns: fitted again when a column without values was left out.
    if (model.columns.length < fitted.length) {
      const kept = model.columns;
      ({ model } = await fitReconstruction(db, reference, kept, EXPLAINED_VARIANCE, signal, referenceHalfSql(kept, false)));
      if (model.columns.length < kept.length) return null;
    }
    // As many components as columns rebuild every row exactly: there is no relation to break.
    return model.columns.length >= 2 && model.weights.length < model.columns.length ? model : null;
  } catch (error) {
    if (error instanceof LanternError && error.code !== 'cancelled') return null;
    throw error;
  }
}

/**
 * Mean squared residual per column of a table's rows that meet `where`. Columns in `neutral` read as
 * missing, which the reconstruction imputes at the reference mean: what the others' residuals would be
 * had those columns not changed.
 */
async function meanResiduals(
  db: Db,
  model: ReconstructionModel,
  table: string,
  where: string,
  signal?: AbortSignal,
  neutral: readonly string[] = [],
): Promise<number[]> {
  const cols = model.columns.map((_, j) => sql`avg(${ident(`r${j}`)})::DOUBLE AS ${ident(`m${j}`)}`);
  const replaced = neutral.length
    ? sql` REPLACE (${join(
        neutral.map((c) => sql`NULL AS ${ident(c)}`),
        ', ',
      )})`
    : raw('');
  const from = sql`(SELECT *${replaced} FROM ${ident(table)} WHERE ${raw(where)})`;
  const [row] = await db.query(sql`SELECT ${cols} FROM (${rowResidualsSql(model, from, raw('NULL'))})`.text, { signal });
  return model.columns.map((_, j) => Number(row?.[`m${j}`] ?? 0));
}

const overlapping = (a: Finding, b: Finding) => !a.window || !b.window || (a.window.start < b.window.end && b.window.start < a.window.end);
const sameOrWider = (wide: Finding, f: Finding) =>
  wide.segment.every((c) => f.segment.some((d) => d.column === c.column && d.value === c.value));

/**
 * Each joint finding named by the columns whose residual rose most at its place (against the same segment
 * in the reference); dropped when most of its rise comes from columns that already have findings of
 * their own there (a column that changed alone raises the error too).
 */
export async function nameJointFindings(
  db: Db,
  findings: Finding[],
  input: { model: ReconstructionModel; reference: string; current: string; tsSql: string },
  signal?: AbortSignal,
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.kind !== 'joint-drift') {
      out.push(f);
      continue;
    }
    throwIfAborted(signal);
    const where = placeSql(f, input);
    const here = await meanResiduals(db, input.model, input.current, where.current, signal);
    const held = `(${where.reference}) AND ${referenceHalfSql(input.model.columns, true).text}`;
    const before = await meanResiduals(db, input.model, input.reference, held, signal);
    const rising = input.model.columns
      .map((c, j) => ({ c, rise: here[j]! - before[j]! }))
      .filter((r) => r.rise > 0)
      .sort((a, b) => b.rise - a.rise);
    const total = rising.reduce((s, r) => s + r.rise, 0);
    const toldColumns = input.model.columns.filter((c) =>
      findings.some((g) => COLUMN_KINDS.includes(g.kind) && g.columns.includes(c) && overlapping(g, f) && sameOrWider(g, f)),
    );
    const told = rising.filter((r) => toldColumns.includes(r.c)).reduce((s, r) => s + r.rise, 0);
    if (!(total > 0) || told >= TOLD_SHARE * total) continue;
    let named = rising;
    if (toldColumns.length) {
      // A column far off scale raises every column's residual through the projection: the relation must
      // still be broken with the told columns read as unchanged, by more than a tenth of the reference's error.
      const hereRest = await meanResiduals(db, input.model, input.current, where.current, signal, toldColumns);
      const beforeRest = await meanResiduals(db, input.model, input.reference, held, signal, toldColumns);
      const untold = input.model.columns.map((c, j) => ({ c, j })).filter(({ c }) => !toldColumns.includes(c));
      const base = untold.reduce((s, { j }) => s + beforeRest[j]!, 0);
      named = untold.map(({ c, j }) => ({ c, rise: hereRest[j]! - beforeRest[j]! })).filter((r) => r.rise > 0);
      named.sort((a, b) => b.rise - a.rise);
      if (!(named.reduce((s, r) => s + r.rise, 0) > REST_RISE * base)) continue;
    }
    const top = named.slice(0, 3).map((r) => r.c);
    out.push({
      ...f,
      title: `${f.title}, most for ${top.join(', ')}`,
      detail:
        'Each column may keep its own distribution: what changed is how they relate (a feed joined to the wrong rows, values swapped between columns). The columns named are those the reference relations rebuild worst here.',
      columns: top,
      evidence: { ...f.evidence, method: 'pca_reconstruction', components: input.model.weights.length },
      link: { ...f.link, column: top[0]! },
    });
  }
  return out;
}

/**
 * Rows that no longer look like the reference's: the mean reconstruction error of the inputs (a PCA of the
 * reference, see src/lib/multivariate/reconstruction.ts) against the reference's. Each column may keep its
 * own distribution; what moved is how they relate. Only a rise is a problem.
 */
export function jointShift(grid: Grid, index: number, column: string): Measure<Moments> {
  return {
    kind: 'joint-drift',
    column,
    aspect: 'joint',
    // A tenth more error than the reference's is one unit.
    threshold: 0.1,
    current: (s, from, to) => grid.span(s, from, to).x[index]!,
    reference: (s) => grid.referenceCell(s).x[index]!,
    rows: (m) => m.n,
    minus: without,
    compare(cur, base) {
      if (cur.n < 2 || base.n < 2 || !(base.mean > 0)) return null;
      const relative = cur.mean / base.mean - 1;
      return {
        effect: Math.max(0, relative),
        deviation: Math.abs(relative),
        p: relative > 0 ? welch(cur, base) : 1,
        detail: { error: cur.mean, baselineError: base.mean, relative },
      };
    },
  };
}

interface JointCell {
  /** The rows' errors in the log, and the same segment's in the reference. */
  log: Moments;
  reference: Moments;
}

/**
 * The same error, for a segment against the other rows of its windows, each against its own rows in the
 * reference: a segment whose error rose much more than the rest's (a difference in differences). When the
 * whole log drifts a little (a new season, a new client), a segment where a relation broke still stands out.
 */
export function jointContrast(grid: Grid, index: number, column: string): Measure<JointCell> {
  return {
    kind: 'joint-drift',
    column,
    aspect: 'joint',
    threshold: 0.1,
    baseline: 'rest-of-window',
    current: (s, from, to) => ({ log: grid.span(s, from, to).x[index]!, reference: grid.referenceCell(s).x[index]! }),
    reference: (s) => ({ log: grid.referenceCell(s).x[index]!, reference: grid.referenceCell(s).x[index]! }),
    rows: (c) => c.log.n,
    minus: (a, b) => ({ log: without(a.log, b.log), reference: without(a.reference, b.reference) }),
    compare(cur, rest) {
      if (cur.log.n < 2 || rest.log.n < 2 || !(cur.reference.mean > 0) || !(rest.reference.mean > 0) || !(rest.log.mean > 0)) return null;
      // What the segment's error would be had it risen as much as the rest's.
      const expected = (cur.reference.mean * rest.log.mean) / rest.reference.mean;
      const relative = cur.log.mean / expected - 1;
      const ratio = expected / rest.log.mean;
      const scaled: Moments = { n: rest.log.n, mean: expected, m2: rest.log.m2 * ratio * ratio };
      return {
        effect: Math.max(0, relative),
        deviation: Math.abs(relative),
        p: relative > 0 ? welch(cur.log, scaled) : 1,
        detail: { error: cur.log.mean, baselineError: cur.reference.mean, expected, relative },
      };
    },
  };
}
