import { LanternError } from '../errors';
import {
  EnsembleBuilder,
  MISSING_NAN,
  SPLIT_XGB_CATEGORICAL,
  SPLIT_XGB_NUMERIC,
  type ModelFormat,
  type OutputLink,
  type TreeEnsemble,
} from './ensemble';
import { asNumbers, field, list, text, type Json } from './jsonAccess';

/**
 * How each XGBoost objective maps base_score to the margin and the margin to a prediction. Since 1.0
 * XGBoost stores base_score as the user gave it (a probability for logistic objectives) and maps it with
 * the objective's ProbToMargin when loading (src/objective/regression_loss.h). Checked on xgboost 1.7.4:
 * binary:logitraw keeps base_score as the margin although its loss is logistic; the log-link objectives
 * take log(base_score).
 */
const OBJECTIVES: Record<string, { base: 'identity' | 'logit' | 'log'; link: OutputLink }> = {
  'binary:logistic': { base: 'logit', link: 'logistic' },
  'reg:logistic': { base: 'logit', link: 'logistic' },
  'binary:logitraw': { base: 'identity', link: 'identity' },
  'binary:hinge': { base: 'identity', link: 'identity' },
  'count:poisson': { base: 'log', link: 'exp' },
  'reg:gamma': { base: 'log', link: 'exp' },
  'reg:tweedie': { base: 'log', link: 'exp' },
  'survival:cox': { base: 'log', link: 'exp' },
  'survival:aft': { base: 'log', link: 'exp' },
  'multi:softmax': { base: 'identity', link: 'softmax' },
  'multi:softprob': { base: 'identity', link: 'softmax' },
  'reg:squarederror': { base: 'identity', link: 'identity' },
  'reg:linear': { base: 'identity', link: 'identity' },
  'reg:squaredlogerror': { base: 'identity', link: 'identity' },
  'reg:pseudohubererror': { base: 'identity', link: 'identity' },
  'reg:absoluteerror': { base: 'identity', link: 'identity' },
  'reg:quantileerror': { base: 'identity', link: 'identity' },
  'rank:pairwise': { base: 'identity', link: 'identity' },
  'rank:ndcg': { base: 'identity', link: 'identity' },
  'rank:map': { base: 'identity', link: 'identity' },
};

function vectorLeaves(): LanternError {
  return new LanternError(
    'unsupported-model',
    'This XGBoost model has vector leaves (multi_strategy); Lantern explains scalar-leaf trees only.',
  );
}

function bad(message: string): LanternError {
  return new LanternError('bad-model', `This XGBoost model file is damaged or not one XGBoost wrote: ${message}.`);
}

/** base_score as "5E-1" (XGBoost < 3), "[5E-1]" or "[a,b,c]" (XGBoost 3.1 list form), or a number. */
export function parseBaseScore(raw: Json | undefined): number[] {
  if (raw === undefined || raw === null) return [0.5];
  if (typeof raw === 'number') return [raw];
  if (Array.isArray(raw) || ArrayBuffer.isView(raw)) return asNumbers(raw as Json);
  const s = String(raw).trim();
  const inner = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const values = inner.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) throw bad(`base_score "${s}" is not a number`);
  return values;
}

function toMargin(base: 'identity' | 'logit' | 'log', value: number, objective: string): number {
  if (base === 'identity') return value;
  if (base === 'logit') {
    if (!(value > 0 && value < 1)) throw bad(`base_score ${value} of a ${objective} model must lie strictly between 0 and 1`);
    return -Math.log(1 / value - 1);
  }
  if (!(value > 0)) throw bad(`base_score ${value} of a ${objective} model must be positive`);
  return Math.log(value);
}

