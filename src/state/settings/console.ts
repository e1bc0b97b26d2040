import { z } from 'zod';
import type { SettingsArea } from './area';

export const consoleSettingsSchema = z.object({
  /** The queries run, newest first. */
  history: z.array(z.string().max(20_000)).max(50).default([]),
  /** What the editor holds. */
  text: z.string().max(20_000).default(''),
});
export type ConsoleSettings = z.infer<typeof consoleSettingsSchema>;

export interface ConsoleHolder {
  history: string[];
  text: string;
}

/** The console's history and draft; saved with the workspace, never in a setup link (queries hold values). */
export const consoleArea: SettingsArea<ConsoleSettings, ConsoleHolder> = {
  key: 'console',
  version: 1,
  schema: consoleSettingsSchema,
  upgrades: {},
  inLink: false,
  capture: (h) => ({ history: [...h.history], text: h.text }),
  apply: (h, s) => {
    h.history = [...s.history];
    h.text = s.text;
  },
  reset: (h) => {
    h.history = [];
    h.text = '';
  },
};
