import { beforeAll, describe, expect, it } from 'vitest';
import type { BinaryMetrics } from '../../src/lib/metrics/binary';
import { metricsByGroup } from '../../src/lib/metrics/performance';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { timestampSql, windowSql } from '../../src/lib/metrics/time';
import { inferRoles } from '../../src/lib/roles';
import type { ColumnInfo } from '../../src/lib/schema';
import { findDimension, sliceDimensions, type Dimension } from '../../src/lib/slices/dimensions';
import { metricHeatmap } from '../../src/lib/slices/heatmap';
import { worsenedSlices } from '../../src/lib/slices/worsened';
import { expectMetric, readFixture } from '../helpers/close';
import { testDb } from '../helpers/db';
import { kindOf, loadFixture } from '../helpers/perf';

type Expected = Record<string, number | null>;
const fx = readFixture<{
  per_dow: (Expected & { value: number })[];
  per_region_dow: (Expected & { region: string; dow: number })[];
  labelled: number;
}>('log.json');

describe('slice dimensions, per-slice metrics and heatmap on the log', () => {
  let cols: ColumnInfo[];
  let spec: PerfSpec;
  let dims: Dimension[];
  beforeAll(async () => {
    cols = await loadFixture('log.csv', 'log_dims');
    spec = {
      table: 'log_dims',
      label: 'label',
      labelKind: kindOf(cols, 'label'),
      score: 'score',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    const ts = timestampSql('timestamp', kindOf(cols, 'timestamp'));
    dims = await sliceDimensions(await testDb(), 'log_dims', cols, inferRoles(cols), { timestamp: { column: 'timestamp', sql: ts } });
  });

  it('derives categories, quantile bins and timestamp parts (month left out: one value)', () => {
    expect(dims.map((d) => d.name)).toEqual(['region', 'amount', 'timestamp.week', 'timestamp.day_of_week', 'timestamp.hour']);
    const amount = findDimension(dims, 'amount')!;
    expect(amount.kind).toBe('quantile');
    expect(amount.values.map((v) => v.predicate.op)).toEqual(['<', 'between', 'between', 'between', '>=']);
    expect(findDimension(dims, 'timestamp.day_of_week')!.values[0]!.predicate).toEqual({
      column: 'timestamp.day_of_week',
      op: '=',
      value: 1,
    });
  });

  it('quantile bins hold about a fifth of the rows each and cover every row', async () => {
    const db = await testDb();
    const amount = findDimension(dims, 'amount')!;
    const rows = await db.query(`SELECT ${amount.codeSql} AS c, count(*)::DOUBLE AS n FROM log_dims GROUP BY 1 ORDER BY 1`);
    expect(rows.map((r) => Number(r['c']))).toEqual([1, 2, 3, 4, 5]);
    for (const r of rows) expect(Math.abs(Number(r['n']) / 4000 - 0.2)).toBeLessThan(0.02);
  });

  it('metrics by derived day of week equal sklearn per ISO weekday', async () => {
    const db = await testDb();
    const dow = findDimension(dims, 'timestamp.day_of_week')!;
    const groups = await metricsByGroup(db, spec, [{ sql: dow.codeSql, as: 'code' }]);
    expect(groups.length).toBe(fx.per_dow.length);
    groups.forEach((g, i) => {
      const e = fx.per_dow[i]!;
      expect(dow.values[Number(g.key['code']) - 1]!.predicate.value).toBe(e.value);
      for (const k of ['accuracy', 'roc_auc', 'average_precision', 'log_loss', 'f1'] as const)
        expectMetric((g.metrics as BinaryMetrics)[k], e[k] ?? null, 1e-12, `dow ${e.value} ${k}`);
    });
  });

  it('heatmap of ROC AUC over region x day of week equals sklearn per cell', async () => {
    const db = await testDb();
    const cells = await metricHeatmap(db, spec, findDimension(dims, 'region')!, findDimension(dims, 'timestamp.day_of_week')!, 'roc_auc');
    expect(cells.length).toBe(fx.per_region_dow.length);
    for (const e of fx.per_region_dow) {
      const c = cells.find((x) => x.x === e.region && x.y === String(e.dow))!;
      expect(c.n).toBe(e['n']);
      if (e['roc_auc'] === null) expect(c.reason).toMatch(/class/);
      else expect(Math.abs(c.value! - e['roc_auc']!) / e['roc_auc']!, JSON.stringify([c, e])).toBeLessThan(1e-12);
    }
  });
});

describe('slices that got worse', () => {
  it('finds the segment whose error jumps on the day it starts, against earlier windows and against a reference', async () => {
    const db = await testDb();
    // 20 days x 5 segments; 10% errors everywhere except segment s3 from day 15 on (50%).
    await db.query(`CREATE OR REPLACE TABLE drifty AS
      SELECT i AS id, TIMESTAMP '2024-01-01' + to_days(CAST(i % 20 AS INTEGER)) AS ts, 's' || (i // 20 % 5) AS segment,
        CAST(hash(i) % 2 AS INTEGER) AS label,
        CASE WHEN (i // 20 % 5 = 3 AND i % 20 >= 15 AND hash(i * 7) % 2 = 0) OR hash(i * 13) % 10 = 0
             THEN 1 - CAST(hash(i) % 2 AS INTEGER) ELSE CAST(hash(i) % 2 AS INTEGER) END AS prediction
      FROM range(40000) t(i)`);
    const cols: ColumnInfo[] = [
      { name: 'segment', type: 'VARCHAR', kind: 'string' },
      { name: 'label', type: 'INTEGER', kind: 'numeric' },
    ];
    const spec: PerfSpec = {
      table: 'drifty',
      label: 'label',
      labelKind: 'numeric',
      prediction: 'prediction',
      predictionKind: 'numeric',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    };
    const dims = await sliceDimensions(db, 'drifty', cols, { segment: 'segment', label: 'label' });
    const worse = await worsenedSlices(db, spec, dims, { windowSql: windowSql('ts', 'day') });
    expect(worse[0]!.predicates).toEqual([{ column: 'segment', op: '=', value: 's3' }]);
    expect(new Date(worse[0]!.window!).toISOString().slice(0, 10)).toBe('2024-01-16');
    expect(worse[0]!.q_value).toBeLessThan(1e-6);
    expect(worse[0]!.metric - worse[0]!.baseline_metric).toBeGreaterThan(0.25);
    await db.query(`CREATE OR REPLACE TABLE drifty_ref AS SELECT * FROM drifty WHERE ts < TIMESTAMP '2024-01-10'`);
    const vsRef = await worsenedSlices(db, spec, dims, { windowSql: windowSql('ts', 'day'), reference: { ...spec, table: 'drifty_ref' } });
    const flagged = vsRef.filter((w) => w.q_value < 0.01);
    // One line per slice (its strongest window), and only s3 is flagged.
    expect(flagged.length).toBe(1);
    expect(flagged[0]!.predicates[0]!.value).toBe('s3');
    expect(new Date(flagged[0]!.window!).toISOString().slice(0, 10) >= '2024-01-16').toBe(true);
    expect(new Set(vsRef.map((w) => w.label)).size).toBe(vsRef.length);
  });
});
