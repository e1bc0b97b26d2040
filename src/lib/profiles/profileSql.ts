/**
 * The one query that profiles a table: Lantern runs it on DuckDB, and `lantern profile --emit-sql` prints
 * it for a cluster (Spark SQL, Trino, BigQuery) to run where the data lives. It returns long rows (one per
 * part and figure, `ROW_KINDS`); `profileFromRows` turns them into a profile. The query profiles each day
 * (or all rows) and each segment value: weeks, months and the all-rows part are merged from those, which is
 * exact, so no engine-specific date function is needed.
 */
import type { WindowUnit } from './format';
import { portableDouble, portableIdent, portableText, type QuoteStyle } from './portableSql';

export type SpecKind = 'numeric' | 'text' | 'boolean';

export interface ProfileQuerySpec {
  /** The FROM clause: a table name as the engine knows it (written as given). */
  source: string;
  columns: { name: string; kind: SpecKind }[];
  time: { column: string; window: WindowUnit } | null;
  segments: { name: string; kind: SpecKind }[];
  performance: {
    label: string;
    labelKind: SpecKind;
    score: string;
    /** The positive class: a number for numeric labels, text for text labels (booleans: true). */
    positive: string | number;
    threshold: number;
  } | null;
  alpha: number;
  caps: { numericValues: number; textValues: number };
  quote: QuoteStyle;
}

/** What each row of the result is (column `k`). */
export const ROW_KINDS = {
  meta: 'a',
  column: 'h',
  timeHeader: 'hw',
  segmentHeader: 'hg',
  labelHeader: 'hl',
  scoreHeader: 'hq',
  positiveHeader: 'hv',
  rows: 'r',
  numericStats: 'n',
  value: 'v',
  positiveBucket: 'p',
  negativeBucket: 'm',
  textStats: 't',
  textValue: 's',
  performance: 'y',
} as const;

/** Window codes in the header row: days per window, roughly. */
export const WINDOW_CODE: Record<WindowUnit, number> = { day: 1, week: 7, month: 31 };

const KIND_CODE: Record<SpecKind, number> = { numeric: 0, text: 1, boolean: 2 };
export const KIND_OF_CODE: Record<number, SpecKind> = { 0: 'numeric', 1: 'text', 2: 'boolean' };

/** sklearn's log_loss clip (numpy's float64 eps), as src/lib/metrics uses. */
const LOG_LOSS_EPS = 2.220446049250313e-16;

const OUT = ['w', 'g', 'gt', 'gx', 'c', 'k', 'x', 's', 'n', 'f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7'] as const;
type Out = (typeof OUT)[number];

/** One SELECT list in the result's column order; every column not given is NULL. */
function selectList(values: Partial<Record<Out, string>>): string {
  return OUT.map((name) => `${values[name] ?? 'NULL'} AS ${name}`).join(', ');
}

const PART = 'w, g, gt, gx';
const partCols = { w: 'w', g: 'g', gt: 'gt', gx: 'gx' };

