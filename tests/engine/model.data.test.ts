import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeParquet, PathSource } from '../../src/engine/node';
import { loadDataset } from '../../src/lib/ingest';
import { describeMismatch, matchFeatures } from '../../src/lib/model/features';
import { featureMatrixSql, readFeatureMatrix } from '../../src/lib/model/matrix';
import { replayPredictions } from '../../src/lib/model/replay';
import { testDb } from '../helpers/db';
import { loadFixtureModel, readCase, SHAP_FIXTURES, toMatrix } from '../helpers/shapFixtures';

const dir = mkdtempSync(join(tmpdir(), 'lantern-model-'));
let counter = 0;

async function loadCsv(content: string) {
  const path = join(dir, `d${counter}.csv`);
  writeFileSync(path, content);
  return loadDataset(await testDb(), nodeParquet, await PathSource.open(path), { table: `m${counter++}` });
}

describe('feature matching and the feature matrix', () => {
  it('builds the SELECT with every name quoted and NULL as NaN', () => {
    expect(featureMatrixSql('t', ['a', 'score "q"'], 10)).toBe(
      `SELECT COALESCE(TRY_CAST("a" AS DOUBLE), 'NaN'::DOUBLE) AS "f0", COALESCE(TRY_CAST("score ""q""" AS DOUBLE), 'NaN'::DOUBLE) AS "f1" FROM "t" LIMIT 10`,
    );
  });

  it('reads the fixture rows (missing cells as NaN) exactly, in file order', async () => {
    const model = loadFixtureModel('binary.json');
    const ds = await loadDataset(await testDb(), nodeParquet, await PathSource.open(join(SHAP_FIXTURES, 'binary.rows.csv')), {
      table: 'binary_rows',
    });
    const match = matchFeatures(model, ds.columns);
    expect(match.ok).toBe(true);
    expect(match.matched.every((m) => m.how === 'exact')).toBe(true);
    const { X, rows } = await readFeatureMatrix(await testDb(), ds.table, match.columns as string[]);
    const expected = toMatrix(readCase('binary').rows);
    expect(rows).toBe(readCase('binary').rows.length);
    expect(Array.from(X)).toEqual(Array.from(expected));
  });

  it('reports missing features, text columns and unused columns', async () => {
    const model = loadFixtureModel('binary.json');
    const ds = await loadCsv('AGE,tenure,balance,visits,ratio,city,extra\n1,2,3,4,5,Oslo,9\n');
    const match = matchFeatures(model, ds.columns);
    expect(match.matched.find((m) => m.feature === 'age')).toEqual({ feature: 'age', column: 'AGE', how: 'case' });
    expect(match.missing).toEqual(['score "q"']);
    expect(match.unused).toEqual(['city', 'extra']);
    expect(match.ok).toBe(false);
    expect(describeMismatch(match)).toContain('"score "q""');
    const textModel = { ...model, featureNames: ['city'], featureNamesFromModel: true };
    const textMatch = matchFeatures(textModel, ds.columns);
    expect(textMatch.wrongType).toEqual([{ feature: 'city', column: 'city', type: 'VARCHAR' }]);
    expect(describeMismatch(textMatch)).toMatch(/"city" is VARCHAR/);
  });

  it('matches a model without names by position and says so', async () => {
    const model = loadFixtureModel('unnamed.json');
    const ds = await loadCsv('x,y,z\n1,2,3\n');
    const match = matchFeatures(model, ds.columns);
    expect(match.matched.map((m) => [m.feature, m.column, m.how])).toEqual([
      ['f0', 'x', 'position'],
      ['f1', 'y', 'position'],
      ['f2', 'z', 'position'],
    ]);
  });
});

describe('prediction replay', () => {
  const fixture = readCase('binary');
  const model = loadFixtureModel('binary.json');
  const X = toMatrix(fixture.rows);
  const rows = fixture.rows.length;

  it('agrees with the scores xgboost logged (float32 probabilities)', () => {
    const logged = Float64Array.from(fixture.pred as number[]);
    const result = replayPredictions(model, X, rows, logged);
    expect(result.scale).toBe('prediction');
    expect(result.compared).toBe(rows);
    expect(result.share).toBe(1);
    expect(result.disagreements).toEqual([]);
  });

  it('finds rows whose logged score differs, largest first, and skips missing scores', () => {
    const logged = Float64Array.from(fixture.pred as number[]);
    logged[3] = logged[3]! + 0.2;
    logged[7] = logged[7]! - 0.05;
    logged[9] = NaN;
    const result = replayPredictions(model, X, rows, logged);
    expect(result.compared).toBe(rows - 1);
    expect(result.agreeing).toBe(rows - 3);
    expect(result.disagreements.map((d) => d.row)).toEqual([3, 7]);
    expect(result.disagreements[0]!.difference).toBeCloseTo(-0.2, 6);
  });

  it('catches a serving pipeline that swaps two features', () => {
    const logged = Float64Array.from(fixture.pred as number[]);
    const swapped = Float64Array.from(X);
    for (let r = 0; r < rows; r++) [swapped[r * 6], swapped[r * 6 + 2]] = [X[r * 6 + 2]!, X[r * 6]!];
    const result = replayPredictions(model, swapped, rows, logged);
    expect(result.share).toBeLessThan(0.5);
  });

  it('recognises logged margins and multi-class labels', () => {
    const margins = Float64Array.from(fixture.margin as number[]);
    expect(replayPredictions(model, X, rows, margins).scale).toBe('margin');
    expect(replayPredictions(model, X, rows, margins).share).toBe(1);
    const multi = readCase('softmax');
    const labels = Float64Array.from(multi.pred as number[]);
    const result = replayPredictions(loadFixtureModel('softmax.json'), toMatrix(multi.rows), multi.rows.length, labels);
    expect(result.scale).toBe('class');
    expect(result.share).toBe(1);
  });
});
