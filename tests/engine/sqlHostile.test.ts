import { readdirSync } from 'node:fs';
import { join as joinPath, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db, Row } from '../../src/lib/db';
import { dataQuality } from '../../src/lib/drift/quality';
import { driftReport } from '../../src/lib/drift/report';
import { driftBySegment } from '../../src/lib/drift/segments';
import { driftOverTime, timeWindows } from '../../src/lib/drift/overTime';
import * as consoleReadOnly from '../../src/lib/console/readOnly';
import * as overTime from '../../src/lib/drift/overTime';
import * as confirm from '../../src/lib/findings/confirm';
import * as wideInputs from '../../src/lib/findings/wideInputs';
import * as joint from '../../src/lib/findings/joint';
import type { Finding } from '../../src/lib/findings/types';
import * as place from '../../src/lib/drift/place';
import * as quality from '../../src/lib/drift/quality';
import * as segments from '../../src/lib/drift/segments';
import * as sides from '../../src/lib/drift/sides';
import * as split from '../../src/lib/drift/split';
import * as driftSql from '../../src/lib/drift/sql';
import * as ingestFit from '../../src/lib/ingestFit';
import * as classValue from '../../src/lib/labels/classValue';
import { joinDelayedLabels } from '../../src/lib/labels/join';
import * as task from '../../src/lib/labels/task';
import * as groupedBinary from '../../src/lib/metrics/groupedBinary';
import * as groupedScores from '../../src/lib/metrics/groupedScores';
import * as multiclass from '../../src/lib/metrics/multiclass';
import { metricsByGroup, overallPerformance } from '../../src/lib/metrics/performance';
import * as regression from '../../src/lib/metrics/regression';
import * as scoreTable from '../../src/lib/metrics/scoreTable';
import * as spec from '../../src/lib/metrics/spec';
import * as time from '../../src/lib/metrics/time';
import * as windows from '../../src/lib/metrics/windows';
import * as matrix from '../../src/lib/model/matrix';
import * as reconstruction from '../../src/lib/multivariate/reconstruction';
import * as health from '../../src/lib/ops/health';
import * as profile from '../../src/lib/profile';
import type { ColumnRole, RoleMap } from '../../src/lib/roles';
import { describeTable, type ColumnInfo } from '../../src/lib/schema';
import * as dimensions from '../../src/lib/slices/dimensions';
import { encodeRows } from '../../src/lib/slices/encode';
import * as rowError from '../../src/lib/slices/rowError';
import { asIs, ident, oneOf, raw, rowsOf, select, sql, type Query, type Sql } from '../../src/lib/sql';
import * as sqlLexer from '../../src/lib/sqlLexer';
import * as tableSnapshot from '../../src/lib/tableSnapshot';
import * as versionRows from '../../src/lib/versions/rows';
import { testDb } from '../helpers/db';
import { createVariant, SEGMENTS, variant, type Variant } from '../helpers/hostileTables';

/**
 * Every SQL builder the core exports (a function named `...Sql`, `...Clause` or `...Filter`) runs on
 * tables and columns with hostile names (tests/helpers/hostileTables.ts) and must give exactly what it
 * gives on the same data under plain names. A new builder without a case here fails the first test.
 */
const BUILDER = /^[a-z]\w*(Sql|Clause|Filter)$/;

let db: Db;
const plain = variant('plain');
const hostile = variant('hostile');

/** Rows of a query, in a stable order (a builder's row order is checked where it promises one). */
const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const rows = async <T>(q: Query<T>, ordered = false) => (ordered ? rowsOf(db, q) : sorted(await rowsOf(db, q)));
const one = <T>(q: Query<T>) => oneOf(db, q);
/** Result rows read by position, not by name: a `SELECT *` names its columns after the table's. */
const values = async (statement: Sql | string) =>
  sorted((await db.query(typeof statement === 'string' ? statement : statement.text)).map(Object.values));
