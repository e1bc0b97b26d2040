// Slice-search worker entry: SliceLine and the worsened-slice tests of the analysis core, started by the
// engine worker (src/engine/browserSliceSearch.ts) so that DuckDB keeps answering queries during a search.
import { expose } from 'comlink';
import { sliceSearchApi } from '../src/engine/browserSliceSearch';
import { installErrorTransfer } from '../src/rpc/errors';

installErrorTransfer();
expose(sliceSearchApi());
