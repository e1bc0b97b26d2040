import { z } from 'zod';
import { VALIDATION_DEFAULTS } from '../../lib/validation/defaults';
import { refOf, resolve, type DatasetLike, type DatasetRefs, type SettingsArea } from './area';
import type { PerfSourcesOf } from './performance';

export const validationSettingsSchema = z.object({
  /** The files the user picked (null: the guess from the workspace's setup). */
  sources: z.object({ data: z.string(), labels: z.string().nullable(), reference: z.string().nullable() }).nullable(),
  sensitive: z.array(z.string()).default([]),
  minGroupSize: z.number().int().min(1).default(VALIDATION_DEFAULTS.minGroupSize),
  threshold: z.number().finite().nullable().default(null),
  /** Validation had been run: reopening runs it again (results are recomputed, never stored). */
  ran: z.boolean().default(false),
});
export type ValidationSettings = z.infer<typeof validationSettingsSchema>;

/** What the validation state exposes to its settings (ValidationState in src/state/validation.svelte.ts). */
export interface ValidationHolder<D extends DatasetLike> {
  chosen: PerfSourcesOf<D> | null;
  sensitive: string[];
  minGroupSize: number;
  threshold: number | null;
  report: unknown;
  error: string | null;
  run(): Promise<void>;
  update(threshold?: number | null, minGroupSize?: number): Promise<void>;
}

/**
 * In setup links too: file names, column names and numbers the user chose, no values from the data. A
 * link names the sensitive columns, so a colleague's tab compares the same groups.
 */
export function validationArea<D extends DatasetLike>(): SettingsArea<ValidationSettings, ValidationHolder<D>, D> {
  return {
    key: 'validation',
    version: 1,
    schema: validationSettingsSchema,
    upgrades: {},
    inLink: true,
    capture: (h, refs) => {
      const data = refOf(refs, h.chosen?.data.table);
      return {
        sources: data ? { data, labels: refOf(refs, h.chosen?.labels?.table), reference: refOf(refs, h.chosen?.reference?.table) } : null,
        sensitive: [...h.sensitive],
        minGroupSize: h.minGroupSize,
        threshold: h.threshold,
        ran: h.report !== null,
      };
    },
    apply: (h, s, refs: DatasetRefs<D>) => {
      const data = resolve(refs, s.sources?.data);
      const labels = resolve(refs, s.sources?.labels);
      const reference = resolve(refs, s.sources?.reference);
      h.chosen = data ? { data, ...(labels ? { labels } : {}), ...(reference ? { reference } : {}) } : null;
      h.sensitive = [...s.sensitive];
      h.minGroupSize = s.minGroupSize;
      h.report = null;
      h.error = null;
      if (s.ran)
        void h.run().then(() => {
          if (s.threshold !== null && h.report !== null) return h.update(s.threshold, s.minGroupSize);
        });
    },
    reset: (h) => {
      h.chosen = null;
      h.sensitive = [];
      h.minGroupSize = VALIDATION_DEFAULTS.minGroupSize;
      h.threshold = null;
      h.report = null;
      h.error = null;
    },
  };
}
