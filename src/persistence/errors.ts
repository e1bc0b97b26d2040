/** Errors of saving, opening, importing and exporting workspaces; `message` is written for the user. */
export type PersistenceErrorCode =
  | 'quota' // the browser refused to store more: the last saved state is intact
  | 'conflict' // another tab saved this workspace since this tab loaded it
  | 'corrupt' // stored data is missing or fails its checksum
  | 'bad-archive' // an imported file is not a valid .lantern file
  | 'newer-version' // an imported file or stored data was written by a newer Lantern
  | 'not-found'
  | 'unavailable'; // IndexedDB cannot be opened (private mode, disabled storage)

export class PersistenceError extends Error {
  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PersistenceError';
  }
}

export const QUOTA_MESSAGE =
  'The browser refused to store more data for this site (storage quota exceeded). Your last saved state is intact, ' +
  'but newer changes are not saved. Free space by deleting workspaces you no longer need, export this workspace ' +
  'to a .lantern file, or allow more storage for this site in the browser settings; then save again.';

/** IndexedDB and Dexie report a full disk or quota in a few shapes (DOMException, Dexie wrapper, inner error). */
export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (name === 'QuotaExceededError' || /quota/i.test(String(message ?? ''))) return true;
    const failures = (e as { failures?: unknown[] }).failures;
    if (Array.isArray(failures) && failures.some((f) => isQuotaError(f))) return true;
    e = (e as { inner?: unknown }).inner;
  }
  return false;
}

/** Wraps storage failures in the message the user needs; anything else passes through unchanged. */
export function explainStorageError(error: unknown): unknown {
  if (error instanceof PersistenceError) return error;
  if (isQuotaError(error)) return new PersistenceError('quota', QUOTA_MESSAGE);
  return error;
}
