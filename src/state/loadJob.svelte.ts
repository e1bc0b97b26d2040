import type { LoadProgress } from '../lib/ingest';

const PHASE_LABEL: Record<LoadProgress['phase'], string> = {
  detecting: 'Detecting format',
  reading: 'Reading',
  decoding: 'Decoding',
  inserting: 'Storing',
  counting: 'Counting rows',
};

/** One file being loaded: progress for the UI, and a cancel that reaches the running query in the worker. */
let nextLoad = 0;

export class LoadJob {
  readonly id = `load-${++nextLoad}`;
  private readonly controller = new AbortController();
  /** Aborted by Cancel: the engine stops the load wherever it is. */
  readonly signal = this.controller.signal;
  progress: LoadProgress = $state({ phase: 'detecting' });
  cancelled = $state(false);

  constructor(readonly name: string) {}

  get label(): string {
    const fraction = this.progress.fraction;
    return `${PHASE_LABEL[this.progress.phase]}${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`}`;
  }

  cancel(): void {
    this.cancelled = true;
    this.controller.abort();
  }
}
