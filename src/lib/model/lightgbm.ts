import { LanternError } from '../errors';
import {
  EnsembleBuilder,
  MISSING_NAN,
  MISSING_NONE,
  MISSING_ZERO,
  SPLIT_LGB_CATEGORICAL,
  SPLIT_LGB_NUMERIC,
  type OutputLink,
  type TreeEnsemble,
} from './ensemble';
import { asNumber, asNumbers, field, isObject, list, text, type Json } from './jsonAccess';

/**
 * LightGBM models: the text format of `save_model("model.txt")` and the JSON of `dump_model()`.
 * Layout facts from LightGBM's src/io/tree.cpp: internal nodes are 0..num_leaves-2, a negative child c
 * is leaf ~c; decision_type bit 0 = categorical, bit 1 = default left, bits 2-3 = missing type
 * (0 None, 1 Zero, 2 NaN); categorical thresholds index cat_boundaries into a bitset of uint32 words.
 * Leaf values already include shrinkage, and the initial score is folded into the first trees.
 */

function bad(message: string): LanternError {
  return new LanternError('bad-model', `This LightGBM model file is damaged or not one LightGBM wrote: ${message}.`);
}

const LINKS: Record<string, OutputLink> = {
  regression: 'identity',
  regression_l2: 'identity',
  regression_l1: 'identity',
  l2: 'identity',
  l1: 'identity',
  huber: 'identity',
  fair: 'identity',
  quantile: 'identity',
  mape: 'identity',
  lambdarank: 'identity',
  rank_xendcg: 'identity',
  binary: 'logistic',
  cross_entropy: 'logistic',
  xentropy: 'logistic',
  multiclass: 'softmax',
  softmax: 'softmax',
  multiclassova: 'ova-logistic',
  ova: 'ova-logistic',
  poisson: 'exp',
  gamma: 'exp',
  tweedie: 'exp',
};

interface Objective {
  name: string;
  link: OutputLink;
  sigmoidScale: number;
}

/** "binary sigmoid:1", "multiclass num_class:3", "regression" ... */
function parseObjective(raw: string): Objective {
  const [name = '', ...params] = raw.trim().split(/\s+/);
  const link = LINKS[name];
  if (!link)
    throw new LanternError(
      'unsupported-model',
      `Lantern cannot explain LightGBM objective "${raw || '(none)'}". Supported: ${Object.keys(LINKS).join(', ')}.`,
    );
  if (params.includes('sqrt'))
    throw new LanternError(
      'unsupported-model',
      'This LightGBM model was trained with reg_sqrt; Lantern does not replay its square transform.',
    );
  const sigmoid = params.find((p) => p.startsWith('sigmoid:'));
  return { name: raw.trim(), link, sigmoidScale: sigmoid ? Number(sigmoid.slice(8)) : 1 };
}

function missingOf(decisionType: number): number {
  const m = (decisionType >> 2) & 3;
  return m === 1 ? MISSING_ZERO : m === 2 ? MISSING_NAN : MISSING_NONE;
}

/** Categories whose bits are set in LightGBM's uint32 bitset words. */
function categoriesOfBitset(words: readonly number[]): number[] {
  const out: number[] = [];
  words.forEach((word, w) => {
    for (let b = 0; b < 32; b++) if ((word >>> b) & 1) out.push(w * 32 + b);
  });
  return out;
}

export function isLightgbmText(head: string): boolean {
  return /^tree\r?\nversion=/.test(head) || /^tree\r?\n/.test(head.slice(0, 8));
}

