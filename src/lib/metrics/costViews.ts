/**
 * Costs as the Performance view shows them: at the threshold, the cost-optimal threshold with its cost
 * and the cost curve, by time window and by slice. A binary classifier with scores is answered from the
 * performance session's per-score counts (src/lib/metrics/thresholdViews.ts), so a slider move recomputes
 * every cost in JS; other classifiers from one GROUP BY per grouping.
 */
import { rowsOf } from '../sql';
import type { Db } from '../db';
import type { Dimension } from '../slices/dimensions';
import { ident } from '../sql';
import {
  classCosts,
  costAt,
  costOfConfusion,
  costSweep,
  multiclassCost,
  thinCurve,
  type CostAt,
  type CostCurvePoint,
  type CostSettings,
  type OutcomeCosts,
} from './costs';
import { binaryByGroupSql } from './groupedBinary';
import type { ScoreCountGroup } from './groupedScores';
import type { ConfusionCell } from './multiclass';
import type { ScoreTable } from './scoreTable';
import { labelledSql, labelTextSql, predictionTextSql, type PerfSpec } from './spec';

export interface CostReport {
  settings: CostSettings;
  /** The expected cost at the threshold (or of the predictions, without a score). */
  at: CostAt;
  /** Binary with scores: the cost-optimal threshold over every distinct score, and the curve (thinned for the chart). */
  best: CostCurvePoint | null;
  curve: CostCurvePoint[];
  /** Distinct scores the sweep went through. */
  swept: number;
  windows: ({ start: number } & CostAt)[] | null;
  slices: { dimension: string; rows: ({ value: string } & CostAt)[] } | null;
}

const binaryCosts = (s: CostSettings): OutcomeCosts => ({ fp: s.fp, fn: s.fn, tp: s.tp, tn: s.tn });

/** Costs from the per-score counts a session caches: no query. */
export function costsFromCounts(
  settings: CostSettings,
  threshold: number,
  overall: ScoreTable,
  windows: ReadonlyMap<number, ScoreCountGroup> | null,
  slices: { dim: Dimension; groups: readonly ScoreCountGroup[] } | null,
): CostReport {
  const c = binaryCosts(settings);
  const sweep = costSweep(overall, c);
  const at = costAt(overall, c, threshold);
  const nearest = sweep.curve.find((p) => p.threshold >= threshold) ?? null;
  return {
    settings,
    at,
    best: sweep.best,
    curve: thinCurve(sweep.curve, 400, [sweep.best, nearest]),
    swept: sweep.curve.length,
    windows: windows
      ? [...windows.values()].filter((g) => g.table).map((g) => ({ start: g.key[0]!, ...costAt(g.table!, c, threshold) }))
      : null,
    slices: slices
      ? {
          dimension: slices.dim.name,
          rows: slices.groups
            .filter((g) => g.table && g.key[0]! > 0)
            .map((g) => ({ value: slices.dim.values[g.key[0]! - 1]!.label, ...costAt(g.table!, c, threshold) })),
        }
      : null,
  };
}

/** Label x prediction counts per group (one key expression), for multiclass costs. */
async function cellsByKey(db: Db, spec: PerfSpec, key: string | null, signal?: AbortSignal): Promise<Map<string, ConfusionCell[]>> {
  const k = key ? `${key} AS __k, ` : '';
  const rows = await db.query(
    `SELECT ${k}${labelTextSql(spec)} AS __label, ${predictionTextSql(spec)} AS __pred, count(*)::DOUBLE AS __n FROM ${ident(spec.table)} WHERE ${labelledSql(spec)}${key ? ` AND (${key}) IS NOT NULL` : ''} GROUP BY ALL`,
    { signal },
  );
  const out = new Map<string, ConfusionCell[]>();
  for (const r of rows) {
    if (r['__pred'] === null) continue;
    const id = key ? String(r['__k'] instanceof Date ? r['__k'].getTime() : r['__k']) : '';
    let cells = out.get(id);
    if (!cells) out.set(id, (cells = []));
    cells.push({ label: String(r['__label']), predicted: String(r['__pred']), count: Number(r['__n']) });
  }
  return out;
}

/** Confusion counts per group of a binary classifier (with or without scores), from one scan. */
async function confusionByKey(db: Db, spec: PerfSpec, key: string | null, signal?: AbortSignal) {
  const rows = await rowsOf(db, binaryByGroupSql(spec, key ? [{ sql: key, as: '__k' }] : []), signal ? { signal } : {});
  const out = new Map<string, { tp: number; fp: number; tn: number; fn: number }>();
  for (const { key: k, row } of rows) {
    const v = k[0];
    if (key && (v === null || v === undefined)) continue;
    const id = key ? String(v instanceof Date ? v.getTime() : v) : '';
    out.set(id, { tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn });
  }
  return out;
}

/**
 * Costs of a classifier without per-score counts (a binary one with predicted labels only, or a
 * multiclass one), at the spec's threshold: overall, per window (`windowSql` gives a window's start as
 * epoch ms) and per value of a slicing dimension.
 */
export async function costsByQuery(
  db: Db,
  spec: PerfSpec,
  settings: CostSettings,
  options: { windowSql?: string | undefined; dim?: Dimension | undefined; signal?: AbortSignal | undefined } = {},
): Promise<CostReport> {
  const { signal } = options;
  const cost = async (key: string | null): Promise<Map<string, CostAt>> => {
    const out = new Map<string, CostAt>();
    if (spec.task === 'multiclass')
      for (const [k, cells] of await cellsByKey(db, spec, key, signal)) out.set(k, multiclassCost(cells, settings));
    else
      for (const [k, m] of await confusionByKey(db, spec, key, signal))
        out.set(k, costOfConfusion(binaryCosts(settings), m, spec.score ? spec.threshold : null));
    return out;
  };
  const overall = (await cost(null)).get('') ?? { threshold: null, n: 0, total: 0, perPrediction: null };
  const windows = options.windowSql ? await cost(`epoch_ms(${options.windowSql})`) : null;
  const dim = options.dim;
  const slices = dim ? await cost(dim.codeSql) : null;
  return {
    settings,
    at: overall,
    best: null,
    curve: [],
    swept: 0,
    windows: windows ? [...windows].map(([k, c]) => ({ start: Number(k), ...c })).sort((a, b) => a.start - b.start) : null,
    slices:
      dim && slices
        ? {
            dimension: dim.name,
            rows: [...slices]
              .filter(([k]) => Number(k) > 0)
              .sort((a, b) => Number(a[0]) - Number(b[0]))
              .map(([k, c]) => ({ value: dim.values[Number(k) - 1]!.label, ...c })),
          }
        : null,
  };
}

/** The per-class costs in force for each class of a multiclass model (for the settings table). */
export function costsPerClass(settings: CostSettings, classes: readonly string[]): { cls: string; costs: OutcomeCosts }[] {
  return classes.map((cls) => ({ cls, costs: classCosts(settings, cls) }));
}
