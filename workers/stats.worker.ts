// Statistics worker: the drift report's numerical batches (decode, sort, merge), started by the engine
// worker so the sorting runs on another core while DuckDB pulls the next batch (decision 0103).
import { expose } from 'comlink';
import { numericalBatchDrift, type NumericalBatchJob } from '../src/lib/drift/numericalBatch';
import { installErrorTransfer } from '../src/rpc/errors';

installErrorTransfer();
expose({ numericalBatchDrift: (job: NumericalBatchJob) => numericalBatchDrift(job) });
