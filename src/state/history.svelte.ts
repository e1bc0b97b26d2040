import type { Engine, HistoryReport, HistorySettings, Profile } from '../client/engine';
import { looksLikeProfile } from '../lib/profiles/codec';
import { DEFAULT_HISTORY_SETTINGS } from '../lib/profiles/history';
import { errorCode } from '../rpc/errors';
import type { Dataset } from './dataset.svelte';
import type { Notify } from './notices';
import { fromBase64, toBase64 } from './settings/model';
import { z } from 'zod';

/** One profile the workspace keeps: a batch, or the reference. */
export interface HistoryEntry {
  id: string;
  name: string;
  profile: Profile;
  /** The profile file's bytes (gzip JSON) as base64: what the workspace saves. */
  base64: string;
}

export const savedHistorySchema = z.object({
  entries: z.array(z.object({ name: z.string(), base64: z.string() })),
  /** Index of the reference in `entries`, or null for the first. */
  reference: z.number().int().nullable(),
  settings: z.object({ driftShare: z.number(), metricDrop: z.number(), missingRise: z.number(), volumeShare: z.number() }),
});
export type SavedHistory = z.infer<typeof savedHistorySchema>;

/** True when a file's first bytes belong to a Lantern profile (told by content, never by name). */
export async function isProfileFile(file: Blob): Promise<boolean> {
  return looksLikeProfile(new Uint8Array(await file.slice(0, 4096).arrayBuffer()));
}

/**
 * The series of profiles the workspace keeps between sessions: dropped profile files and profiles made
 * from loaded datasets, one of them the reference. The report (every batch against the reference) is
 * computed by the engine and recomputed whenever the batches, the reference or the limits change.
 */
export class HistoryState {
  entries: HistoryEntry[] = $state.raw([]);
  referenceId: string | null = $state(null);
  settings: HistorySettings = $state({ ...DEFAULT_HISTORY_SETTINGS });
  report: HistoryReport | null = $state.raw(null);
  running = $state(false);
  error: string | null = $state(null);
  private nextId = 1;
  private request = 0;

  constructor(
    private readonly engine: Engine,
    private readonly notify: Notify,
  ) {}

  /** The reference: the one the user picked, else the first profile kept. */
  get reference(): HistoryEntry | null {
    return this.entries.find((e) => e.id === this.referenceId) ?? this.entries[0] ?? null;
  }

  get batches(): HistoryEntry[] {
    const ref = this.reference;
    return this.entries.filter((e) => e !== ref);
  }

  async addProfileFile(file: Blob, name: string): Promise<boolean> {
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const profile = await this.engine.with({ priority: 'user' }).readProfile(bytes);
      this.add(name, profile, toBase64(bytes));
      return true;
    } catch (error) {
      this.notify('error', `"${name}" could not be opened: ${(error as Error).message}`);
      return false;
    }
  }

  /** A loaded dataset as a batch (or the reference, when it is the first): its profile, made by the engine. */
  async addDataset(dataset: Dataset): Promise<void> {
    this.running = true;
    try {
      const label = Object.entries(dataset.roles).find(([, r]) => r === 'label')?.[0];
      const score = Object.entries(dataset.roles).find(([, r]) => r === 'score')?.[0];
      const kindOf = (name: string) => dataset.columns.find((c) => c.name === name)?.kind;
      const performance = label && score && kindOf(label) !== 'string' && kindOf(score) === 'numeric' ? { label, score } : null;
      const engine = this.engine.with({ priority: 'user' });
      const profile = await engine.profileDataset(dataset.table, { roles: { ...dataset.roles }, performance, sources: [dataset.name] });
      this.add(dataset.name, profile, toBase64(await engine.encodeProfile(profile)));
    } catch (error) {
      if (errorCode(error) !== 'cancelled') this.notify('error', `"${dataset.name}" could not be profiled: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  private add(name: string, profile: Profile, base64: string): void {
    this.entries = [...this.entries, { id: `p${this.nextId++}`, name, profile, base64 }];
    void this.refresh();
  }

  /** A kept profile as the file `lantern profile` writes, and a name for it, for downloading. */
  fileOf(entry: HistoryEntry): { name: string; blob: Blob } {
    const name = /\.lprofile$/i.test(entry.name) ? entry.name : `${entry.name.replace(/\.[^.]*$/, '')}.lprofile`;
    return { name, blob: new Blob([fromBase64(entry.base64) as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }) };
  }

  remove(id: string): void {
    this.entries = this.entries.filter((e) => e.id !== id);
    if (this.referenceId === id) this.referenceId = null;
    void this.refresh();
  }

  setReference(id: string): void {
    this.referenceId = id;
    void this.refresh();
  }

  setSetting(key: keyof HistorySettings, value: number): void {
    if (!Number.isFinite(value) || value < 0 || value > 1) return;
    this.settings = { ...this.settings, [key]: value };
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const ref = this.reference;
    const request = ++this.request;
    if (!ref || this.batches.length === 0) {
      this.report = null;
      this.error = null;
      return;
    }
    this.running = true;
    try {
      const report = await this.engine.with({ priority: 'user' }).historyReport(
        { name: ref.name, profile: ref.profile },
        this.batches.map((b) => ({ name: b.name, profile: b.profile })),
        { ...this.settings },
      );
      if (request !== this.request) return;
      this.report = report;
      this.error = null;
    } catch (error) {
      if (request !== this.request) return;
      this.report = null;
      this.error = (error as Error).message;
    } finally {
      if (request === this.request) this.running = false;
    }
  }

  save(): SavedHistory {
    const index = this.entries.findIndex((e) => e.id === this.referenceId);
    return {
      entries: this.entries.map((e) => ({ name: e.name, base64: e.base64 })),
      reference: index >= 0 ? index : null,
      settings: { ...this.settings },
    };
  }

  async restore(saved: SavedHistory, warn: (message: string) => void): Promise<void> {
    const entries: HistoryEntry[] = [];
    let referenceId: string | null = null;
    for (const [i, e] of saved.entries.entries()) {
      try {
        const profile = await this.engine.with({ priority: 'user' }).readProfile(fromBase64(e.base64));
        const entry = { id: `p${this.nextId++}`, name: e.name, profile, base64: e.base64 };
        entries.push(entry);
        if (saved.reference === i) referenceId = entry.id;
      } catch (error) {
        warn(`The saved profile "${e.name}" could not be read (${(error as Error).message}); it was left out.`);
      }
    }
    this.entries = entries;
    this.referenceId = referenceId;
    this.settings = { ...saved.settings };
    await this.refresh();
  }

  reset(): void {
    this.entries = [];
    this.referenceId = null;
    this.settings = { ...DEFAULT_HISTORY_SETTINGS };
    this.report = null;
    this.error = null;
  }
}
