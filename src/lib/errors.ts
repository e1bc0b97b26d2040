/**
 * Errors a user can meet. `message` is written for the user: it names the problem and, where possible,
 * what to do about it. `code` lets the CLI and tests tell kinds apart without parsing text.
 */
export type LanternErrorCode =
  | 'empty-file'
  | 'no-rows'
  | 'binary-file'
  | 'unknown-format'
  | 'ragged-csv'
  | 'bad-csv'
  | 'bad-parquet'
  | 'bad-json'
  | 'bad-arrow'
  | 'too-large'
  | 'cancelled'
  | 'usage'
  | 'not-found'
  | 'bad-model'
  | 'unsupported-model'
  | 'feature-mismatch'
  | 'worker-failed'
  | 'bad-profile';

/**
 * The input a user has to give for the error to go away. The message states the problem in words both
 * surfaces share; the CLI adds the flag that gives the input (src/cli/hints.ts) and the app the place
 * where the user gives it (src/state/appMessages.ts), so neither surface tells the user about the other's.
 */
export type MissingInput = 'label' | 'id' | 'score-or-prediction' | 'prediction' | 'model';

export class LanternError extends Error {
  constructor(
    readonly code: LanternErrorCode,
    message: string,
    readonly need?: MissingInput,
  ) {
    super(message);
    this.name = 'LanternError';
  }
}

export function isCancel(error: unknown): boolean {
  return error instanceof LanternError && error.code === 'cancelled';
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LanternError('cancelled', 'Cancelled.');
}

/** DuckDB reports memory exhaustion in a few phrasings; all mean the data does not fit. */
export function isOutOfMemory(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return /out of memory|memory limit|could not allocate|Aborted\(|RangeError: Array buffer allocation failed|WebAssembly\.Memory/i.test(
    text,
  );
}

export const TOO_LARGE_MESSAGE =
  'This file is larger than the in-browser engine can hold (its memory tops out near 4 GB). ' +
  'Load a sample, fewer columns, or a Parquet version of the file.';