/** An Arrow pull's columns, by position. */
async function arrow(statement: string, ordered = true) {
  const table = tableFromIPC(await db.queryArrow(statement));
  const out = Array.from({ length: table.numRows }, (_, r) => table.schema.fields.map((_, i) => table.getChildAt(i)?.get(r) as unknown));
  return ordered ? out : sorted(out);
}
/** An expression's value on every row of the log, in id order. */
const perRow = (v: Variant, e: Sql | string) =>
  rowsOf(db, select({ v: asIs(raw(e)) }, sql`FROM ${ident(v.log)} ORDER BY ${ident(v.c.id)}`));
const columnsOf = (table: string) => describeTable(db, table);
const info = (cols: ColumnInfo[], name: string) => cols.find((c) => c.name === name.replaceAll('\u0000', ''))!;
const drift = (v: Variant) => ({ reference: v.ref, current: v.log });
const split1 = Date.UTC(2024, 0, 15);
/** A reconstruction over three of the variant's numbers (two components), as the reference would fit it. */
const reconstructionOf = (v: Variant) => ({
  columns: [v.c.num, v.c.score, v.c.big],
  mean: [0.5, 0.4, 10],
  scale: [1, 0.3, 5],
  centre: [0, 0, 0],
  weights: [
    [0.6, 0.8, 0],
    [0, 0, 1],
  ],
  explained: [0.6, 0.4],
});
/** Roles by the variant's names (inferred roles would follow the names, which differ by design). */
const ROLES: Partial<Record<keyof Variant['c'], ColumnRole>> = {
  id: 'id',
  ts: 'timestamp',
  label: 'label',
  score: 'score',
  pred: 'prediction',
};
const rolesOf = (v: Variant): RoleMap =>
  Object.fromEntries(Object.entries(v.c).map(([k, name]) => [name.replaceAll('\u0000', ''), ROLES[k as keyof Variant['c']] ?? 'feature']));

type Case = (v: Variant) => Promise<unknown>;

/** Numbers to 12 significant digits: native DuckDB sums on several threads, in an order that can differ in the last bits. */
const settledDeep = (y: unknown): unknown => {
  if (typeof y === 'number') return Number(y.toPrecision(12));
  if (Array.isArray(y)) return y.map(settledDeep);
  if (y && typeof y === 'object' && !(y instanceof Date) && !ArrayBuffer.isView(y))
    return Object.fromEntries(Object.entries(y).map(([k, x]) => [k, settledDeep(x)]));
  return y;
};

