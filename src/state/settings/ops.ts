import { z } from 'zod';
import { refOf, resolve, type DatasetLike, type SettingsArea } from './area';

const column = z.string().nullable().optional();

export const opsSettingsSchema = z.object({
  /** The log and the reference period (dataset refs); null until the Operations view was opened. */
  log: z.string().nullable().default(null),
  reference: z.string().nullable().default(null),
  /** The user's choices; left out, each is inferred from the log. */
  latency: column,
  status: column,
  errorValues: z.array(z.string()).nullable().optional(),
  unit: z.enum(['hour', 'day', 'week', 'month']).nullable().optional(),
  by: column,
});
export type OpsSettings = z.infer<typeof opsSettingsSchema>;

/** What the ops state exposes to its settings (OpsState in src/state/ops.svelte.ts). */
export interface OpsHolder<D extends DatasetLike> {
  log: D | null;
  reference: D | null;
  choices: Omit<OpsSettings, 'log' | 'reference'>;
  run(): Promise<void>;
}

/** The Operations view's columns and error values; saved with the workspace, not in links (error values are data). */
export function opsArea<D extends DatasetLike>(): SettingsArea<OpsSettings, OpsHolder<D>, D> {
  return {
    key: 'ops',
    version: 1,
    schema: opsSettingsSchema,
    upgrades: {},
    inLink: false,
    capture: (h, refs) => ({ log: refOf(refs, h.log?.table), reference: refOf(refs, h.reference?.table), ...h.choices }),
    apply: (h, s, refs) => {
      const { log, reference, ...choices } = s;
      h.log = resolve(refs, log);
      h.reference = resolve(refs, reference);
      h.choices = choices;
      if (h.log) void h.run();
    },
    reset: (h) => {
      h.log = h.reference = null;
      h.choices = {};
    },
  };
}
