import { LanternError } from '../lib/errors';

/**
 * How urgent a piece of engine work is. `user`: the user just asked for it (a load, a click). `view`: a
 * visible view needs it to draw. `background`: nobody waits (column summaries of the dataset cards, the
 * autosave's export), and it can be interrupted and run again later.
 */
export type Priority = 'user' | 'view' | 'background';

export const PRIORITIES: readonly Priority[] = ['user', 'view', 'background'];

const RANK: Record<Priority, number> = { user: 0, view: 1, background: 2 };

/** Thrown inside a step that a more urgent one interrupted; the queue runs the step again later. */
export class Preempted extends Error {
  constructor() {
    super('Preempted by more urgent engine work.');
    this.name = 'Preempted';
  }
}

interface Step {
  run: (interrupt: AbortSignal) => Promise<unknown>;
  rank: number;
  seq: number;
  preemptible: boolean;
  interrupt: AbortController;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

/**
 * The one line in front of the engine's single DuckDB connection. Steps (one query, one insert) run one
 * at a time, the most urgent first and in arrival order within a priority. A background step that is
 * running when more urgent work arrives is interrupted (DuckDB cancels its pending query) and put back at
 * the head of its priority, so a card's column summary never holds a user's drift report for the seconds
 * its scan takes; the job that owns the step never notices, it only waits longer.
 */
export class EngineQueue {
  private readonly waiting: Step[] = [];
  private running: Step | null = null;
  private seq = 0;

  /** Steps waiting and running, for tests and progress. */
  get size(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  enqueue<T>(
    run: (interrupt: AbortSignal) => Promise<T>,
    options: { priority?: Priority | undefined; signal?: AbortSignal | undefined; preemptible?: boolean } = {},
  ): Promise<T> {
    const priority = options.priority ?? 'view';
    if (options.signal?.aborted) return Promise.reject(new LanternError('cancelled', 'Cancelled.'));
    return new Promise<T>((resolve, reject) => {
      const step: Step = {
        run,
        rank: RANK[priority],
        seq: this.seq++,
        preemptible: priority === 'background' && options.preemptible !== false,
        interrupt: new AbortController(),
        resolve: resolve as (value: unknown) => void,
        reject,
        signal: options.signal,
      };
      this.insert(step);
      const current = this.running;
      if (current && current.preemptible && step.rank < current.rank) current.interrupt.abort();
      this.pump();
    });
  }

  private insert(step: Step): void {
    let i = this.waiting.length;
    while (
      i > 0 &&
      (this.waiting[i - 1]!.rank > step.rank || (this.waiting[i - 1]!.rank === step.rank && this.waiting[i - 1]!.seq > step.seq))
    )
      i--;
    this.waiting.splice(i, 0, step);
  }

  private pump(): void {
    if (this.running) return;
    const step = this.waiting.shift();
    if (!step) return;
    if (step.signal?.aborted) {
      step.reject(new LanternError('cancelled', 'Cancelled.'));
      this.pump();
      return;
    }
    this.running = step;
    step.run(step.interrupt.signal).then(
      (value) => this.finish(step, () => step.resolve(value)),
      (error) =>
        this.finish(step, () => {
          if (error instanceof Preempted && !step.signal?.aborted) {
            // Back at the head of its priority (its seq is unchanged), with a fresh interrupt.
            step.interrupt = new AbortController();
            this.insert(step);
          } else step.reject(error);
        }),
    );
  }

  private finish(step: Step, settle: () => void): void {
    if (this.running === step) this.running = null;
    settle();
    this.pump();
  }
}

export function rankOf(priority: Priority): number {
  return RANK[priority];
}
