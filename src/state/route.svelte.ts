import type { Finding, FindingLink } from '../lib/findings/types';
import { readRoute, sameRoute, writeRoute, type Route } from '../lib/route';
import type { Dataset } from './dataset.svelte';

/** What the address reads and sets in the workspace (the workspace root passes itself). */
export interface RouteHost {
  view: string;
  readonly datasets: Dataset[];
  readonly selected: Dataset | null;
  select(table: string): void;
  readonly drift: { readonly selectedColumn: string | null; focusOn(column: string, place: null): Promise<void> };
  open(link: FindingLink): Promise<void>;
}

/**
 * The view, the dataset and the drift column in the address bar. Moving to another view adds a history
 * entry (Back returns to the previous view); a different dataset or column replaces the current one. A
 * reload, a bookmark or Back/Forward shows the view the address names.
 */
export class ViewRoute {
  /** Views this build has (the view registry's ids); an address naming another is ignored. */
  private views: string[] = [];
  /** The column the address asked for, opened once its dataset is loaded and the view is the Drift view. */
  private wantedColumn: string | null = null;
  /** A finding the address asked for, opened once the investigation has found it; kept in the address until then. */
  wantedFinding: string | null = $state(null);

  constructor(private readonly workspace: RouteHost) {}

  /** What the workspace shows now, as a route. */
  current(): Route {
    const w = this.workspace;
    return {
      view: w.view,
      dataset: w.selected?.name ?? null,
      column: w.view === 'drift' ? w.drift.selectedColumn : null,
      finding: this.wantedFinding,
    };
  }

  /** Reads the address: called when the app starts, once a saved workspace is restored, and on Back/Forward. */
  start(views: string[]): void {
    this.views = views;
    this.applyLocation();
  }

  applyLocation(): void {
    const route = readRoute(location.hash);
    const w = this.workspace;
    if (route.view && this.views.includes(route.view)) w.view = route.view;
    if (route.dataset) {
      const dataset = w.datasets.find((d) => d.name === route.dataset);
      if (dataset && dataset !== w.selected) w.select(dataset.table);
    }
    this.wantedColumn = route.view === 'drift' ? route.column : null;
    this.wantedFinding = route.finding ?? null;
    this.openWantedColumn();
  }

  /** The address of a finding: the Overview, which opens it where it shows once the same files are loaded. */
  findingLink(id: string): string {
    return `${location.href.split('#')[0]}${writeRoute('', { view: 'overview', dataset: null, column: null, finding: id })}`;
  }

  /** Opens the finding the address names when the investigation lists it (called as findings arrive). */
  openWantedFinding(findings: readonly Finding[]): void {
    const wanted = this.wantedFinding;
    if (!wanted) return;
    const finding = findings.find((f) => f.id === wanted);
    if (!finding) return;
    this.wantedFinding = null;
    void this.workspace.open(finding.link);
  }

  /** Opens the drift column the address names once the data is there (after a reload the restore comes later). */
  openWantedColumn(): void {
    const column = this.wantedColumn;
    const w = this.workspace;
    if (!column || w.view !== 'drift' || w.datasets.length === 0) return;
    this.wantedColumn = null;
    if (w.drift.selectedColumn !== column) void w.drift.focusOn(column, null);
  }

  /** Writes what the workspace shows into the address (from an effect in the app shell). */
  sync(route: Route): void {
    const shown = readRoute(location.hash);
    if (sameRoute(shown, route)) return;
    const url = `${location.pathname}${location.search}${writeRoute(location.hash, route)}`;
    // A new view is a step Back can undo; the first route written, or a detail of the same view, is not.
    if (shown.view !== null && shown.view !== route.view) history.pushState(history.state, '', url);
    else history.replaceState(history.state, '', url);
  }
}
