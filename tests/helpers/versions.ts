import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A committed fixture of scripts/fixtures/versions.py. */
export function readVersionsFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/versions/${name}`, import.meta.url), 'utf8')) as T;
}

export function versionsPath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/versions/${name}`, import.meta.url));
}
