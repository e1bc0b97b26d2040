import { readFileSync } from 'node:fs';

/**
 * The version of the installed package, read from its package.json: the nearest one above this file,
 * both for the source (src/cli/) and for the built CLI (cli-dist/).
 */
export function lanternVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lantern' && pkg.version) return pkg.version;
    } catch {
      // Not here: look one folder up.
    }
    dir = new URL('..', dir);
  }
  return 'unknown';
}
