/**
 * Scores the log with the model file and compares with the scores the log holds, per segment and window:
 * where they disagree, production served another model (a stale or wrong version) or fed the model other
 * inputs than the log shows - a bug no distribution test can tell from a change in the world. The
 * counts feed a measure like the grid's (share of rows whose logged score is not the model's).
 */
import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import { twoProportionZTest } from '../drift/ztest';
import type { TreeEnsemble } from '../model/ensemble';
import { matchFeatures } from '../model/features';
import { numericTextColumns, sampledRowsSql } from '../model/matrix';
import { replayPredictions } from '../model/replay';
import { describeTable } from '../schema';
import { ident, join, raw, sql, type Sql } from '../sql';
import { ALL, type GridDimension, type SegmentKey } from './grid';
import type { Measure } from './measures';
import type { CalendarUnit } from './windows';

/** Rows replayed at most per side (a uniform sample beyond: every k-th row). */
export const REPLAY_ROWS = 300_000;

export interface ReplayCounts {
  /** What the logged score was compared with: the model's probability, its margin, or its class. */
  scale: string;
  /** (dim:code:window) -> [rows, disagreeing rows]; the reference's under window -1. */
  cells: Map<string, [number, number]>;
  /** Every k-th row was replayed. */
  every: number;
  hasReference: boolean;
}

const key = (s: SegmentKey, w: number) => `${s.dim}:${s.code}:${w}`;

/** Reads one side's inputs, logged score, segment codes and window, and replays the model on it. */
async function replaySide(
  db: Db,
  model: TreeEnsemble,
  table: string,
  score: string,
  dims: GridDimension[],
  window: { timeSql: string; unit: CalendarUnit; windowOf: (start: number) => number | undefined } | null,
  cells: Map<string, [number, number]>,
  signal?: AbortSignal,
): Promise<{ scale: string; every: number } | null> {
  const columns = await describeTable(db, table);
  const match = matchFeatures(model, columns, await numericTextColumns(db, table, columns));
  if (!match.ok || !columns.some((c) => c.name === score)) return null;
  const [count] = await db.query(`SELECT count(*)::DOUBLE AS n FROM ${ident(table)}`, { signal });
  const rows = Number(count?.['n'] ?? 0);
  const every = Math.max(1, Math.ceil(rows / REPLAY_ROWS));
  const parts: Sql[] = (match.columns as string[]).map(
    (c, i) => sql`COALESCE(TRY_CAST(${ident(c)} AS DOUBLE), 'NaN'::DOUBLE) AS ${raw(`f${i}`)}`,
  );
  parts.push(sql`COALESCE(TRY_CAST(${ident(score)} AS DOUBLE), 'NaN'::DOUBLE) AS s`);
  dims.forEach((d, i) => parts.push(sql`CAST(${raw(d.codeSql)} AS INTEGER) AS ${raw(`d${i}`)}`));
  if (window) parts.push(sql`epoch_ms(date_trunc(${window.unit}, ${raw(window.timeSql)}))::DOUBLE AS w`);
  const arrow = tableFromIPC(await db.queryArrow(sampledRowsSql(join(parts, ', '), table, undefined, every).text, { signal }));
  const n = arrow.numRows;
  const F = match.columns.length;
  const X = new Float64Array(n * F);
  for (let f = 0; f < F; f++) {
    const v = arrow.getChild(`f${f}`)!.toArray() as Float64Array;
    for (let r = 0; r < n; r++) X[r * F + f] = v[r]!;
  }
  const logged = Float64Array.from(arrow.getChild('s')!.toArray() as Float64Array);
  const result = replayPredictions(model, X, n, logged);
  const codes = dims.map((_, i) => arrow.getChild(`d${i}`)!.toArray() as Int32Array);
  const wChild = window ? arrow.getChild('w') : null;
  const agrees = (a: number, b: number) => Math.abs(a - b) <= result.absolute + result.relative * Math.abs(b);
  const add = (k: string, bad: boolean) => {
    const c = cells.get(k) ?? [0, 0];
    c[0]++;
    if (bad) c[1]++;
    cells.set(k, c);
  };
  for (let r = 0; r < n; r++) {
    const l = logged[r]!;
    if (l !== l) continue;
    let w = -1;
    if (wChild && window) {
      if (!wChild.isValid(r)) continue;
      w = window.windowOf(wChild.get(r) as number) ?? -2;
      if (w < 0) continue;
    }
    const bad = !agrees(result.modelValues[r]!, l);
    add(key(ALL, w), bad);
    codes.forEach((c, i) => add(key({ dim: i, code: c[r]! }, w), bad));
  }
  return { scale: result.scale, every };
}

/** Replay counts for the log (and the reference when it holds the same score column). */
export async function replayCounts(
  db: Db,
  model: TreeEnsemble,
  input: {
    current: string;
    reference?: string | undefined;
    score: string;
    dims: GridDimension[];
    timeSql: string;
    unit: CalendarUnit;
    windowOf: (start: number) => number | undefined;
  },
  signal?: AbortSignal,
): Promise<ReplayCounts | null> {
  if (model.numOutputs !== 1) return null;
  const cells = new Map<string, [number, number]>();
  const cur = await replaySide(
    db,
    model,
    input.current,
    input.score,
    input.dims,
    { timeSql: input.timeSql, unit: input.unit, windowOf: input.windowOf },
    cells,
    signal,
  );
  if (!cur) return null;
  const ref = input.reference ? await replaySide(db, model, input.reference, input.score, input.dims, null, cells, signal) : null;
  return { scale: cur.scale, cells, every: cur.every, hasReference: ref !== null };
}

type Share = { rows: number; bad: number };

/** Share of rows whose logged score is not what the model gives; the baseline is the reference's (or none). */
export function replayMismatch(counts: ReplayCounts, column: string): Measure<Share> {
  const get = (s: SegmentKey, w: number): Share => {
    const c = counts.cells.get(key(s, w));
    return { rows: c?.[0] ?? 0, bad: c?.[1] ?? 0 };
  };
  return {
    kind: 'output-drift',
    column,
    aspect: 'replay',
    threshold: 0.01,
    current: (s, from, to) => {
      let rows = 0;
      let bad = 0;
      for (let w = from; w <= to; w++) {
        const c = get(s, w);
        rows += c.rows;
        bad += c.bad;
      }
      return { rows, bad };
    },
    // Training data scored by the same model agrees with it; without scores there, agreement is the expectation.
    reference: (s) => (counts.hasReference ? get(s, -1) : { rows: Number.POSITIVE_INFINITY, bad: 0 }),
    rows: (x) => x.rows,
    minus: (a, b) => ({ rows: a.rows - b.rows, bad: a.bad - b.bad }),
    compare(cur, base) {
      if (cur.rows < 1 || base.rows < 1) return null;
      const share = cur.bad / cur.rows;
      const baseline = base.bad / base.rows;
      // Without scores in the reference the expectation is full agreement: any disagreement is evidence.
      const p = Number.isFinite(base.rows) ? twoProportionZTest(base.bad, base.rows, cur.bad, cur.rows).pValue : cur.bad > 0 ? 0 : 1;
      return {
        effect: Math.max(0, share - baseline),
        deviation: Math.abs(share - baseline),
        p: share > baseline ? p : 1,
        detail: { share, baseline },
      };
    },
  };
}
