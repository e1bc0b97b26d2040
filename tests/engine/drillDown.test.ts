import { beforeAll, describe, expect, it } from 'vitest';
import { driftBreakdown, worstCellPerSegment } from '../../src/lib/drift/breakdown';
import { timeWindows } from '../../src/lib/drift/overTime';
import { conditionSql, driftInPlace, windowMs, type Place } from '../../src/lib/drift/place';
import type { Db } from '../../src/lib/db';
import type { RoleMap } from '../../src/lib/roles';
import { describeTable } from '../../src/lib/schema';
import { inferSetup } from '../../src/lib/setup/infer';
import type { Setup } from '../../src/lib/setup/types';
import { openPerformance } from '../../src/lib/usecases/performance';
import { expectClose } from '../helpers/close';
import { testDb } from '../helpers/db';
import { loadPlanted, plantedTruth, type PlantedBug } from '../helpers/planted';

// The drill-down of a finding on the planted real-data scenario: the numbers of the bug's own cell are the
// scenario generator's (scipy and sklearn on the same rows).
let db: Db;
let setup: Setup;
const truth = plantedTruth('flights-late');
const bug = (id: string) => truth.bugs.find((b) => b.id === id)!;
type Evidence = {
  drift: Record<string, Record<string, Record<string, number>>>;
  performance: Record<string, Record<string, number>>;
};
const evidence = (b: PlantedBug) => b['evidence'] as Evidence;
const placeOf = (b: PlantedBug): Place => ({ segment: b.segment, window: b.window });

beforeAll(async () => {
  db = await testDb();
  const { tables } = await loadPlanted(db, 'flights-late', 'dd');
  setup = await inferSetup(db, tables);
}, 300_000);

const tables = () => ({ reference: setup.reference!, current: setup.current! });
const logRoles = (): RoleMap =>
  Object.fromEntries(Object.entries(setup.datasets.find((d) => d.table === setup.current)!.roles).map(([c, r]) => [c, r.role]));
async function sides() {
  const side = async (table: string) => {
    const columns = await describeTable(db, table);
    return { columns, timestamp: columns.find((c) => c.name === setup.timestamp) };
  };
  return { reference: await side(setup.reference!), current: await side(setup.current!) };
}

describe('a finding opened: the segment and window of a planted bug', () => {
  it("the segment's own distributions give the generator's drift numbers (unit change at DEN)", async () => {
    const b = bug('den-distance-km');
    const e = evidence(b).drift['distance_mi']!['cell_vs_reference_segment']!;
    const p = await driftInPlace(
      db,
      tables(),
      { name: 'distance_mi', kind: 'numerical', method: 'wasserstein', threshold: 0.1 },
      placeOf(b),
      await sides(),
    );
    expect(p.rows).toEqual({ reference: e['n_ref'], current: e['n_cur'] });
    expectClose(p.drift.score!, e['wasserstein_normed']!, 1e-9, 'wasserstein_normed');
    expectClose((p.drift.stats as { ks_p_value: number }).ks_p_value, e['ks_p_value']!, 1e-6, 'ks p');
    expect(p.drift.drifted).toBe(true);
  });

  it('the missing share of the place (feed gone at ATL)', async () => {
    const b = bug('atl-recent-delay-missing');
    const e = evidence(b).drift['origin_recent_delay_min']!['cell_vs_reference_segment']!;
    const p = await driftInPlace(
      db,
      tables(),
      { name: 'origin_recent_delay_min', kind: 'numerical', method: 'ks', threshold: 0.05 },
      placeOf(b),
      await sides(),
    );
    expectClose(p.missing.current, e['missing_share_cur']!, 1e-12, 'missing share current');
    expectClose(p.missing.reference, e['missing_share_ref']!, 1e-12, 'missing share reference');
    expect(p.drift.nCur).toBe(e['n_cur']);
  });

  it("the model's numbers in the place against sklearn's, with the reference segment and the weeks of the segment", async () => {
    const b = bug('den-distance-km');
    const session = await openPerformance(
      { db },
      {
        data: setup.current!,
        labels: setup.labels!,
        reference: setup.reference!,
        choices: {
          id: setup.join!.log,
          label: setup.label!.column,
          score: setup.score!,
          prediction: setup.prediction!,
          timestamp: setup.timestamp!,
        },
        out: 'dd_perf',
      },
    );
    try {
      const p = await session.placePerformance({ db }, placeOf(b), 0.5);
      const cell = evidence(b).performance['cell']!;
      const refSegment = evidence(b).performance['reference_segment']!;
      const metric = (m: unknown, name: string) => (m as Record<string, { value: number }>)[name]!.value;
      expect(p.here!.n).toBe(cell['n']);
      // sklearn clips probabilities at float eps, DuckDB at LOG_LOSS_EPS: log loss agrees to 1e-7 relative.
      for (const name of ['log_loss', 'brier', 'roc_auc', 'accuracy']) expectClose(metric(p.here, name), cell[name]!, 1e-7, `cell ${name}`);
      expect(p.reference!.n).toBe(refSegment['n']);
      expectClose(metric(p.reference, 'log_loss'), refSegment['log_loss']!, 1e-7, 'reference segment log loss');
      expect(p.windows.length).toBeGreaterThan(5);
      const span = windowMs(b.window!);
      // Weekly windows (a segment's days hold too few rows): the weeks from the change to the end of the log.
      expect(p.unit).toBe('week');
      p.windows.forEach((w, i) =>
        expect(w.inPlace).toBe(w.start < span.end && (p.windows[i + 1]?.start ?? Number.POSITIVE_INFINITY) > span.start),
      );
      expect(p.windows.filter((w) => w.inPlace).map((w) => new Date(w.start).toISOString().slice(0, 10))[0]).toBe(b.window!.start);
    } finally {
      await session.dispose({ db });
    }
  });

  it('time parts and binned values as conditions; a condition the table cannot express is left out', async () => {
    const { current } = await sides();
    expect(conditionSql({ column: 'departed_at.week', value: '22' }, current)?.text).toMatch(/^week\(.*\) = 22$/);
    expect(conditionSql({ column: 'distance_mi', value: 'distance_mi ≥ 1200', op: '>=' }, current)?.text).toBe(
      '(CAST("distance_mi" AS DOUBLE) >= 1200)',
    );
    expect(conditionSql({ column: 'distance_mi', value: '', op: 'between', bounds: [10, 20] }, current)?.text).toBe(
      '(CAST("distance_mi" AS DOUBLE) >= 10 AND CAST("distance_mi" AS DOUBLE) < 20)',
    );
    expect(conditionSql({ column: 'departed_at.week', value: '22' }, { columns: current.columns })).toBeNull();
    for (const c of [
      { column: 'origin', value: "O'HARE" },
      { column: 'departed_at.hour', value: '7' },
      { column: 'distance_mi', value: 'distance_mi < 300', op: '<' as const },
    ])
      await db.query(`SELECT count(*) FROM ${setup.current} WHERE ${conditionSql(c, current)!.text}`);
  });
});

