/**
 * Analyses land on main one by one. Scenarios for an analysis import it at run time from the checkout
 * they run in, typed by the small local interfaces each scenario declares (written against the API on
 * the analysis branch), so that the harness type-checks and runs before the analysis is merged and the
 * scenario reports "not yet measured" instead of failing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function coreMissing(root: string, modules: readonly string[]): string | null {
  const missing = modules.filter((m) => !existsSync(join(root, m)));
  return missing.length ? `${missing.join(', ')} not in this checkout yet` : null;
}

export async function importCore<T>(root: string, module: string): Promise<T> {
  return (await import(pathToFileURL(join(root, module)).href)) as T;
}