/** Parses LightGBM's text model format. */
export function parseLightgbmText(source: string): TreeEnsemble {
  const lines = source.split(/\r?\n/);
  const header = new Map<string, string>();
  let i = 0;
  for (; i < lines.length && !lines[i]!.startsWith('Tree='); i++) {
    const line = lines[i]!;
    const eq = line.indexOf('=');
    if (eq > 0) header.set(line.slice(0, eq), line.slice(eq + 1));
    else if (line.trim()) header.set(line.trim(), '');
  }
  const objective = parseObjective(header.get('objective') ?? '');
  const numClass = Number(header.get('num_class') ?? '1');
  const perIteration = Number(header.get('num_tree_per_iteration') ?? String(numClass));
  const maxFeature = Number(header.get('max_feature_idx'));
  if (!Number.isInteger(maxFeature)) throw bad('max_feature_idx is missing');
  const names = (header.get('feature_names') ?? '').split(' ').filter((n) => n.length > 0);
  const featureNamesFromModel = names.length === maxFeature + 1;

  const trees: Map<string, string>[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('end of trees')) break;
    if (line.startsWith('Tree=')) trees.push(new Map());
    const eq = line.indexOf('=');
    if (eq > 0 && trees.length > 0) trees[trees.length - 1]!.set(line.slice(0, eq), line.slice(eq + 1));
  }
  if (trees.length === 0) throw bad('it holds no trees');
  const numbers = (tree: Map<string, string>, key: string) =>
    (tree.get(key) ?? '')
      .split(' ')
      .filter((s) => s.length > 0)
      .map(Number);

  const averageOutput = header.has('average_output');
  const iterations = trees.length / perIteration;
  const builder = new EnsembleBuilder();
  trees.forEach((tree, t) => {
    if (tree.get('is_linear') === '1')
      throw new LanternError(
        'unsupported-model',
        'This LightGBM model has linear trees (linear_tree); Lantern explains constant-leaf trees only.',
      );
    const leaves = Number(tree.get('num_leaves'));
    const leafValue = numbers(tree, 'leaf_value');
    const leafCount = numbers(tree, 'leaf_count');
    if (!(leaves >= 1) || leafValue.length !== leaves) throw bad(`tree ${t} has ${leafValue.length} leaf values for ${leaves} leaves`);
    const scale = averageOutput ? 1 / iterations : 1;
    const base = builder.startTree(2 * leaves - 1, t % perIteration);
    const internal = leaves - 1;
    for (let l = 0; l < leaves; l++) builder.setLeaf(base + internal + l, leafValue[l]! * scale, leafCount[l] ?? NaN);
    if (leaves === 1) return;
    const splitFeature = numbers(tree, 'split_feature');
    const threshold = numbers(tree, 'threshold');
    const decision = numbers(tree, 'decision_type');
    const leftChild = numbers(tree, 'left_child');
    const rightChild = numbers(tree, 'right_child');
    const internalCount = numbers(tree, 'internal_count');
    const catBoundaries = numbers(tree, 'cat_boundaries');
    const catThreshold = numbers(tree, 'cat_threshold');
    for (const [key, arr] of [
      ['split_feature', splitFeature],
      ['threshold', threshold],
      ['decision_type', decision],
      ['left_child', leftChild],
      ['right_child', rightChild],
    ] as const) {
      if (arr.length !== internal) throw bad(`tree ${t}: ${key} has ${arr.length} entries for ${internal} splits`);
    }
    const child = (c: number) => base + (c >= 0 ? c : internal + ~c);
    for (let n = 0; n < internal; n++) {
      const d = decision[n]!;
      const categorical = (d & 1) === 1;
      builder.setSplit(base + n, {
        left: child(leftChild[n]!),
        right: child(rightChild[n]!),
        feature: splitFeature[n]!,
        threshold: categorical ? 0 : threshold[n]!,
        cover: internalCount[n] ?? NaN,
        rule: categorical ? SPLIT_LGB_CATEGORICAL : SPLIT_LGB_NUMERIC,
        defaultLeft: (d & 2) === 2,
        missingType: missingOf(d),
      });
      if (categorical) {
        const k = threshold[n]!;
        const lo = catBoundaries[k];
        const hi = catBoundaries[k + 1];
        if (lo === undefined || hi === undefined) throw bad(`tree ${t}: categorical split ${n} points past cat_boundaries`);
        builder.setCategories(base + n, categoriesOfBitset(catThreshold.slice(lo, hi)));
      }
    }
  });
  return finish(builder, 'lightgbm-text', objective, numClass, maxFeature, names, featureNamesFromModel);
}

