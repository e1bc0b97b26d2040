import { describe, expect, it } from 'vitest';
import { LanternError } from '../../src/lib/errors';
import { detectModelFormat, parseModel } from '../../src/lib/model/load';
import { parseBaseScore } from '../../src/lib/model/xgboost';
import { predictMargin } from '../../src/lib/model/predict';
import { PathDependentExplainer } from '../../src/lib/shap/pathDependent';
import { fixtureBytes, loadFixtureModel, readCase, toMatrix } from '../helpers/shapFixtures';

const encode = (s: string) => new TextEncoder().encode(s);

function errorOf(fn: () => unknown): LanternError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LanternError) return error;
    throw error;
  }
  throw new Error('expected a LanternError');
}

describe('XGBoost UBJSON', () => {
  it.each(['binary', 'regression', 'deep', 'poisson', 'softprob', 'softmax'])('%s.ubj decodes to the same ensemble as %s.json', (name) => {
    const json = loadFixtureModel(`${name}.json`);
    const ubj = loadFixtureModel(`${name}.ubj`);
    expect(ubj.format).toBe('xgboost-ubjson');
    expect(json.format).toBe('xgboost-json');
    const { format: _a, ...a } = json;
    const { format: _b, ...b } = ubj;
    expect(b).toEqual(a);
  });

  it('rejects a truncated file with a message', () => {
    const bytes = fixtureBytes('binary.ubj');
    const error = errorOf(() => parseModel(bytes.subarray(0, bytes.length - 100), 'cut.ubj'));
    expect(error.code).toBe('bad-model');
    expect(error.message).toMatch(/cut\.ubj.*cannot be read/);
  });
});

describe('base_score', () => {
  it('reads the scalar and the XGBoost 3.1 list form', () => {
    expect(parseBaseScore('5E-1')).toEqual([0.5]);
    expect(parseBaseScore('[5E-1]')).toEqual([0.5]);
    expect(parseBaseScore('[1E-1,2E-1,7E-1]')).toEqual([0.1, 0.2, 0.7]);
    expect(() => parseBaseScore('[abc]')).toThrow(/not a number/);
  });

  it('maps a probability base_score through the logit: "[3E-1]" gives the same margins as "3E-1"', () => {
    const source = new TextDecoder().decode(fixtureBytes('binary.json'));
    expect(source).toContain('"base_score":"3E-1"');
    const listed = parseModel(encode(source.replace('"base_score":"3E-1"', '"base_score":"[3E-1]"')));
    const plain = loadFixtureModel('binary.json');
    expect(listed.baseMargin[0]).toBeCloseTo(Math.log(0.3 / 0.7), 15);
    expect(listed.baseMargin).toEqual(plain.baseMargin);
  });

  it('takes a per-class list for multi-class models', () => {
    const source = new TextDecoder()
      .decode(fixtureBytes('softprob.json'))
      .replace('"base_score":"5E-1"', '"base_score":"[1E-1,2E-1,7E-1]"');
    const model = parseModel(encode(source));
    expect(Array.from(model.baseMargin)).toEqual([0.1, 0.2, 0.7]);
    const fixture = readCase('softprob');
    const X = toMatrix(fixture.rows);
    const explained = new PathDependentExplainer(model).explain(X, 2);
    const margin = predictMargin(model, X, 2);
    for (let k = 0; k < 3; k++) {
      const sum = explained.values.subarray(k * 6, k * 6 + 6).reduce((a, b) => a + b, explained.expectedValue[k]!);
      expect(sum).toBeCloseTo(margin[k]!, 12);
    }
  });

  it('maps log-link objectives through the log (count:poisson base_score 1.7)', () => {
    expect(loadFixtureModel('poisson.json').baseMargin[0]).toBeCloseTo(Math.log(1.7), 15);
  });
});