describe('the segment x window breakdown of a column, over every column that can segment', () => {
  it('finds DEN from the week the unit changed at the top, over columns nobody marked as segments', async () => {
    const windows = await timeWindows(db, setup.current!, setup.timestamp!, { unit: 'week' });
    const b = await driftBreakdown(
      db,
      tables(),
      { name: 'distance_mi', kind: 'numerical' },
      { roles: logRoles(), windows, minSupport: 180 },
    );
    expect(b.segmentColumns).toEqual(expect.arrayContaining(['origin', 'dest', 'dep_period', 'dep_hour']));
    expect(b.segmentColumns).not.toEqual(expect.arrayContaining(['flight_id', 'p_late', 'flagged', 'departed_at', 'distance_mi']));
    const top = worstCellPerSegment(b.ranked)[0]!;
    expect(top.segment).toEqual({ column: 'origin', value: 'DEN' });
    expect(top.span).toBe('since');
    expect(new Date(top.window!.start).toISOString().slice(0, 10) >= '2001-05-14').toBe(true);
    expect(top.mean!.current! / top.mean!.reference!).toBeGreaterThan(1.5);
    // Small cells are counted and listed, never ranked.
    expect(b.tooSmall).toBeGreaterThan(0);
    for (const c of b.ranked) expect(c.rows >= 180 && c.referenceRows >= 180).toBe(true);
    for (const c of b.small) expect(c.tooSmall).toBe(true);
    // Ranked: the largest distance first.
    for (let i = 1; i < b.ranked.length; i++) expect(b.ranked[i - 1]!.distance).toBeGreaterThanOrEqual(b.ranked[i]!.distance);
  });

  it('a feed that goes empty shows through its missing values (ATL from June)', async () => {
    const windows = await timeWindows(db, setup.current!, setup.timestamp!, { unit: 'week' });
    const b = await driftBreakdown(
      db,
      tables(),
      { name: 'origin_recent_delay_min', kind: 'numerical' },
      { roles: logRoles(), windows, minSupport: 180 },
    );
    const top = b.ranked[0]!;
    expect(top.segment).toEqual({ column: 'origin', value: 'ATL' });
    expect(top.missing.current).toBeGreaterThan(0.9);
    expect(top.missing.reference).toBeLessThan(0.01);
  });
});