export function profileQuery(spec: ProfileQuerySpec): string {
  const q = (name: string) => portableIdent(name, spec.quote);
  const numExpr = (name: string, kind: SpecKind) =>
    kind === 'boolean' ? `CASE WHEN ${q(name)} THEN 1E0 WHEN NOT ${q(name)} THEN 0E0 END` : `(${q(name)} * 1E0)`;
  // Booleans are categories, as the drift of a file treats them: 'true' / 'false' (no CAST to a string type).
  const colExpr = (c: { name: string; kind: SpecKind }) =>
    c.kind === 'text'
      ? q(c.name)
      : c.kind === 'boolean'
        ? `CASE WHEN ${q(c.name)} THEN 'true' WHEN NOT ${q(c.name)} THEN 'false' END`
        : numExpr(c.name, c.kind);

  // Columns of the base rows: c0.. the profiled columns, then (with a label) the score of negatives and positives.
  const base: string[] = spec.columns.map((c, i) => `${colExpr(c)} AS c${i}`);
  const numeric = spec.columns.flatMap((c, i) => (c.kind === 'numeric' ? [i] : []));
  const text = spec.columns.flatMap((c, i) => (c.kind === 'numeric' ? [] : [i]));
  const perf = spec.performance;
  if (perf) {
    const label = q(perf.label);
    const y =
      perf.labelKind === 'boolean'
        ? `CASE WHEN ${label} THEN 1E0 WHEN NOT ${label} THEN 0E0 END`
        : `CASE WHEN ${label} IS NULL THEN NULL WHEN ${label} = ${typeof perf.positive === 'number' ? portableDouble(perf.positive) : portableText(perf.positive)} THEN 1E0 ELSE 0E0 END`;
    base.push(`${y} AS y`, `(${q(perf.score)} * 1E0) AS p`);
  }
  const timeExpr = spec.time ? `CAST(${q(spec.time.column)} AS DATE)` : 'NULL';
  const branches = [`SELECT ${timeExpr} AS w, NULL AS g, NULL AS gt, NULL AS gx, ${base.join(', ')} FROM ${spec.source}`];
  spec.segments.forEach((s, i) => {
    const value = s.kind === 'text' ? `${q(s.name)} AS gt, NULL AS gx` : `NULL AS gt, ${numExpr(s.name, s.kind)} AS gx`;
    branches.push(`SELECT ${timeExpr} AS w, ${i} AS g, ${value}, ${base.join(', ')} FROM ${spec.source}`);
  });
  const b = perf
    ? `b AS (SELECT bb.*, CASE WHEN y = 0E0 THEN p END AS qn, CASE WHEN y = 1E0 THEN p END AS qp FROM (\n  ${branches.join('\n  UNION ALL ')}\n) bb)`
    : `b AS (\n  ${branches.join('\n  UNION ALL ')}\n)`;

  // Numeric columns, and the per-class score columns, by their index in the result (c).
  const numericCols: [string, number][] = numeric.map((i) => [`c${i}`, i]);
  if (perf) numericCols.push(['qn', spec.columns.length], ['qp', spec.columns.length + 1]);

  const lnGamma = portableDouble(Math.log((1 + spec.alpha) / (1 - spec.alpha)));
  const finite = (v: string) => `${v} * 0E0 = 0E0`;
  const stats = numericCols.map(
    ([v, i]) =>
      `SELECT ${selectList({
        ...partCols,
        c: String(i),
        k: `'${ROW_KINDS.numericStats}'`,
        n: `COUNT(${v})`,
        f0: `SUM(CASE WHEN ${finite(v)} THEN 1 ELSE 0 END)`,
        f1: `SUM(CASE WHEN ${finite(v)} THEN 0 WHEN ${v} > 0E0 AND 1E0 / ${v} = 0E0 THEN 1 ELSE 0 END)`,
        f2: `SUM(CASE WHEN ${finite(v)} THEN 0 WHEN ${v} < 0E0 AND 1E0 / ${v} = 0E0 THEN 1 ELSE 0 END)`,
        f3: `SUM(CASE WHEN ${v} = 0E0 THEN 1 ELSE 0 END)`,
        f4: `MIN(CASE WHEN ${finite(v)} THEN ${v} END)`,
        f5: `MAX(CASE WHEN ${finite(v)} THEN ${v} END)`,
        f6: `SUM(CASE WHEN ${finite(v)} THEN ${v} ELSE 0E0 END)`,
        f7: `SUM(CASE WHEN ${finite(v)} THEN ${v} * ${v} ELSE 0E0 END)`,
      })} FROM b GROUP BY ${PART}`,
  );
  const buckets = numericCols.flatMap(([v, i]) => {
    const pos = `CEIL(LN(${v}) / ${lnGamma})`;
    const neg = `CEIL(LN(0E0 - ${v}) / ${lnGamma})`;
    return [
      `SELECT ${selectList({ ...partCols, c: String(i), k: `'${ROW_KINDS.positiveBucket}'`, x: pos, n: 'COUNT(*)' })} FROM b WHERE ${v} > 0E0 AND ${finite(v)} GROUP BY ${PART}, ${pos}`,
      `SELECT ${selectList({ ...partCols, c: String(i), k: `'${ROW_KINDS.negativeBucket}'`, x: neg, n: 'COUNT(*)' })} FROM b WHERE ${v} < 0E0 AND ${finite(v)} GROUP BY ${PART}, ${neg}`,
    ];
  });
  const values = numericCols.map(
    ([v, i]) => `SELECT ${PART}, ${i} AS c, ${v} AS x, COUNT(*) AS n FROM b WHERE ${finite(v)} GROUP BY ${PART}, ${v}`,
  );
  const textStats = text.map(
    (i) => `SELECT ${selectList({ ...partCols, c: String(i), k: `'${ROW_KINDS.textStats}'`, n: `COUNT(c${i})` })} FROM b GROUP BY ${PART}`,
  );
  const textValues = text.map(
    (i) => `SELECT ${PART}, ${i} AS c, c${i} AS s, COUNT(*) AS n FROM b WHERE c${i} IS NOT NULL GROUP BY ${PART}, c${i}`,
  );

  const ctes = [b];
  const selects: string[] = headerRows(spec);
  selects.push(`SELECT ${selectList({ ...partCols, k: `'${ROW_KINDS.rows}'`, n: 'COUNT(*)' })} FROM b GROUP BY ${PART}`);
  selects.push(...stats, ...buckets, ...textStats);
  if (values.length) {
    ctes.push(`v AS (\n  ${values.join('\n  UNION ALL ')}\n)`, `vd AS (SELECT v.*, COUNT(*) OVER (PARTITION BY ${PART}, c) AS d FROM v)`);
    selects.push(
      `SELECT ${selectList({ ...partCols, c: 'c', k: `'${ROW_KINDS.value}'`, x: 'x', n: 'n' })} FROM vd WHERE d <= ${spec.caps.numericValues}`,
    );
  }
  if (textValues.length) {
    ctes.push(
      `t AS (\n  ${textValues.join('\n  UNION ALL ')}\n)`,
      `tr AS (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY ${PART}, c ORDER BY n DESC, s) AS r, COUNT(*) OVER (PARTITION BY ${PART}, c) AS d FROM t)`,
    );
    selects.push(
      `SELECT ${selectList({ ...partCols, c: 'c', k: `'${ROW_KINDS.textValue}'`, s: 's', n: 'n', f0: 'd' })} FROM tr WHERE r <= ${spec.caps.textValues}`,
    );
  }
  if (perf) {
    const eps = portableDouble(LOG_LOSS_EPS);
    const clip = `GREATEST(LEAST(p, 1E0 - ${eps}), ${eps})`;
    const t = portableDouble(perf.threshold);
    selects.push(
      `SELECT ${selectList({
        ...partCols,
        k: `'${ROW_KINDS.performance}'`,
        n: 'COUNT(*)',
        f0: 'SUM(y)',
        f1: `SUM(0E0 - y * LN(${clip}) - (1E0 - y) * LN(1E0 - ${clip}))`,
        f2: 'SUM((p - y) * (p - y))',
        f3: `SUM(CASE WHEN p >= ${t} AND y = 1E0 THEN 1 ELSE 0 END)`,
        f4: `SUM(CASE WHEN p >= ${t} AND y = 0E0 THEN 1 ELSE 0 END)`,
        f5: `SUM(CASE WHEN p < ${t} AND y = 1E0 THEN 1 ELSE 0 END)`,
        f6: `SUM(CASE WHEN p < ${t} AND y = 0E0 THEN 1 ELSE 0 END)`,
      })} FROM b WHERE y IS NOT NULL AND ${finite('p')} GROUP BY ${PART}`,
    );
  }
  return `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`;
}