const CASES: Record<string, Record<string, Case>> = {
  'findings/joint.ts': {
    // The two halves of a table split its rows between them, whatever the names.
    referenceHalfSql: async (v) => {
      const half = (held: boolean) =>
        values(sql`SELECT count(*) AS n FROM ${ident(v.log)} WHERE ${joint.referenceHalfSql([v.c.num, v.c.cnt], held)}`);
      return [await half(true), await half(false)];
    },
  },
  'findings/wideInputs.ts': {
    numericShiftSql: (v) => values(wideInputs.numericShiftSql({ ...drift(v), referenceRows: 10, currentRows: 10 }, [v.c.num, v.c.big])),
    categoricalShiftSql: (v) => values(wideInputs.categoricalShiftSql({ ...drift(v), referenceRows: 10, currentRows: 10 }, [v.c.seg])),
  },
  'console/readOnly.ts': {
    // The user's query names the console's own table name; the table behind it is the hostile one.
    consoleQuerySql: (v) =>
      values(consoleReadOnly.consoleQuerySql('SELECT count(*) AS n FROM logs; -- a trailing comment', [{ name: 'logs', table: v.log }])),
  },
  'findings/confirm.ts': {
    placeSql: async (v) => {
      const finding = {
        segment: [{ column: v.c.seg, value: "O'Hare" }],
        window: { start: '2024-01-08', end: '2024-01-22' },
      } as unknown as Finding;
      const where = confirm.placeSql(finding, { tsSql: time.timestampSql(v.c.ts, 'temporal') });
      return [
        await one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.ref)} WHERE ${raw(where.reference)}`)),
        await one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.log)} WHERE ${raw(where.current)}`)),
      ];
    },
  },
  'drift/overTime.ts': {
    calendarWindowsSql: (v) => rows(overTime.calendarWindowsSql(v.log, v.c.ts, 'week'), true),
    chunkWindowsSql: (v) => rows(overTime.chunkWindowsSql(v.log, v.c.ts, 7), true),
  },
  'drift/place.ts': {
    conditionSql: async (v) => {
      const cols = await columnsOf(v.log);
      const table = { columns: cols, timestamp: info(cols, v.c.ts) };
      const conditions = [
        ...SEGMENTS.filter((s) => s !== null).map((value) => ({ column: v.c.seg, value })),
        { column: v.c.seg, value: '', op: 'is null' as const },
        { column: v.c.num, value: '', op: 'between' as const, bounds: [-1, 1.5] as [number, number] },
        { column: v.c.cnt, value: `${v.c.cnt} ≥ 2`, op: '>=' as const },
        { column: `${info(cols, v.c.ts).name}.day_of_week`, value: '3' },
      ];
      return Promise.all(
        conditions.map((c) => one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.log)} WHERE ${place.conditionSql(c, table)!}`))),
      );
    },
    placeFilter: async (v) => {
      const [refCols, logCols] = [await columnsOf(v.ref), await columnsOf(v.log)];
      const where = place.placeFilter(
        { segment: [{ column: v.c.seg, value: "O'Hare" }], window: { start: '2024-01-08', end: '2024-01-22' } },
        { columns: refCols, timestamp: info(refCols, v.c.ts) },
        { columns: logCols, timestamp: info(logCols, v.c.ts) },
      );
      return [
        await one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.ref)} WHERE ${where.reference}`)),
        await one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.log)} WHERE ${where.current}`)),
      ];
    },
  },
  'drift/quality.ts': {
    distinctBoundsSql: (v) => one(quality.distinctBoundsSql(v.log, [v.c.seg, v.c.num, v.c.flag, v.c.txt])),
    duplicateIdsSql: async (v) => {
      const q = quality.duplicateIdsSql(v.labels, v.c.id);
      return [await one(q.count), await values(q.examples)];
    },
    duplicateRowsSql: async (v) => {
      const q = quality.duplicateRowsSql(v.labels);
      return [await one(q.count), await values(q.examples)];
    },
    missingSql: async (v) => one(quality.missingSql(v.log, await columnsOf(v.log))),
    outsideCountsSql: (v) => one(quality.outsideCountsSql(v.log, [{ column: v.c.num, lo: -1, hi: 1.5 }])),
    outsideExamplesSql: (v) => values(quality.outsideExamplesSql(v.log, { column: v.c.num, lo: -1, hi: 1.5 })),
    referenceRangesSql: (v) => one(quality.referenceRangesSql(v.ref, [v.c.num, v.c.score, v.c.txt])),
    topValueSql: async (v) => [await one(quality.topValueSql(v.log, v.c.seg)), await one(quality.topValueSql(v.log, v.c.cnt))],
    typeMismatchSql: async (v) => {
      const q = quality.typeMismatchSql(v.log, v.c.txt);
      return [await one(q.count), await values(q.examples)];
    },
    unseenCategorySql: async (v) => {
      const q = quality.unseenCategorySql(drift(v), v.c.seg);
      return [await one(q.count), await values(q.examples)];
    },
  },
  'drift/segments.ts': {
    segmentValuesSql: (v) => rows(segments.segmentValuesSql(drift(v), v.c.seg), true),
    segmentFilter: (v) =>
      Promise.all(
        SEGMENTS.filter((s) => s !== null).map(async (s) => {
          const where = segments.segmentFilter(v.c.seg, s);
          return one(select({ n: asIs(raw('count(*)')) }, sql`FROM ${ident(v.log)} WHERE ${raw(where.current!)}`));
        }),
      ),
  },
  'drift/sides.ts': {
    numericColumnsSql: (v) => arrow(sides.numericColumnsSql(v.log, [v.c.num, v.c.score, v.c.big], sql`${ident(v.c.cnt)} > 1`)),
    rowCountSql: (v) => one(sides.rowCountSql(v.log, sql`${ident(v.c.seg)} IS NULL`)),
  },
  'drift/split.ts': {
    splitByTimeSql: async (v) => {
      const views = { reference: `${v.log} before`, current: `${v.log} after` };
      for (const statement of split.splitByTimeSql(v.log, v.c.ts, split1, views)) await db.query(statement);
      return [
        await values(sql`SELECT count(*) FROM ${ident(views.reference)}`),
        await values(sql`SELECT count(*) FROM ${ident(views.current)}`),
      ];
    },
  },
  'drift/sql.ts': {
    categoryCountsSql: (v) => arrow(driftSql.categoryCountsSql(driftSql.pooledCategoricalSql(drift(v), v.c.seg))),
    filterSql: async (v) => [
      await values(sql`SELECT count(*) FROM ${ident(v.log)} WHERE ${driftSql.filterSql(undefined)}`),
      await perRow(v, driftSql.filterSql(`${ident(v.c.cnt)} = 2`)),
    ],
    finiteValuesSql: (v) => arrow(driftSql.finiteValuesSql(v.log, v.c.num, sql`${ident(v.c.flag)}`), false),
    numericValueCountsSql: (v) => arrow(driftSql.numericValueCountsSql(driftSql.pooledNumericSql(drift(v), v.c.cnt)), false),
    pooledCategoricalSql: (v) => values(driftSql.pooledCategoricalSql(drift(v), v.c.seg, { current: sql`${ident(v.c.cnt)} < 3` })),
    pooledNumericSql: (v) => values(driftSql.pooledNumericSql(drift(v), v.c.num, { reference: sql`${ident(v.c.label)} = 1` })),
  },
  'ingestFit.ts': {
    sampleClause: (v) =>
      Promise.all(
        [undefined, 1, 0.5].map((share) => values(sql`SELECT count(*) > 0 FROM ${ident(v.log)}${raw(ingestFit.sampleClause(share))}`)),
      ),
  },
  'labels/classValue.ts': {
    classTextSql: async (v) => {
      const cols = await columnsOf(v.log);
      return Promise.all(
        [v.c.label, v.c.flag, v.c.seg, v.c.score, v.c.ts].map((name) => perRow(v, classValue.classTextSql(name, info(cols, name).kind))),
      );
    },
  },
  'labels/task.ts': {
    labelShapeSql: (v) => one(task.labelShapeSql(v.log, v.c.label, 'numeric')),
    labelValuesSql: (v) => rows(task.labelValuesSql(v.log, v.c.cls, 'string', 10), true),
  },
  'metrics/groupedBinary.ts': {
    binaryByGroupSql: async (v) => [
      await rows(groupedBinary.binaryByGroupSql(v.binary, [{ sql: ident(v.c.seg), as: 'segment "s"' }], sql`${ident(v.c.cnt)} <> 1`), true),
      await rows(groupedBinary.binaryByGroupSql(v.byPrediction, []), true),
    ],
  },
  'metrics/groupedScores.ts': {
    groupedScoreCountsSql: (v) =>
      arrow(groupedScores.groupedScoreCountsSql(v.binary, [ident(v.c.cnt), sql`${ident(v.c.flag)}::INTEGER`], ident(v.c.flag))),
  },
  'metrics/multiclass.ts': {
    confusionCellsSql: (v) =>
      rows(multiclass.confusionCellsSql(v.multiclass, sql`${ident(v.c.cnt)} > 0`, [{ sql: ident(v.c.flag), as: 'f' }])),
    multiclassLogLossSql: async (v) => [
      await rows(multiclass.multiclassLogLossSql(v.multiclass, undefined, [{ sql: ident(v.c.seg), as: 'segment' }])!),
      await rows(multiclass.multiclassLogLossSql(v.argmax, sql`${ident(v.c.cnt)} > 0`)!),
    ],
  },
  'metrics/regression.ts': {
    regressionSumsSql: async (v) => [
      await rows(regression.regressionSumsSql(v.regression), true),
      await rows(regression.regressionSumsSql(v.regression, [{ sql: ident(v.c.cls), as: 'cls' }], ident(v.c.flag)), true),
    ],
  },
  'metrics/scoreTable.ts': {
    scoreTableSql: (v) => arrow(scoreTable.scoreTableSql(v.binary, sql`${ident(v.c.seg)} IS NOT NULL`)),
  },
  'metrics/spec.ts': {
    argmaxClassSql: (v) => perRow(v, spec.argmaxClassSql(v.argmax.classScores!)),
    labelTextSql: async (v) => [await perRow(v, spec.labelTextSql(v.binary)), await perRow(v, spec.labelTextSql(v.multiclass))],
    labelledSql: async (v) => [await perRow(v, spec.labelledSql(v.binary)), await perRow(v, spec.labelledSql(v.regression))],
    positiveSql: async (v) => [
      await perRow(v, spec.positiveSql(v.binary)),
      await perRow(v, spec.positiveSql({ ...v.binary, positive: '1.0' })),
    ],
    predictedPositiveSql: async (v) => [
      await perRow(v, spec.predictedPositiveSql(v.binary)),
      await perRow(v, spec.predictedPositiveSql(v.byPrediction)),
    ],
    predictedValueSql: (v) => perRow(v, spec.predictedValueSql(v.regression)),
    predictionTextSql: async (v) => [
      await perRow(v, spec.predictionTextSql(v.multiclass)),
      await perRow(v, spec.predictionTextSql(v.argmax)),
    ],
    scoreSql: (v) => perRow(v, spec.scoreSql(v.binary)),
    scoredSql: async (v) => [await perRow(v, spec.scoredSql(v.binary)), await perRow(v, spec.scoredSql(v.byPrediction))],
  },
  'metrics/time.ts': {
    timestampSql: async (v) => [
      await perRow(v, time.timestampSql(v.c.ts, 'temporal')),
      await perRow(v, time.timestampSql(v.c.epoch, 'numeric')),
      await perRow(v, time.timestampSql(v.c.seg, 'string')),
    ],
    textTimestampSql: (v) => perRow(v, time.textTimestampSql(sql`CAST(${ident(v.c.ts)} AS VARCHAR) || '+02:00'`)),
    windowSql: (v) => perRow(v, time.windowSql(time.timestampSql(v.c.ts, 'temporal'), 'week')),
  },
  'metrics/windows.ts': {
    windowCountsSql: (v) => rows(windows.windowCountsSql(v.binary, time.timestampSql(v.c.ts, 'temporal'), 'day'), true),
  },
  'model/matrix.ts': {
    featureMatrixSql: (v) => arrow(matrix.featureMatrixSql(v.log, [v.c.num, v.c.cnt, v.c.txt, v.c.flag], 40, 3)),
    nonNumericCountSql: (v) => one(matrix.nonNumericCountSql(v.log, [v.c.txt, v.c.seg, v.c.cls])),
    numericColumnSql: async (v) => [
      await arrow(matrix.numericColumnSql(v.log, v.c.ts, true, 30, 2)),
      await arrow(matrix.numericColumnSql(v.log, v.c.txt, false)),
    ],
    sampledRowsSql: (v) => values(matrix.sampledRowsSql(sql`${ident(v.c.id)}, ${ident(v.c.num)}`, v.log, 12, 5)),
    textColumnSql: (v) => values(matrix.textColumnSql(v.log, v.c.txt, 9, 4)),
  },
  'multivariate/reconstruction.ts': {
    rowErrorSql: (v) => values(reconstruction.rowErrorSql(reconstructionOf(v), ident(v.log), ident(v.c.cnt))),
    rowResidualsSql: (v) => values(reconstruction.rowResidualsSql(reconstructionOf(v), ident(v.log), ident(v.c.cnt))),
    rowErrorValueSql: (v) => perRow(v, reconstruction.rowErrorValueSql(reconstructionOf(v))),
    windowKeySql: async (v) => [
      await perRow(v, reconstruction.windowKeySql({ kind: 'calendar', column: v.c.ts, columnKind: 'temporal', unit: 'week' })),
      await values(
        sql`SELECT ${reconstruction.windowKeySql({ kind: 'chunks', count: 3, order: ident(v.c.id) })}, ${ident(v.c.id)} FROM ${ident(v.log)}`,
      ),
    ],
  },
  'ops/health.ts': {
    errorSql: async (v) => {
      const columns = await columnsOf(v.log);
      return [
        await perRow(v, health.errorSql({ columns, status: v.c.cnt, errorValues: ['2', '3'] })),
        await perRow(v, health.errorSql({ columns, status: v.c.seg, errorValues: ["O'Hare", 'emoji 😀'] })),
      ];
    },
    latencySql: (v) => perRow(v, health.latencySql(v.c.num)),
  },
  'profile.ts': {
    histogramSql: async (v) => {
      const cols = await columnsOf(v.log);
      return [
        await rows(profile.histogramSql(v.log, info(cols, v.c.num), -3, 4), true),
        await rows(profile.histogramSql(v.log, info(cols, v.c.ts), 1704067200000, 1706000000000), true),
      ];
    },
    profileSummarySql: async (v) => one(profile.profileSummarySql(v.log, await columnsOf(v.log))),
    topValuesSql: async (v) => {
      const cols = await columnsOf(v.log);
      return Promise.all([v.c.seg, v.c.flag, v.c.cls].map((name) => rows(profile.topValuesSql(v.log, info(cols, name)), true)));
    },
  },
  'slices/dimensions.ts': {
    approxDistinctSql: (v) => one(dimensions.approxDistinctSql(v.log, v.c.num)),
    distinctCountSql: (v) => one(dimensions.distinctCountSql(v.log, v.c.seg)),
    numericSummariesSql: (v) => one(dimensions.numericSummariesSql(v.log, [v.c.num, v.c.cnt, v.c.big])),
    quantileEdgesSql: (v) => rows(dimensions.quantileEdgesSql(v.log, [v.c.num, v.c.big], 5)),
    distinctCountsSql: (v) => one(dimensions.distinctCountsSql(v.log, [v.c.seg, v.c.num])),
    timePartsSql: (v) => one(dimensions.timePartsSql(v.log, time.timestampSql(v.c.ts, 'temporal'))),
    topCategoriesSql: (v) => rows(dimensions.topCategoriesSql(v.log, v.c.seg, 3), true),
  },
  'slices/rowError.ts': {
    rowErrorSql: (v) =>
      Promise.all([
        perRow(v, rowError.rowErrorSql(v.binary, 'error_rate')),
        perRow(v, rowError.rowErrorSql(v.binary, 'log_loss')),
        perRow(v, rowError.rowErrorSql(v.binary, 'brier')),
        perRow(v, rowError.rowErrorSql(v.byPrediction, 'error_rate')),
        perRow(v, rowError.rowErrorSql(v.multiclass, 'error_rate')),
        perRow(v, rowError.rowErrorSql(v.regression, 'squared_error')),
        perRow(v, rowError.rowErrorSql(v.regression, 'absolute_error')),
      ]),
  },
  'sqlLexer.ts': {
    lexSql: async (v) =>
      sqlLexer.lexSql(sql`SELECT ${ident(v.c.num)}, 'it''s' FROM ${ident(v.log)} WHERE ${ident(v.c.seg)} IS NULL`.text).map((t) => t.kind),
  },
  'tableSnapshot.ts': {
    castBackSql: async (v) => {
      const staging = `${v.log} staging`;
      const restored = `${v.log} restored`;
      await db.query(
        sql`CREATE OR REPLACE TABLE ${ident(staging)} AS SELECT CAST(${ident(v.c.score)} AS DOUBLE) AS ${ident(v.c.score)}, CAST(${ident(v.c.cnt)} AS VARCHAR) AS ${ident(v.c.cnt)} FROM ${ident(v.log)}`
          .text,
      );
      const now = await columnsOf(staging);
      const saved = [
        { ...now[0]!, type: 'DECIMAL(12,4)' },
        { ...now[1]!, type: 'INTEGER' },
      ];
      await db.query(sql`DROP TABLE IF EXISTS ${ident(restored)}`.text);
      await db.query(tableSnapshot.castBackSql(staging, restored, saved, now)!);
      return [(await columnsOf(restored)).map((c) => c.type), await values(sql`SELECT * FROM ${ident(restored)}`)];
    },
  },
  'versions/rows.ts': {
    correctSql: async (v) => [await perRow(v, versionRows.correctSql(v.binary)), await perRow(v, versionRows.correctSql(v.multiclass))],
    disagreeSql: async (v) => [
      await perRow(v, versionRows.disagreeSql(v.binary, v.byPrediction)),
      await perRow(v, versionRows.disagreeSql(v.multiclass, v.argmax)),
    ],
  },
};

/** The modules the cases import, by path under src/lib: a builder exported elsewhere has no case. */
const MODULES: Record<string, Record<string, unknown>> = {
  'console/readOnly.ts': consoleReadOnly,
  'drift/overTime.ts': overTime,
  'drift/place.ts': place,
  'findings/confirm.ts': confirm,
  'findings/wideInputs.ts': wideInputs,
  'findings/joint.ts': joint,
  'drift/quality.ts': quality,
  'drift/segments.ts': segments,
  'drift/sides.ts': sides,
  'drift/split.ts': split,
  'drift/sql.ts': driftSql,
  'ingestFit.ts': ingestFit,
  'labels/classValue.ts': classValue,
  'labels/task.ts': task,
  'metrics/groupedBinary.ts': groupedBinary,
  'metrics/groupedScores.ts': groupedScores,
  'metrics/multiclass.ts': multiclass,
  'metrics/regression.ts': regression,
  'metrics/scoreTable.ts': scoreTable,
  'metrics/spec.ts': spec,
  'metrics/time.ts': time,
  'metrics/windows.ts': windows,
  'model/matrix.ts': matrix,
  'multivariate/reconstruction.ts': reconstruction,
  'ops/health.ts': health,
  'profile.ts': profile,
  'slices/dimensions.ts': dimensions,
  'slices/rowError.ts': rowError,
  'sqlLexer.ts': sqlLexer,
  'tableSnapshot.ts': tableSnapshot,
  'versions/rows.ts': versionRows,
};

const LIB = fileURLToPath(new URL('../../src/lib', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(joinPath(dir, e.name)) : e.name.endsWith('.ts') ? [joinPath(dir, e.name)] : [],
  );

beforeAll(async () => {
  db = await testDb();
  await createVariant(db, plain);
  await createVariant(db, hostile);
});

describe('every SQL builder of the core on hostile table and column names', () => {
  it('has a case for every builder the core exports, and no case for one it does not', async () => {
    const exported: string[] = [];
    for (const path of sources(LIB)) {
      const module = (await import(path)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module))
        if (typeof value === 'function' && BUILDER.test(name)) exported.push(`${relative(LIB, path)}:${name}`);
    }
    const covered = Object.entries(CASES).flatMap(([path, cases]) => Object.keys(cases).map((name) => `${path}:${name}`));
    expect(covered.sort()).toEqual(exported.sort());
    for (const [path, cases] of Object.entries(CASES))
      for (const name of Object.keys(cases)) expect(MODULES[path]?.[name], `${path}:${name}`).toBeTypeOf('function');
  });

  for (const [path, cases] of Object.entries(CASES))
    for (const [name, run] of Object.entries(cases))
      it(`${path}: ${name}`, async () => {
        const expected = await run(plain);
        // A case that reads nothing would prove nothing.
        expect(expected ?? []).not.toEqual([]);
        expect(settledDeep(await run(hostile))).toEqual(settledDeep(expected));
      });
});

describe('the analyses over those builders on hostile names', () => {
  /** What an analysis returns, with the names of columns and the SQL naming them (which differ by design) taken out. */
  const numbersOf = (x: unknown, v: Variant): unknown => {
    const names = new Set(Object.values(v.c).map((n) => n.replaceAll('\u0000', '')));
    const strip = (y: unknown): unknown => {
      if (typeof y === 'string') return names.has(y) ? '<column>' : y;
      if (Array.isArray(y)) return y.map(strip);
      // A `where` is SQL text, which names the columns.
      if (y && typeof y === 'object' && !(y instanceof Date))
        return Object.entries(y as Row)
          .filter(([k]) => k !== 'where')
          .map(([, x]) => strip(x));
      return y;
    };
    return strip(x);
  };
  // Native DuckDB sums on several threads, in an order that can differ between two runs in the last bits.
  const settled = (y: unknown): unknown => (typeof y === 'number' ? Number(y.toPrecision(12)) : Array.isArray(y) ? y.map(settled) : y);
  const same = async (run: (v: Variant) => Promise<unknown>) => {
    const expected = settled(numbersOf(await run(plain), plain));
    expect(settled(numbersOf(await run(hostile), hostile))).toEqual(expected);
  };

  it('drift report, data quality, windows, segments', async () => {
    await same((v) => driftReport(db, drift(v), { roles: rolesOf(v) }));
    await same(async (v) => dataQuality(db, drift(v), await columnsOf(v.ref), await columnsOf(v.log), { id: v.c.id }));
    await same(async (v) => {
      const test = { name: v.c.num, kind: 'numerical' as const, method: 'wasserstein' as const, threshold: 0.1 };
      const w = await timeWindows(db, v.log, v.c.ts, { unit: 'week' });
      return [await driftOverTime(db, drift(v), test, w), await driftBySegment(db, drift(v), test, [v.c.seg, v.c.flag], { windows: w })];
    });
  });

  const performance: [string, (v: Variant) => Promise<unknown>][] = [
    ['binary with a score', (v) => overallPerformance(db, v.binary, { pointOnly: true })],
    ['binary by prediction', (v) => overallPerformance(db, v.byPrediction)],
    ['multiclass', (v) => overallPerformance(db, v.multiclass)],
    ['multiclass argmax', (v) => overallPerformance(db, v.argmax)],
    ['regression', (v) => overallPerformance(db, v.regression)],
    [
      'metrics by group',
      (v) => metricsByGroup(db, v.multiclass, [{ sql: ident(v.c.seg), as: 'segment' }], { where: sql`${ident(v.c.flag)}` }),
    ],
    ['metrics over time', (v) => windows.metricsOverTime(db, v.regression, time.timestampSql(v.c.ts, 'temporal'), { unit: 'week' })],
    [
      'labels joined',
      (v) => joinDelayedLabels(db, { predictions: v.log, labels: v.labels, id: v.c.id, label: v.c.label, out: `${v.log} joined` }),
    ],
  ];
  it.each(performance)('performance: %s', async (_, run) => same(run));

  it('slicing dimensions and encoded rows, profiles, model inputs', async () => {
    await same(async (v) => {
      const dims = await dimensions.sliceDimensions(
        db,
        v.log,
        await columnsOf(v.log),
        { [v.c.seg]: 'segment', [v.c.num]: 'feature', [v.c.flag]: 'feature' },
        {
          timestamp: { column: v.c.ts, sql: time.timestampSql(v.c.ts, 'temporal') },
        },
      );
      const encoded = await encodeRows(db, v.binary, dims, rowError.rowErrorSql(v.binary, 'log_loss'), {
        windowSql: time.windowSql(time.timestampSql(v.c.ts, 'temporal'), 'week'),
      });
      return [dims.map((d) => [d.kind, d.values.map((x) => [x.code, x.predicate.op, x.predicate.value])]), encoded];
    });
    await same(async (v) => profile.profileColumns(db, v.log, await columnsOf(v.log)));
    await same(async (v) => [...(await matrix.numericTextColumns(db, v.log, await columnsOf(v.log)))]);
    await same(async (v) => matrix.readFeatureMatrix(db, v.log, [v.c.num, v.c.txt, v.c.big], { every: 4, limit: 20 }));
  });
});
