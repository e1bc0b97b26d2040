import { z } from 'zod';
import { versionsLayoutSchema } from '../../lib/checks/suite';
import type { VersionsLayout } from '../../lib/versions/types';
import { refOf, resolve, type DatasetLike, type DatasetRefs, type SettingsArea } from './area';

export const versionsSettingsSchema = z.object({
  /** The log holding the versions and its labels file; null until versions were found or chosen. */
  data: z.string().nullable().default(null),
  labels: z.string().nullable().default(null),
  layout: versionsLayoutSchema.nullable().default(null),
  label: z.string().nullable().default(null),
  threshold: z.number().finite().nullable().default(null),
  /** Whether a comparison had run: applying the settings runs it again. */
  ran: z.boolean().default(false),
});
export type VersionsSettings = z.infer<typeof versionsSettingsSchema>;

/** What the versions state exposes to its settings (VersionsState in src/state/versions.svelte.ts). */
export interface VersionsHolder<D extends DatasetLike> {
  data: D | null;
  labels: D | null;
  layout: VersionsLayout | null;
  label: string | null;
  threshold: number | null;
  result: unknown;
  searched: boolean;
  /** Versions that are two model files: their outputs are no columns of the log, so no layout is kept. */
  fromModels?: boolean;
  run(): Promise<void>;
  reset(): void;
}

export function versionsArea<D extends DatasetLike>(): SettingsArea<VersionsSettings, VersionsHolder<D>, D> {
  return {
    key: 'versions',
    version: 1,
    schema: versionsSettingsSchema,
    upgrades: {},
    // Column names, a version's name and a threshold: the setup, no values a link must not carry.
    inLink: true,
    capture: (h, refs) => ({
      data: refOf(refs, h.data?.table),
      labels: refOf(refs, h.labels?.table),
      layout: h.fromModels ? null : h.layout,
      label: h.label,
      threshold: h.threshold,
      ran: h.result !== null && !h.fromModels,
    }),
    apply: (h, s, refs: DatasetRefs<D>) => {
      h.reset();
      h.data = resolve(refs, s.data);
      h.labels = resolve(refs, s.labels);
      h.layout = s.layout;
      h.label = s.label;
      h.threshold = s.threshold;
      if (h.data && h.layout) {
        h.searched = true;
        if (s.ran) void h.run();
      }
    },
    reset: (h) => h.reset(),
  };
}
