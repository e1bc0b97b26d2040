import type { Db } from '../db';

/**
 * What a use case runs with: the engine (as the caller's job sees it: in the app every query carries the
 * job's priority and cancel) and the signal that cancels the whole call.
 */
export interface Run {
  db: Db;
  signal?: AbortSignal | undefined;
}
