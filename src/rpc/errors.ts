import { transferHandlers, type TransferHandler } from 'comlink';
import { LanternError, type MissingInput } from '../lib/errors';

/**
 * Comlink's built-in 'throw' handler copies only name, message and stack, so a LanternError's `code`
 * (and `need`) would be lost at the worker boundary. Wrapping it adds the code; Comlink's deserializer already
 * assigns every copied field onto the Error it rethrows on the main thread. Installed in each worker.
 */
export function installErrorTransfer(): void {
  type Thrown = { value: unknown };
  type Serialized = { isError: boolean; value: Record<string, unknown> };
  const builtIn = transferHandlers.get('throw') as unknown as TransferHandler<Thrown, Serialized>;
  const handler: TransferHandler<Thrown, Serialized> = {
    canHandle: builtIn.canHandle,
    serialize(thrown: Thrown) {
      const [serialized, transfer] = builtIn.serialize(thrown);
      if (thrown.value instanceof LanternError) {
        serialized.value['code'] = thrown.value.code;
        if (thrown.value.need) serialized.value['need'] = thrown.value.need;
      }
      // A load too large for the engine says what would fit (src/lib/ingestFit.ts): plain data, copied too.
      const fit = (thrown.value as { fit?: unknown } | null)?.fit;
      if (fit !== undefined) serialized.value['fit'] = fit;
      return [serialized, transfer];
    },
    deserialize: builtIn.deserialize,
  };
  transferHandlers.set('throw', handler as unknown as TransferHandler<unknown, unknown>);
}

/** The LanternError code of an error that crossed a worker boundary, if it had one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The input a LanternError that crossed a worker boundary says is missing, if any. */
export function errorNeed(error: unknown): MissingInput | undefined {
  const need = (error as { need?: unknown })?.need;
  return typeof need === 'string' ? (need as MissingInput) : undefined;
}

/** The error a cancelled call ends with on either side of a worker boundary (code 'cancelled'). */
export function cancelledError(): LanternError {
  return new LanternError('cancelled', 'Cancelled.');
}
