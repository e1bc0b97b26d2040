// Bundled by bench/shap/browser.ts into a classic worker script: the same core the app's pool runs.
import { parseModel } from '../../src/lib/model/load';
import { PathDependentExplainer } from '../../src/lib/shap/pathDependent';

let explainer: PathDependentExplainer | null = null;
// Typed by hand: this file is checked with the Node config (no WebWorker lib) but runs in a worker.
const scope = globalThis as unknown as { onmessage: (event: { data: unknown }) => void; postMessage(message: unknown): void };

scope.onmessage = (event) => {
  const message = event.data as { kind: 'model'; bytes: Uint8Array } | { kind: 'explain'; X: Float64Array; rows: number };
  if (message.kind === 'model') {
    explainer = new PathDependentExplainer(parseModel(message.bytes));
    scope.postMessage({ kind: 'ready' });
    return;
  }
  const start = performance.now();
  const result = explainer!.explain(message.X, message.rows);
  scope.postMessage({ kind: 'done', ms: performance.now() - start, head: result.values.slice(0, 40) });
};
