/**
 * Where the app is, in the address's fragment: `#view=drift&dataset=production.csv&column=amount`, or a
 * finding of the Overview to reopen, `#view=overview&finding=<id>` (ids are stable for the same files). A
 * fragment works on any static host at any sub-path (no server rewrites) and is never sent to the server.
 * Other parameters in the fragment (a setup link's `setup=`) are kept as they are.
 */
export interface Route {
  view: string | null;
  dataset: string | null;
  column: string | null;
  finding?: string | null;
}

const KEYS = ['view', 'dataset', 'column', 'finding'] as const;

export function readRoute(hash: string): Route {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { view: params.get('view'), dataset: params.get('dataset'), column: params.get('column'), finding: params.get('finding') };
}

/** The fragment (with its `#`, or '' when empty) for `route`, keeping the parameters a route does not own. */
export function writeRoute(hash: string, route: Route): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const key of KEYS) {
    const value = route[key] ?? null;
    if (value === null || value === '') params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}

export function sameRoute(a: Route, b: Route): boolean {
  return KEYS.every((key) => (a[key] ?? null) === (b[key] ?? null));
}
