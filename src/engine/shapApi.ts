import { transfer } from 'comlink';
import { LanternError } from '../lib/errors';
import type { ModelFormat, OutputLink, TreeEnsemble } from '../lib/model/ensemble';
import { detectModelFormat, parseModel } from '../lib/model/load';
import { marginToPrediction, predictMargin } from '../lib/model/predict';
import { replayPredictions, type ReplayOptions, type ReplayResult } from '../lib/model/replay';
import { InterventionalExplainer } from '../lib/shap/interventional';
import { PathDependentExplainer } from '../lib/shap/pathDependent';

/** What the main thread learns about a model: enough to show it and match its features. */
export interface ModelSummary {
  name: string;
  format: ModelFormat;
  objective: string;
  link: OutputLink;
  numOutputs: number;
  numTrees: number;
  maxDepth: number;
  featureNames: string[];
  featureNamesFromModel: boolean;
}

export interface ShapBlock {
  values: Float64Array;
  expectedValue: Float64Array;
}

/**
 * The API of one TreeSHAP worker (workers/shap.worker.ts). Each worker of the pool parses the model
 * once and builds its TreeSHAP tables once; blocks of rows then arrive as typed arrays in the transfer
 * list and leave the same way.
 */
export function createShapApi() {
  let model: TreeEnsemble | null = null;
  let pathDependent: PathDependentExplainer | null = null;
  let interventional: InterventionalExplainer | null = null;

  const current = (): TreeEnsemble => {
    if (!model) throw new LanternError('usage', 'No model is loaded in this worker.');
    return model;
  };

  return {
    detect(head: Uint8Array): ModelFormat | null {
      return detectModelFormat(head);
    },

    loadModel(bytes: Uint8Array, name: string): ModelSummary {
      model = parseModel(bytes, name);
      pathDependent = null;
      interventional = null;
      return {
        name,
        format: model.format,
        objective: model.objective,
        link: model.link,
        numOutputs: model.numOutputs,
        numTrees: model.numTrees,
        maxDepth: model.maxDepth,
        featureNames: model.featureNames,
        featureNamesFromModel: model.featureNamesFromModel,
      };
    },

    setBackground(X: Float64Array, rows: number): Float64Array {
      interventional = new InterventionalExplainer(current(), X, rows);
      return interventional.expected;
    },

    explainBlock(X: Float64Array, rows: number, method: 'path-dependent' | 'interventional'): ShapBlock {
      const e = current();
      let result;
      if (method === 'interventional') {
        if (!interventional) throw new LanternError('usage', 'Interventional SHAP needs a background sample first.');
        result = interventional.explain(X, rows);
      } else {
        pathDependent ??= new PathDependentExplainer(e);
        result = pathDependent.explain(X, rows);
      }
      const block = { values: result.values, expectedValue: result.expectedValue };
      return transfer(block, [block.values.buffer as ArrayBuffer]);
    },

    /** Margins and predictions (rows x numOutputs each). */
    predict(X: Float64Array, rows: number): { margin: Float64Array; prediction: Float64Array } {
      const margin = predictMargin(current(), X, rows);
      const prediction = marginToPrediction(current(), margin);
      return transfer({ margin, prediction }, [margin.buffer as ArrayBuffer, prediction.buffer as ArrayBuffer]);
    },

    replay(X: Float64Array, rows: number, logged: Float64Array, options: ReplayOptions = {}): ReplayResult {
      return replayPredictions(current(), X, rows, logged, options);
    },
  };
}

export type ShapApi = ReturnType<typeof createShapApi>;
