import { describe, expect, it } from 'vitest';
import { marginToPrediction, predictMargin } from '../../src/lib/model/predict';
import { treeShapInterventional } from '../../src/lib/shap/interventional';
import { PathDependentExplainer, treeShapPathDependentRecursive } from '../../src/lib/shap/pathDependent';
import { backgroundExpectation, coverExpectation, shapleyByEnumeration } from '../helpers/bruteShapley';
import { parseModel } from '../../src/lib/model/load';
import { fixtureBytes, loadFixtureModel, toMatrix } from '../helpers/shapFixtures';

/**
 * A hand-written LightGBM model (tests/fixtures/shap/lightgbm_hand.txt, and the same trees as dump_model
 * JSON): tree 0 splits income <= 1.5 (NaN goes left) then zero_or_missing <= -0.25 (missing type Zero,
 * default right: NaN and 0 go right); tree 1 splits colour in {1, 3} (categorical bitset 0b1010; NaN and
 * negatives go right) then income <= 0 (missing type None: NaN counts as 0). Margins below are worked out
 * by hand from those rules.
 */
const ROWS: (number | null)[][] = [
  [1.0, -1.0, 3], // T0: left, left -> -0.3; T1: in set, 1 > 0 -> 0.3
  [null, 0.0, null], // T0: NaN left; 0 is Zero-missing -> right 0.1; T1: NaN -> right -0.2
  [2.0, 5, 2], // T0: right 0.4; T1: 2 not in set -> -0.2
  [1.5, -0.25, 1], // thresholds are inclusive: T0 left, left -0.3; T1: in set, 1.5 > 0 -> 0.3
  [null, null, -1], // T0: NaN left; NaN -> 0 -> Zero-missing -> right 0.1; T1: negative -> -0.2
  [null, 1, 1], // T0: left, 1 > -0.25 -> 0.1; T1: in set, NaN as 0 <= 0 -> 0.05
];
const HAND_MARGIN = [0.0, -0.1, 0.2, 0.0, -0.1, 0.15];

describe.each(['lightgbm_hand.txt', 'lightgbm_hand.dump.json'])('LightGBM %s', (file) => {
  const model = loadFixtureModel(file);
  const X = toMatrix(ROWS);
  const rows = ROWS.length;

  it('reads names, objective and format', () => {
    expect(model.featureNames).toEqual(['income', 'zero_or_missing', 'colour']);
    expect(model.format).toBe(file.endsWith('.txt') ? 'lightgbm-text' : 'lightgbm-json');
    expect(model.link).toBe('logistic');
    expect(model.numTrees).toBe(2);
  });

  it('predicts the hand-computed margins and probabilities', () => {
    const margin = predictMargin(model, X, rows);
    HAND_MARGIN.forEach((m, r) => expect(margin[r]).toBeCloseTo(m, 15));
    const p = marginToPrediction(model, margin);
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(-0.2)), 15);
  });

  it('path-dependent SHAP equals Shapley values of the cover expectation, by enumeration', () => {
    const result = new PathDependentExplainer(model).explain(X, rows);
    // Expected value by hand: tree 0 = (0.4*30 + (-0.3*50 + 0.1*20))/100 = -0.01; tree 1 = (-0.2*40 + 0.05*35 + 0.3*25)/100 = 0.0125
    expect(result.expectedValue[0]).toBeCloseTo(-0.01 + 0.0125, 15);
    for (let r = 0; r < rows; r++) {
      const x = X.subarray(r * 3, r * 3 + 3);
      const brute = shapleyByEnumeration(3, (s) => coverExpectation(model, x, s));
      for (let f = 0; f < 3; f++) expect(Math.abs(result.values[r * 3 + f]! - brute[f]!)).toBeLessThan(1e-14);
    }
    const recursive = treeShapPathDependentRecursive(model, X, rows);
    for (let i = 0; i < result.values.length; i++) expect(Math.abs(result.values[i]! - recursive.values[i]!)).toBeLessThan(1e-14);
  });

  it('interventional SHAP equals Shapley values of the background expectation, by enumeration', () => {
    const background = X;
    const result = treeShapInterventional(model, X, rows, background, rows);
    for (let r = 0; r < rows; r++) {
      const x = X.subarray(r * 3, r * 3 + 3);
      const brute = shapleyByEnumeration(3, (s) => backgroundExpectation(model, x, background, rows, s));
      for (let f = 0; f < 3; f++) expect(Math.abs(result.values[r * 3 + f]! - brute[f]!)).toBeLessThan(1e-14);
    }
  });
});

describe('LightGBM multi-class', () => {
  // The hand model's two trees as one iteration of a two-class model: tree 0 -> class 0, tree 1 -> class 1.
  const text = new TextDecoder()
    .decode(fixtureBytes('lightgbm_hand.txt'))
    .replace('num_class=1', 'num_class=2')
    .replace('num_tree_per_iteration=1', 'num_tree_per_iteration=2')
    .replace('objective=binary sigmoid:1', 'objective=multiclass num_class:2');
  const model = parseModel(new TextEncoder().encode(text));
  const X = toMatrix(ROWS);

  it('assigns trees to classes and applies softmax', () => {
    expect(model.numOutputs).toBe(2);
    expect(Array.from(model.groupOf)).toEqual([0, 1]);
    const margin = predictMargin(model, X, ROWS.length);
    // Row 0: tree 0 gives -0.3 (class 0), tree 1 gives 0.3 (class 1).
    expect([margin[0], margin[1]]).toEqual([-0.3, 0.3]);
    const p = marginToPrediction(model, margin);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 15);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-0.6)), 15);
  });

  it('gives per-class SHAP values equal to enumeration of each class', () => {
    const result = new PathDependentExplainer(model).explain(X, ROWS.length);
    for (let r = 0; r < ROWS.length; r++) {
      const x = X.subarray(r * 3, r * 3 + 3);
      for (let k = 0; k < 2; k++) {
        const brute = shapleyByEnumeration(3, (s) => coverExpectation(model, x, s, k));
        for (let f = 0; f < 3; f++) expect(Math.abs(result.values[(r * 2 + k) * 3 + f]! - brute[f]!)).toBeLessThan(1e-14);
      }
    }
  });
});
