// TreeSHAP worker entry: the model parser and TreeSHAP of the analysis core, exposed through Comlink.
// A pool of these (src/client/shapPool.ts) splits rows across the machine's cores.
import { expose } from 'comlink';
import { createShapApi } from '../src/engine/shapApi';
import { installErrorTransfer } from '../src/rpc/errors';

installErrorTransfer();
expose(createShapApi());
