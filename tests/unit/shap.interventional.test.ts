import { describe, expect, it } from 'vitest';
import { treeShapInterventional } from '../../src/lib/shap/interventional';
import { backgroundExpectation, shapleyByEnumeration } from '../helpers/bruteShapley';
import { loadFixtureModel, readCase, toMatrix } from '../helpers/shapFixtures';

/**
 * Interventional TreeSHAP against Shapley values that scripts/fixtures/shap.py found by enumerating all
 * 16 feature subsets with xgboost's own predict on hybrid rows (25 background rows, missing values in
 * rows and background). xgboost predicts in float32: 2e-6 absolute.
 */
describe('interventional TreeSHAP', () => {
  const fixture = readCase('interventional');
  const model = loadFixtureModel(fixture.model);
  const X = toMatrix(fixture.rows);
  const background = toMatrix(fixture.background!);
  const rows = fixture.rows.length;
  const bgRows = fixture.background!.length;
  const result = treeShapInterventional(model, X, rows, background, bgRows);

  it('matches the brute-force Shapley values from xgboost predictions', () => {
    expect(Math.abs(result.expectedValue[0]! - fixture.expected_value!)).toBeLessThan(2e-6);
    fixture.values!.forEach((phi, r) => phi.forEach((v, f) => expect(Math.abs(result.values[r * 4 + f]! - v)).toBeLessThan(2e-6)));
  });

  it('matches an enumeration over Lantern predictions to 1e-12 and adds up to the margin', () => {
    for (let r = 0; r < rows; r++) {
      const x = X.subarray(r * 4, r * 4 + 4);
      const brute = shapleyByEnumeration(4, (s) => backgroundExpectation(model, x, background, bgRows, s));
      brute.forEach((v, f) => expect(Math.abs(result.values[r * 4 + f]! - v)).toBeLessThan(1e-12));
      const sum = brute.reduce((a, b) => a + b, result.expectedValue[0]!);
      expect(Math.abs(sum - backgroundExpectation(model, x, background, bgRows, [true, true, true, true]))).toBeLessThan(1e-12);
    }
  });
});
