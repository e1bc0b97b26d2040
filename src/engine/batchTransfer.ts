/**
 * What the two helper-thread runners of the drift report share (browserStats.ts, nodeStats.ts): the
 * Arrow bytes go to the helper by transfer, and a cancelled report stops waiting at once.
 */
import { LanternError } from '../lib/errors';

/** The bytes as a whole ArrayBuffer of their own, so they can be transferred (a view of a larger or shared buffer is copied). */
export function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? (bytes as Uint8Array<ArrayBuffer>) : (bytes.slice() as Uint8Array<ArrayBuffer>);
}

/** Rejects with a cancel when the signal aborts; never settles otherwise. */
export function whenAborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    const stop = () => reject(new LanternError('cancelled', 'Cancelled.'));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

export function helperFailed(error: unknown): LanternError {
  const why = error instanceof Error ? error.message : String(error);
  return new LanternError('worker-failed', `The statistics thread stopped (${why}). Run the report again.`);
}
