import type { Priority } from '../../src/engine/queue';
import { Scheduler, type CallContext } from '../../src/engine/scheduler';
import { testDb } from './db';

/** A scheduler over the test file's engine, as the engine worker builds one. */
export async function testScheduler(): Promise<Scheduler> {
  return new Scheduler(await testDb());
}

/** A call's context as the client sends it. */
export function ctx(jobId: string, priority: Priority = 'view'): CallContext {
  return { jobId, priority };
}