/** Rows that carry the spec itself, so the result alone makes a profile. */
function headerRows(spec: ProfileQuerySpec): string[] {
  const row = (values: Partial<Record<Out, string>>) => `SELECT ${selectList(values)}`;
  const rows = [
    row({
      k: `'${ROW_KINDS.meta}'`,
      x: portableDouble(spec.alpha),
      n: String(spec.caps.numericValues),
      f0: String(spec.caps.textValues),
    }),
    ...spec.columns.map((c, i) => row({ c: String(i), k: `'${ROW_KINDS.column}'`, x: String(KIND_CODE[c.kind]), s: portableText(c.name) })),
    ...spec.segments.map((s, i) =>
      row({ c: String(i), k: `'${ROW_KINDS.segmentHeader}'`, x: String(KIND_CODE[s.kind]), s: portableText(s.name) }),
    ),
  ];
  if (spec.time)
    rows.push(row({ k: `'${ROW_KINDS.timeHeader}'`, x: String(WINDOW_CODE[spec.time.window]), s: portableText(spec.time.column) }));
  const perf = spec.performance;
  if (perf) {
    rows.push(row({ k: `'${ROW_KINDS.labelHeader}'`, x: portableDouble(perf.threshold), s: portableText(perf.label) }));
    rows.push(row({ k: `'${ROW_KINDS.scoreHeader}'`, s: portableText(perf.score) }));
    rows.push(
      row({
        k: `'${ROW_KINDS.positiveHeader}'`,
        ...(typeof perf.positive === 'number' ? { x: portableDouble(perf.positive) } : { s: portableText(perf.positive) }),
      }),
    );
  }
  return rows;
}
