import { z } from 'zod';
import { suiteSchema, type Suite } from '../../lib/checks/suite';
import { refOf, resolve, type DatasetLike, type DatasetRefs, type SettingsArea } from './area';

export const checksSettingsSchema = z.object({
  /** The datasets the checks compare; null until the overview or the checks board picked them. */
  sources: z.object({ reference: z.string(), current: z.string(), labels: z.string().nullable() }).nullable(),
  /** The suite as the user left it (preset, edited or imported): the same versioned format as suite files. */
  suite: suiteSchema.nullable(),
  /** The suite had been run: reopening runs it again (results are recomputed, never stored). */
  ran: z.boolean().default(false),
});
export type ChecksSettings = z.infer<typeof checksSettingsSchema>;

export interface CheckSourcesOf<D> {
  reference: D;
  current: D;
  labels?: D;
}

/** What the checks state exposes to its settings (ChecksState in src/state/checks.svelte.ts). */
export interface ChecksHolder<D extends DatasetLike> {
  sources: CheckSourcesOf<D> | null;
  suite: Suite | null;
  run: unknown;
  stale: boolean;
  error: string | null;
  runSuite(): Promise<void>;
}

/**
 * Not in setup links: the preset's bounds come from the reference's values (ranges, category lists,
 * missing shares), and a link must never carry values from the data.
 */
export function checksArea<D extends DatasetLike>(): SettingsArea<ChecksSettings, ChecksHolder<D>, D> {
  return {
    key: 'checks',
    version: 1,
    schema: checksSettingsSchema,
    upgrades: {},
    inLink: false,
    capture: (h, refs) => {
      const reference = refOf(refs, h.sources?.reference.table);
      const current = refOf(refs, h.sources?.current.table);
      return {
        sources: reference && current ? { reference, current, labels: refOf(refs, h.sources?.labels?.table) } : null,
        suite: h.suite,
        ran: h.run !== null,
      };
    },
    apply: (h, s, refs: DatasetRefs<D>) => {
      const reference = resolve(refs, s.sources?.reference);
      const current = resolve(refs, s.sources?.current);
      const labels = resolve(refs, s.sources?.labels);
      h.sources = reference && current ? { reference, current, ...(labels ? { labels } : {}) } : null;
      h.suite = s.suite;
      h.run = null;
      h.error = null;
      h.stale = s.suite !== null;
      if (s.ran && h.sources && h.suite) void h.runSuite();
    },
    reset: (h) => {
      h.sources = null;
      h.suite = null;
      h.run = null;
      h.error = null;
      h.stale = false;
    },
  };
}
