import { z } from 'zod';
import { DRIFT_METHODS } from '../../lib/drift/methods';
import type { ColumnSetting } from '../../lib/drift/report';
import { refOf, resolve, type DatasetRefs, type SettingsArea } from './area';

export const WINDOW_CHOICES = ['hour', 'day', 'week', 'month', 'chunks'] as const;
export type WindowChoice = (typeof WINDOW_CHOICES)[number];

const columnSetting = z.object({
  method: z.enum(DRIFT_METHODS as [string, ...string[]]).optional(),
  threshold: z.number().finite().optional(),
});

export const driftSettingsSchema = z.object({
  reference: z.string().nullable(),
  current: z.string().nullable(),
  /** The user's method / threshold per column (columns left out use the defaults). */
  perColumn: z.record(z.string(), columnSetting).default({}),
  driftShare: z.number().min(0).max(1).default(0.5),
  /** Split time (epoch ms) when a dataset is compared with itself. */
  splitMs: z.number().finite().nullable().default(null),
  windows: z.object({ unit: z.enum(WINDOW_CHOICES), chunks: z.number().int().min(2).max(1000) }).default({ unit: 'week', chunks: 6 }),
  /** The column being looked at (a selection; opened again after the comparison reruns). */
  column: z.string().nullable().default(null),
  /** The comparison had been run: reopening runs it again (results are recomputed, never stored). */
  compared: z.boolean().default(false),
  /** The user picked the pair: the workspace's setup no longer moves it. */
  picked: z.boolean().default(false),
  /** Numbered-column groups (`emb_*`) the user tests column by column rather than as one embedding. */
  ungrouped: z.array(z.string()).default([]),
});
export type DriftSettings = z.infer<typeof driftSettingsSchema>;

/** What the drift state exposes to its settings (src/state/drift.svelte.ts's DriftState has all of it). */
export interface DriftHolder {
  referenceTable: string | null;
  currentTable: string | null;
  settings: Record<string, ColumnSetting>;
  driftShare: number;
  splitMs: number | null;
  windowChoice: WindowChoice;
  chunks: number;
  selectedColumn: string | null;
  userPicked: boolean;
  ungrouped: string[];
  report: unknown;
  quality: unknown;
  overTime: unknown;
  breakdown: unknown;
  focus: unknown;
  place: unknown;
  error: string | null;
  cancel(): void;
  run(): Promise<void>;
  selectColumn(name: string | null): Promise<void>;
}

function clearResults(h: DriftHolder): void {
  h.cancel();
  h.report = h.quality = h.overTime = h.breakdown = h.focus = h.place = null;
  h.selectedColumn = null;
  h.error = null;
}

export const driftArea: SettingsArea<DriftSettings, DriftHolder> = {
  key: 'drift',
  version: 1,
  schema: driftSettingsSchema,
  upgrades: {},
  inLink: true,
  capture: (h, refs) => ({
    reference: refOf(refs, h.referenceTable),
    current: refOf(refs, h.currentTable),
    perColumn: Object.fromEntries(Object.entries(h.settings).map(([c, s]) => [c, { ...s }])),
    driftShare: h.driftShare,
    splitMs: h.splitMs,
    windows: { unit: h.windowChoice, chunks: h.chunks },
    column: h.selectedColumn,
    compared: h.report !== null,
    picked: h.userPicked,
    ungrouped: [...h.ungrouped],
  }),
  apply: (h, s, refs: DatasetRefs) => {
    clearResults(h);
    h.referenceTable = resolve(refs, s.reference)?.table ?? null;
    h.currentTable = resolve(refs, s.current)?.table ?? null;
    h.settings = { ...(s.perColumn as Record<string, ColumnSetting>) };
    h.driftShare = s.driftShare;
    h.splitMs = s.splitMs;
    h.windowChoice = s.windows.unit;
    h.chunks = s.windows.chunks;
    h.userPicked = s.picked;
    h.ungrouped = [...s.ungrouped];
    if (s.compared && h.referenceTable && h.currentTable)
      void h.run().then(() => (s.column && h.report ? h.selectColumn(s.column) : undefined));
  },
  reset: (h) => {
    clearResults(h);
    h.referenceTable = h.currentTable = null;
    h.settings = {};
    h.driftShare = 0.5;
    h.splitMs = null;
    h.windowChoice = 'week';
    h.chunks = 6;
    h.userPicked = false;
    h.ungrouped = [];
  },
};
