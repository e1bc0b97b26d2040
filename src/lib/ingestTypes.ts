/** What a load is asked to do and how it reports, shared by the loaders of every format. */
export interface LoadProgress {
  phase: 'detecting' | 'reading' | 'decoding' | 'inserting' | 'counting';
  /** 0..1 where known. */
  fraction?: number;
}

export interface LoadOptions {
  /** Table the dataset lands in; it is created only when the whole load succeeded. */
  table: string;
  /** Load only these columns: a wide file whose analyses need a few. */
  columns?: readonly string[];
  /** Load a uniform sample of this fraction of the rows (0..1): a file too long for the engine. */
  sample?: number;
  /**
   * Compress the table while it loads and stop, with what would fit, before the dataset takes more than
   * its share of the engine's memory (src/lib/ingestFit.ts). For the browser, whose engine cannot spill.
   */
  compact?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
}