function finish(
  builder: EnsembleBuilder,
  format: 'lightgbm-text' | 'lightgbm-json',
  objective: Objective,
  numClass: number,
  maxFeature: number,
  names: string[],
  featureNamesFromModel: boolean,
): TreeEnsemble {
  const numOutputs = objective.link === 'softmax' || objective.link === 'ova-logistic' ? numClass : 1;
  try {
    return builder.finish({
      format,
      objective: objective.name,
      link: objective.link,
      sigmoidScale: objective.sigmoidScale,
      featureNames: featureNamesFromModel ? names : Array.from({ length: maxFeature + 1 }, (_, k) => `Column_${k}`),
      featureNamesFromModel,
      numOutputs,
      baseMargin: new Float64Array(numOutputs),
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
}

export function isLightgbmJson(doc: Json): boolean {
  return isObject(doc) && Array.isArray(doc['tree_info']) && 'max_feature_idx' in doc;
}

const MISSING_BY_NAME: Record<string, number> = { None: MISSING_NONE, Zero: MISSING_ZERO, NaN: MISSING_NAN };

/** Parses the JSON of LightGBM's `dump_model()`: the same trees as nested objects. */
export function parseLightgbmJson(doc: Json): TreeEnsemble {
  const objective = parseObjective(text(field(doc, 'objective')));
  const numClass = Number(field(doc, 'num_class') ?? 1);
  const perIteration = Number(field(doc, 'num_tree_per_iteration') ?? numClass);
  const maxFeature = Number(field(doc, 'max_feature_idx'));
  const names = list(field(doc, 'feature_names')).map((n) => text(n));
  const trees = list(field(doc, 'tree_info'));
  if (trees.length === 0) throw bad('it holds no trees');
  const scale = field(doc, 'average_output') === true ? perIteration / trees.length : 1;
  const builder = new EnsembleBuilder();
  trees.forEach((info, t) => {
    const leaves = Number(field(info, 'num_leaves'));
    if (!(leaves >= 1)) throw bad(`tree ${t} has no num_leaves`);
    const base = builder.startTree(2 * leaves - 1, t % perIteration);
    let nextInternal = 0;
    const place = (node: Json | undefined): number => {
      if (!isObject(node)) throw bad(`tree ${t} has a node that is not an object`);
      if (!('split_feature' in node)) {
        const leafIndex = Number(node['leaf_index'] ?? 0);
        if (!(leafIndex >= 0 && leafIndex < leaves)) throw bad(`tree ${t} has leaf index ${leafIndex}`);
        const id = base + leaves - 1 + leafIndex;
        builder.setLeaf(id, asNumber(node['leaf_value']) * scale, node['leaf_count'] === undefined ? NaN : asNumber(node['leaf_count']));
        return id;
      }
      if (nextInternal >= leaves - 1) throw bad(`tree ${t} has more splits than num_leaves allows`);
      const id = base + nextInternal++;
      const categorical = text(node['decision_type']) === '==';
      builder.setSplit(id, {
        left: place(node['left_child']),
        right: place(node['right_child']),
        feature: asNumber(node['split_feature']),
        threshold: categorical ? 0 : asNumber(node['threshold']),
        cover: node['internal_count'] === undefined ? NaN : asNumber(node['internal_count']),
        rule: categorical ? SPLIT_LGB_CATEGORICAL : SPLIT_LGB_NUMERIC,
        defaultLeft: node['default_left'] === true,
        missingType: MISSING_BY_NAME[text(node['missing_type'])] ?? MISSING_NONE,
      });
      if (categorical) builder.setCategories(id, asNumbers(text(node['threshold']).split('||') as Json));
      return id;
    };
    const root = place(field(info, 'tree_structure'));
    // The builder makes local node 0 the root; a single-leaf tree's only node is its leaf.
    if (root !== base && leaves > 1) throw bad(`tree ${t}: the root is not the first split`);
    if (leaves === 1 && root !== base) throw bad(`tree ${t}: the single leaf is misplaced`);
  });
  return finish(builder, 'lightgbm-json', objective, numClass, maxFeature, names, names.length === maxFeature + 1);
}
