// Worker-thread entry of the drift report's helper in Node (nodeStats.ts). The parent's tsx hooks do not
// reach worker threads in Node 20, so the worker registers them itself before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./nodeStatsServe.ts');
