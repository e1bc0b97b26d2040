import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding, FindingLink } from '../../src/lib/findings/types';
import { ViewRoute, type RouteHost } from '../../src/state/route.svelte';

/** The address bar and session history as the browser keeps them: one entry per pushState. */
function fakeBrowser(hash: string) {
  const entries = [hash];
  let at = 0;
  const location = {
    pathname: '/tools/lantern/',
    search: '',
    get hash() {
      return entries[at]!;
    },
    get href() {
      return `https://example.org/tools/lantern/${entries[at]!}`;
    },
  };
  const fragment = (url: string) => (url.includes('#') ? url.slice(url.indexOf('#')) : '');
  const history = {
    state: null,
    pushState: (_s: unknown, _t: string, url: string) => {
      entries.splice(at + 1, entries.length, fragment(url));
      at++;
    },
    replaceState: (_s: unknown, _t: string, url: string) => {
      entries[at] = fragment(url);
    },
    back: () => (at = Math.max(0, at - 1)),
  };
  return { location, history, entries: () => entries.slice(0, at + 1) };
}

function fakeHost() {
  const datasets = [
    { name: 'training.csv', table: 't1' },
    { name: 'production.csv', table: 't2' },
  ] as unknown as RouteHost['datasets'];
  const host = {
    view: 'overview',
    selectedTable: 't1' as string | null,
    datasets,
    get selected() {
      return datasets.find((d) => d.table === host.selectedTable) ?? null;
    },
    select(table: string) {
      host.selectedTable = table;
    },
    opened: [] as FindingLink[],
    focused: [] as string[],
    drift: {
      selectedColumn: null as string | null,
      focusOn: async (column: string) => {
        host.focused.push(column);
        host.drift.selectedColumn = column;
      },
    },
    open: async (link: FindingLink) => {
      host.opened.push(link);
      host.view = link.view;
    },
  };
  return host;
}

const VIEWS = ['overview', 'data', 'drift', 'performance'];
let browser: ReturnType<typeof fakeBrowser>;
function install(hash: string) {
  browser = fakeBrowser(hash);
  vi.stubGlobal('location', browser.location);
  vi.stubGlobal('history', browser.history);
}
beforeEach(() => install(''));
afterEach(() => vi.unstubAllGlobals());

describe('ViewRoute', () => {
  it('opens the view, dataset and drift column a bookmarked address names, and ignores a view this build lacks', () => {
    install('#view=drift&dataset=production.csv&column=amount');
    const host = fakeHost();
    new ViewRoute(host).start(VIEWS);
    expect(host.view).toBe('drift');
    expect(host.selected?.name).toBe('production.csv');
    expect(host.focused).toEqual(['amount']);

    install('#view=nonsense&dataset=missing.csv');
    const other = fakeHost();
    new ViewRoute(other).start(VIEWS);
    expect(other.view).toBe('overview');
    expect(other.selected?.name).toBe('training.csv');
  });

  it('adds a history entry per view and replaces it for a dataset or column, keeping a setup link', () => {
    install('#setup=abc');
    const host = fakeHost();
    const route = new ViewRoute(host);
    route.start(VIEWS);
    route.sync(route.current());
    expect(browser.entries()).toEqual(['#setup=abc&view=overview&dataset=training.csv']);
    host.view = 'drift';
    route.sync(route.current());
    host.drift.selectedColumn = 'amount';
    route.sync(route.current());
    host.select('t2');
    route.sync(route.current());
    expect(browser.entries()).toEqual([
      '#setup=abc&view=overview&dataset=training.csv',
      '#setup=abc&view=drift&dataset=production.csv&column=amount',
    ]);
    // Back: the previous entry's view is applied; writing it again changes nothing.
    browser.history.back();
    route.applyLocation();
    expect(host.view).toBe('overview');
    expect(host.selected?.name).toBe('training.csv');
    route.sync(route.current());
    expect(browser.entries()).toEqual(['#setup=abc&view=overview&dataset=training.csv']);
  });

  it('keeps a finding in the address until the investigation lists it, then opens it where it shows', () => {
    install('#view=overview&finding=drift%3Aamount%3Aregion%3Dnorth');
    const host = fakeHost();
    const route = new ViewRoute(host);
    route.start(VIEWS);
    route.sync(route.current());
    expect(browser.location.hash).toContain('finding=drift%3Aamount%3Aregion%3Dnorth');
    const link: FindingLink = { view: 'drift', column: 'amount', segment: [], window: null };
    const finding = (id: string) => ({ id, link }) as unknown as Finding;
    route.openWantedFinding([finding('something-else')]);
    expect(host.opened).toEqual([]);
    route.openWantedFinding([finding('something-else'), finding('drift:amount:region=north')]);
    expect(host.opened).toEqual([link]);
    route.sync(route.current());
    expect(browser.location.hash).not.toContain('finding=');
    expect(route.findingLink('a b')).toBe('https://example.org/tools/lantern/#view=overview&finding=a+b');
  });
});
