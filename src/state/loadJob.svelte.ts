import type { LoadProgress } from '../lib/ingest';

const PHASE_LABEL: Record<LoadProgress['phase'], string> = {
  detecting: 'Detecting format',
  reading: 'Reading',
  decoding: 'Decoding',
  inserting: 'Storing',
  counting: 'Counting rows',
};

/** One file being loaded: progress for the UI, and a cancel that reaches the running query in the worker. */
export class LoadJob {
  private readonly controller = new AbortController();
  /** Aborted by Cancel: the engine stops the load wherever it is. */
  readonly signal = this.controller.signal;
  progress: LoadProgress = $state({ phase: 'detecting' });
  cancelled = $state(false);

  constructor(
    /** Unique among the workspace's loads (the workspace numbers them). */
    readonly id: string,
    readonly name: string,
  ) {}

  get label(): string {
    const fraction = this.progress.fraction;
    return `${PHASE_LABEL[this.progress.phase]}${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`}`;
  }

  cancel(): void {
    this.cancelled = true;
    this.controller.abort();
  }
}
