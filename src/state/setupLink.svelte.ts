import type { z } from 'zod';
import { applicableRoles, decodeSetup, encodeSetup, setupParam, type SectionSchemas, type Setup } from '../lib/setupLink';
import type { Dataset } from './dataset.svelte';
import type { Notify } from './notices';

/**
 * An analysis's part of a setup link. The workspace registers one per analysis whose settings may travel
 * in a link (src/state/sections.ts): `capture` returns its settings for a link (or undefined when it has
 * none to share), `apply` takes the settings a link carried, already checked by `schema`.
 */
export interface SetupSection<T> {
  key: string;
  schema: z.ZodType<T>;
  capture(): T | undefined;
  apply(settings: T): void;
}

/** What a setup link reads and sets in the workspace (the workspace root passes itself). */
export interface SetupLinkHost {
  readonly datasets: Dataset[];
  readonly selected: Dataset | null;
  view: string;
  select(table: string): void;
  notify: Notify;
}

/** Setup links: making one from the workspace, and applying one as the same files are dropped. */
export class SetupLink {
  /** A link's setup waiting for its datasets; null when there is none. */
  pending: Setup | null = $state.raw(null);
  /** Names of the link's datasets already matched by a dropped file. */
  matched: string[] = $state([]);
  private sections: Record<string, SetupSection<unknown>> = {};
  /** Views this build has (the view registry's ids), given by the component that starts links. */
  private views: string[] = [];

  constructor(private readonly workspace: SetupLinkHost) {}

  register<T>(section: SetupSection<T>): void {
    this.sections[section.key] = section as SetupSection<unknown>;
  }

  /** The current setup: every dataset's roles, the view, the selected dataset and each analysis's settings. */
  capture(): Setup {
    const analyses: Record<string, unknown> = {};
    for (const [key, section] of Object.entries(this.sections)) {
      const settings = section.capture();
      if (settings !== undefined) analyses[key] = settings;
    }
    return {
      v: 1,
      view: this.workspace.view,
      ...(this.workspace.selected ? { selected: this.workspace.selected.name } : {}),
      datasets: this.workspace.datasets.map((d) => ({ name: d.name, roles: { ...d.roles } })),
      analyses,
    };
  }

  /** A link to this app (same address, any sub-path) whose fragment carries the current setup. */
  link(): string {
    return `${location.href.split('#')[0]}#${encodeSetup(this.capture())}`;
  }

  /** Reads the link the page was opened with; `views` are the ids a link may switch to. */
  start(views: string[]): void {
    this.views = views;
    this.readFromLocation();
  }

  /** Reads a setup from the address bar; a bad one is announced and removed, and nothing else changes. */
  readFromLocation(): void {
    const param = setupParam(location.hash);
    if (param === null) return;
    const schemas: SectionSchemas = Object.fromEntries(Object.entries(this.sections).map(([key, s]) => [key, s.schema]));
    const decoded = decodeSetup(param, schemas);
    if (!decoded.ok) {
      this.clearLocation();
      this.workspace.notify('error', `This link's analysis setup was ignored: ${decoded.reason}.`);
      return;
    }
    this.pending = decoded.setup;
    this.matched = [];
    const names = decoded.setup.datasets.map((d) => `"${d.name}"`).join(', ');
    this.workspace.notify(
      'info',
      names
        ? `This link carries an analysis setup (no data). Drop ${names} to see the same view.`
        : 'This link carries an analysis setup without datasets.',
    );
    if (decoded.ignored.length > 0)
      this.workspace.notify(
        'info',
        `This version of Lantern has no ${decoded.ignored.join(', ')}: those settings of the link were skipped.`,
      );
    this.applyToLoaded(this.workspace.datasets);
  }

  /** Applies the pending setup's roles to newly loaded datasets of the same name; finishes when all are there. */
  applyToLoaded(datasets: Dataset[]): void {
    const setup = this.pending;
    if (!setup) return;
    for (const linked of setup.datasets) {
      if (this.matched.includes(linked.name)) continue;
      const dataset = datasets.find((d) => d.name === linked.name);
      if (!dataset) continue;
      const { roles, missing } = applicableRoles(
        linked,
        dataset.columns.map((c) => c.name),
      );
      for (const [column, role] of Object.entries(roles)) dataset.setRole(column, role);
      if (missing.length > 0)
        this.workspace.notify(
          'info',
          `"${dataset.name}" lacks ${missing.length} column(s) the link names (${missing.slice(0, 5).join(', ')}): it may be a different file.`,
        );
      this.matched.push(linked.name);
    }
    if (this.matched.length === setup.datasets.length) this.finish(setup);
  }

  private finish(setup: Setup): void {
    if (this.views.includes(setup.view)) this.workspace.view = setup.view;
    const selected = this.workspace.datasets.find((d) => d.name === setup.selected);
    if (selected) this.workspace.select(selected.table);
    for (const [key, settings] of Object.entries(setup.analyses)) this.sections[key]?.apply(settings);
    this.pending = null;
    this.clearLocation();
    if (setup.datasets.length > 0) this.workspace.notify('info', "The link's setup is applied.");
  }

  dismiss(): void {
    this.pending = null;
    this.clearLocation();
  }

  private clearLocation(): void {
    history.replaceState(history.state, '', location.pathname + location.search);
  }
}