describe('model files Lantern cannot explain', () => {
  const binary = new TextDecoder().decode(fixtureBytes('binary.json'));

  it('names the unsupported objective', () => {
    const error = errorOf(() => parseModel(encode(binary.replace('"name":"binary:logistic"', '"name":"reg:mystery"'))));
    expect(error.code).toBe('unsupported-model');
    expect(error.message).toContain('"reg:mystery"');
  });

  it('says a linear booster is not a tree model', () => {
    const error = errorOf(() => parseModel(encode(binary.replace('"name":"gbtree"', '"name":"gblinear"'))));
    expect(error.code).toBe('unsupported-model');
    expect(error.message).toContain('gblinear');
  });

  it('rejects multi-target models and vector leaves', () => {
    expect(errorOf(() => parseModel(encode(binary.replace('"num_target":"1"', '"num_target":"2"')))).message).toMatch(/2 targets/);
    expect(errorOf(() => parseModel(encode(binary.replace('"size_leaf_vector":"0"', '"size_leaf_vector":"3"')))).message).toMatch(
      /vector leaves/,
    );
  });

  it('catches a tree that points outside itself or at a feature the model lacks', () => {
    const broken = binary.replace('"left_children":[1,', '"left_children":[999,');
    expect(errorOf(() => parseModel(encode(broken))).code).toBe('bad-model');
    const badFeature = binary.replace('"split_indices":[0,', '"split_indices":[60,');
    expect(errorOf(() => parseModel(encode(badFeature))).message).toMatch(/feature 60/);
  });

  it('refuses damaged leaves and splits, naming the tree and the node', () => {
    const doc = JSON.parse(binary);
    const tree = doc.learner.gradient_booster.model.trees[1];
    const leaf = (tree.left_children as number[]).indexOf(-1);
    const damaged = (change: (t: Record<string, unknown[]>) => void, marker?: string) => {
      const copy = JSON.parse(binary);
      change(copy.learner.gradient_booster.model.trees[1]);
      const text = JSON.stringify(copy);
      return parseModel(encode(marker ? text.replace(`"${marker}"`, marker) : text), 'm.json');
    };
    const message = (fn: () => unknown) => errorOf(fn).message;
    // A bare NaN token (read leniently as null), and the string "NaN".
    expect(message(() => damaged((t) => (t['split_conditions']![leaf] = 'NaN'), 'NaN'))).toBe(
      `This XGBoost model file is damaged or not one XGBoost wrote: tree 1, node ${leaf}: the leaf value is not a number.`,
    );
    expect(message(() => damaged((t) => (t['split_conditions']![leaf] = 'NaN')))).toMatch(`tree 1, node ${leaf}: the leaf value`);
    expect(message(() => damaged((t) => (t['split_indices']![0] = null)))).toMatch(
      'tree 1, node 0: the split feature is not a feature index',
    );
    expect(message(() => damaged((t) => (t['split_conditions']![0] = 'abc')))).toMatch(
      'tree 1, node 0: the split threshold is not a number',
    );
    expect(message(() => damaged((t) => (t['left_children']![0] = null)))).toMatch('tree 1, node 0: a child of the split');
  });

  it('refuses a LightGBM threshold or leaf that is not a number', () => {
    const text = new TextDecoder().decode(fixtureBytes('lightgbm_hand.txt'));
    const cases: [string, string][] = [
      [text.replace('threshold=1.5 -0.25', 'threshold=abc -0.25'), 'tree 0, node 0: the split threshold is not a number'],
      [text.replace('leaf_value=0.40000000000000002', 'leaf_value=nan'), 'tree 0, node 2: the leaf value is not a number'],
    ];
    for (const [source, expected] of cases) {
      const error = errorOf(() => parseModel(encode(source), 'm.txt'));
      expect(error.code).toBe('bad-model');
      expect(error.message).toContain(expected);
    }
    const json = new TextDecoder().decode(fixtureBytes('lightgbm_hand.dump.json'));
    expect(errorOf(() => parseModel(encode(json.replace('"leaf_value":-0.3', '"leaf_value":null')), 'm.json')).message).toMatch(
      /the leaf value is not a number/,
    );
  });

  it('rejects data files and garbage as "not a model file"', () => {
    for (const text of ['[{"a":1}]', '{"a":1,"b":2}', 'a,b\n1,2\n', '']) {
      expect(detectModelFormat(encode(text))).toBeNull();
      expect(errorOf(() => parseModel(encode(text), 'x.json')).code).toBe('unknown-format');
    }
  });

  it('rejects unsupported LightGBM objectives and linear trees', () => {
    const text = new TextDecoder().decode(fixtureBytes('lightgbm_hand.txt'));
    expect(errorOf(() => parseModel(encode(text.replace('objective=binary sigmoid:1', 'objective=custom')))).message).toContain('"custom"');
    expect(errorOf(() => parseModel(encode(text.replace('is_linear=0', 'is_linear=1')))).message).toMatch(/linear trees/);
  });
});

describe('format detection by content', () => {
  it.each([
    ['binary.json', 'xgboost-json'],
    ['binary.ubj', 'xgboost-ubjson'],
    ['lightgbm_hand.txt', 'lightgbm-text'],
    ['lightgbm_hand.dump.json', 'lightgbm-json'],
  ])('%s is %s', (file, format) => {
    expect(detectModelFormat(fixtureBytes(file))).toBe(format);
  });

  it('reads XGBoost JSON with bare NaN tokens (categorical split conditions)', () => {
    expect(new TextDecoder().decode(fixtureBytes('categorical.json'))).toContain('NaN');
    expect(loadFixtureModel('categorical.json').numTrees).toBe(8);
  });

  it('models without feature names get f0.. and say so', () => {
    const model = loadFixtureModel('unnamed.json');
    expect(model.featureNames).toEqual(['f0', 'f1', 'f2']);
    expect(model.featureNamesFromModel).toBe(false);
  });
});
