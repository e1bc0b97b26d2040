import { z } from 'zod';
import { costSettingsSchema, type CostSettings } from '../../lib/metrics/costs';
import { customMetricSchema, type CustomMetric } from '../../lib/metrics/custom';
import type { PerfChoices } from '../../lib/metrics/setup';
import type { Task } from '../../lib/metrics/spec';
import { ROW_ERRORS, type RowErrorName } from '../../lib/slices/rowError';
import { refOf, resolve, type DatasetLike, type DatasetRefs, type SettingsArea } from './area';

const ROW_ERROR_NAMES = Object.keys(ROW_ERRORS) as [RowErrorName, ...RowErrorName[]];

export const performanceSettingsSchema = z.object({
  /** The datasets the analysis reads; null until the performance view was opened (nothing to restore). */
  sources: z.object({ data: z.string(), labels: z.string().nullable(), reference: z.string().nullable() }).nullable(),
  task: z.enum(['binary', 'multiclass', 'regression']).nullable().default(null),
  positive: z.string().nullable().default(null),
  threshold: z.number().finite().default(0.5),
  /** The slice dimension shown, the row error slices are found by, and their depth. */
  slice: z.string().nullable().default(null),
  rowError: z.enum(ROW_ERROR_NAMES).nullable().default(null),
  maxDepth: z.number().int().min(1).max(4).default(2),
  /** Costs per outcome (null: none set) and the team's custom metrics; added with defaults, so older saves still read. */
  costs: costSettingsSchema.nullable().default(null),
  customMetrics: z.array(customMetricSchema).max(50).default([]),
});
export type PerformanceSettings = z.infer<typeof performanceSettingsSchema>;

export interface PerfSourcesOf<D> {
  data: D;
  labels?: D;
  reference?: D;
}

/** What the performance state exposes to its settings (PerformanceState in src/state/performance.svelte.ts). */
export interface PerformanceHolder<D extends DatasetLike> {
  sources: PerfSourcesOf<D> | null;
  sessionId: string | null;
  task: Task | null;
  positive: string | null;
  threshold: number;
  sliceDimension: string | null;
  rowError: RowErrorName | null;
  maxDepth: number;
  costs: CostSettings | null;
  customMetrics: CustomMetric[];
  start(sources: PerfSourcesOf<D>, choices?: PerfChoices): Promise<void>;
  loadSlice(dimension?: string | null): Promise<void>;
  findSlices(): Promise<void>;
}

/** Settings are recorded once the analysis started; before that the view guesses from roles when opened. */
export function performanceArea<D extends DatasetLike>(): SettingsArea<PerformanceSettings, PerformanceHolder<D>, D> {
  return {
    key: 'performance',
    version: 1,
    schema: performanceSettingsSchema,
    upgrades: {},
    inLink: true,
    capture: (h, refs) => {
      const data = refOf(refs, h.sources?.data.table);
      return {
        sources: data ? { data, labels: refOf(refs, h.sources?.labels?.table), reference: refOf(refs, h.sources?.reference?.table) } : null,
        task: h.task,
        positive: h.positive,
        threshold: h.threshold,
        slice: h.sliceDimension,
        rowError: h.rowError,
        maxDepth: h.maxDepth,
        costs: h.costs,
        customMetrics: h.customMetrics,
      };
    },
    apply: (h, s, refs: DatasetRefs<D>) => {
      const data = resolve(refs, s.sources?.data);
      h.maxDepth = s.maxDepth;
      // Before start(): its first refresh computes costs and custom metrics with these.
      h.costs = s.costs;
      h.customMetrics = s.customMetrics;
      if (!s.sources || !data) {
        // Nothing to start (the view was never opened, or a settings-only workspace without rows): the
        // choices are kept as they are, so saving the workspace again does not lose them.
        Object.assign(h, { task: s.task, positive: s.positive, threshold: s.threshold, sliceDimension: s.slice, rowError: s.rowError });
        return;
      }
      const labels = resolve(refs, s.sources.labels);
      const reference = resolve(refs, s.sources.reference);
      const choices: PerfChoices = {
        ...(s.task ? { task: s.task } : {}),
        ...(s.positive !== null ? { positive: s.positive } : {}),
        threshold: s.threshold,
      };
      void h.start({ data, ...(labels ? { labels } : {}), ...(reference ? { reference } : {}) }, choices).then(async () => {
        // start() picks the first dimension and the task's default row error; the user's choices replace them.
        if (!h.sessionId) return;
        if (s.slice && s.slice !== h.sliceDimension) await h.loadSlice(s.slice);
        if (s.rowError && s.rowError !== h.rowError) {
          h.rowError = s.rowError;
          await h.findSlices();
        }
      });
    },
    reset: (h) => {
      h.sources = null;
      h.sessionId = null;
      h.task = h.positive = h.sliceDimension = h.rowError = null;
      h.threshold = 0.5;
      h.maxDepth = 2;
      h.costs = null;
      h.customMetrics = [];
    },
  };
}
