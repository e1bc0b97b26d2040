/**
 * What a workspace saves besides dataset bytes: named, versioned state sections. Each analysis has one
 * section for its settings; the workspace root registers them all with the persistence session's
 * registry (src/state/sections.ts), which saves them together and restores them in registration order.
 */
export interface StateSection<T = unknown> {
  /** Stable, unique name in saved files, e.g. 'workspace', 'drift'. Never rename it. */
  key: string;
  /** Shape version of `save()`'s result; bump it when the shape changes and teach `migrate` the old one. */
  version: number;
  /**
   * Plain JSON-able settings. Called inside a Svelte effect: every reactive value it reads is tracked,
   * so changing any of them schedules an autosave. Keep it cheap and free of side effects.
   */
  save(): T;
  /**
   * Applies saved settings. The 'workspace' section restores first and brings the datasets back, so
   * table names in other sections are valid when they are restored.
   */
  restore(data: T, context: RestoreContext): void | Promise<void>;
  /** Upgrades data saved with an older `version`; without it older data is ignored (defaults kept). */
  migrate?(data: unknown, fromVersion: number): T;
  /** Restore before all other sections (only the 'workspace' section, which brings the datasets back). */
  restoreFirst?: boolean;
  /** Puts the section back to its defaults (a fresh workspace, or saved data that cannot be used). */
  reset?(): void;
}

export interface RestoreContext {
  /** The saved Parquet bytes of a dataset table, or null when saved without rows (a settings-only import). */
  tableData(table: string): Promise<Uint8Array | null>;
  /** Reports a problem to the user without stopping the restore. */
  warn(message: string): void;
}

export type SavedSections = Record<string, { version: number; data: unknown }>;

export class SectionRegistry {
  private readonly list: StateSection<unknown>[] = [];

  register<T>(section: StateSection<T>): void {
    if (this.list.some((s) => s.key === section.key)) throw new Error(`State section "${section.key}" is registered twice`);
    if (section.restoreFirst) this.list.unshift(section as StateSection<unknown>);
    else this.list.push(section as StateSection<unknown>);
  }

  get sections(): readonly StateSection<unknown>[] {
    return this.list;
  }

  /**
   * Every section's settings. Sections saved earlier that no registered section claims (a view from a
   * newer build, or one not loaded) are carried over unchanged, so saving never drops them.
   */
  saveAll(carried: SavedSections = {}): SavedSections {
    const out: SavedSections = { ...carried };
    for (const section of this.list) out[section.key] = { version: section.version, data: section.save() };
    return out;
  }

  /** Restores each registered section from `saved`, migrating older versions and skipping newer ones with a warning. */
  async restoreAll(saved: SavedSections, context: RestoreContext): Promise<void> {
    for (const section of this.list) {
      const entry = saved[section.key];
      try {
        if (!entry) {
          section.reset?.();
          continue;
        }
        let data = entry.data;
        if (entry.version > section.version) {
          context.warn(`Settings of "${section.key}" were saved by a newer Lantern (version ${entry.version}); defaults are used instead.`);
          section.reset?.();
          continue;
        }
        if (entry.version < section.version) {
          if (!section.migrate) {
            context.warn(`Settings of "${section.key}" were saved in an older format; defaults are used instead.`);
            section.reset?.();
            continue;
          }
          data = section.migrate(data, entry.version);
        }
        await section.restore(data, context);
      } catch (error) {
        section.reset?.();
        context.warn(`Settings of "${section.key}" could not be restored (${(error as Error).message}); defaults are used instead.`);
      }
    }
  }
}