/** Parses the object XGBoost's save_model writes (JSON text parsed, or UBJSON decoded). */
export function parseXgboost(doc: Json, format: ModelFormat): TreeEnsemble {
  const learner = field(doc, 'learner');
  if (!learner) throw bad('there is no "learner" object');
  const objective = text(field(field(learner, 'objective'), 'name'));
  const spec = OBJECTIVES[objective];
  if (!spec)
    throw new LanternError(
      'unsupported-model',
      `Lantern cannot explain XGBoost objective "${objective || '(none)'}". Supported: ${Object.keys(OBJECTIVES).join(', ')}.`,
    );
  const params = field(learner, 'learner_model_param');
  const numFeature = Number(text(field(params, 'num_feature')));
  const numClass = Number(text(field(params, 'num_class')) || '0');
  const numTarget = Number(text(field(params, 'num_target')) || '1');
  if (!Number.isInteger(numFeature) || numFeature <= 0) throw bad('num_feature is missing');
  if (numTarget > 1)
    throw new LanternError('unsupported-model', `This XGBoost model has ${numTarget} targets; Lantern explains single-target models only.`);
  const numOutputs = Math.max(1, numClass);

  let booster = field(learner, 'gradient_booster');
  const boosterName = text(field(booster, 'name'));
  let treeWeights: number[] | undefined;
  if (boosterName === 'dart') {
    // DART scales each tree by its weight_drop at prediction time (src/gbm/gbtree.h Dart::PredictBatchImpl).
    treeWeights = asNumbers(field(booster, 'weight_drop') ?? []);
    booster = field(booster, 'gbtree');
  } else if (boosterName !== 'gbtree') {
    throw new LanternError(
      'unsupported-model',
      `This XGBoost model uses the "${boosterName}" booster; Lantern explains tree boosters (gbtree, dart) only.`,
    );
  }
  const model = field(booster, 'model');
  if (Number(text(field(field(model, 'gbtree_model_param'), 'size_leaf_vector')) || '0') > 1) throw vectorLeaves();
  const trees = list(field(model, 'trees'));
  const treeInfo = asNumbers(field(model, 'tree_info') ?? []);
  if (treeInfo.length !== trees.length) throw bad(`tree_info lists ${treeInfo.length} trees but the model holds ${trees.length}`);

  const names = list(field(learner, 'feature_names') ?? []).map((n) => text(n));
  const featureNamesFromModel = names.length === numFeature;
  const featureNames = featureNamesFromModel ? names : Array.from({ length: numFeature }, (_, i) => `f${i}`);

  const baseScores = parseBaseScore(field(params, 'base_score'));
  if (baseScores.length !== 1 && baseScores.length !== numOutputs)
    throw bad(`base_score has ${baseScores.length} values for ${numOutputs} outputs`);
  const baseMargin = Float64Array.from({ length: numOutputs }, (_, k) =>
    toMargin(spec.base, baseScores[baseScores.length === 1 ? 0 : k]!, objective),
  );

  const builder = new EnsembleBuilder();
  trees.forEach((tree, t) => addTree(builder, tree, t, treeInfo[t]!, numOutputs, treeWeights?.[t] ?? 1));
  try {
    return builder.finish({
      format,
      objective,
      link: spec.link,
      sigmoidScale: 1,
      featureNames,
      featureNamesFromModel,
      numOutputs,
      baseMargin,
    });
  } catch (error) {
    throw bad((error as Error).message);
  }
}

function addTree(builder: EnsembleBuilder, tree: Json, t: number, group: number, numOutputs: number, weight: number): void {
  const leafVector = Number(text(field(field(tree, 'tree_param'), 'size_leaf_vector')) || '0');
  if (leafVector > 1) throw vectorLeaves();
  const left = asNumbers(field(tree, 'left_children'));
  const right = asNumbers(field(tree, 'right_children'));
  const splitIndex = asNumbers(field(tree, 'split_indices'));
  const condition = asNumbers(field(tree, 'split_conditions'));
  const hessian = asNumbers(field(tree, 'sum_hessian'));
  const defaultLeft = asNumbers(field(tree, 'default_left'));
  const splitType = asNumbers(field(tree, 'split_type') ?? []);
  const n = left.length;
  for (const [name, arr] of [
    ['right_children', right],
    ['split_indices', splitIndex],
    ['split_conditions', condition],
    ['sum_hessian', hessian],
    ['default_left', defaultLeft],
  ] as const) {
    if (arr.length !== n) throw bad(`tree ${t}: ${name} has ${arr.length} entries for ${n} nodes`);
  }
  if (!(group >= 0 && group < numOutputs)) throw bad(`tree ${t} adds to output ${group}, but the model has ${numOutputs}`);
  // Categorical splits: node categoriesNodes[i] holds categories[segments[i] .. + sizes[i]].
  const catNodes = asNumbers(field(tree, 'categories_nodes') ?? []);
  const catSegments = asNumbers(field(tree, 'categories_segments') ?? []);
  const catSizes = asNumbers(field(tree, 'categories_sizes') ?? []);
  const cats = asNumbers(field(tree, 'categories') ?? []);
  const catsOf = new Map<number, number[]>();
  catNodes.forEach((node, i) => catsOf.set(node, cats.slice(catSegments[i]!, catSegments[i]! + catSizes[i]!)));

  const base = builder.startTree(n, group);
  for (let i = 0; i < n; i++) {
    // XGBoost keeps split conditions, leaf values and hessians as float32; JSON prints them in decimal.
    const cover = Math.fround(hessian[i]!);
    if (left[i] === -1) {
      builder.setLeaf(base + i, Math.fround(condition[i]!) * weight, cover);
      continue;
    }
    const categorical = splitType[i] === 1;
    builder.setSplit(base + i, {
      left: base + left[i]!,
      right: base + right[i]!,
      feature: splitIndex[i]!,
      threshold: categorical ? 0 : Math.fround(condition[i]!),
      cover,
      rule: categorical ? SPLIT_XGB_CATEGORICAL : SPLIT_XGB_NUMERIC,
      defaultLeft: defaultLeft[i] === 1,
      missingType: MISSING_NAN,
    });
    if (categorical) builder.setCategories(base + i, catsOf.get(i) ?? []);
  }
}
