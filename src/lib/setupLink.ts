import { z } from 'zod';
import { ROLES, type ColumnRole } from './roles';

/**
 * The analysis setup a link can carry, and never the data: which datasets (by file name), the role of
 * each column, the view, and each analysis's settings under its own key. It travels in the URL fragment
 * (`#setup=...`), which browsers do not send to the server. See docs/decisions/0503-setup-links.md.
 */

export const SETUP_PARAM = 'setup';
/** Links past this are refused before decoding: a setup is names and settings, a few KB at most. */
export const MAX_SETUP_CHARS = 64_000;

const name = z.string().min(1).max(512);
const datasetSetup = z.object({
  name,
  roles: z.record(z.string().max(1024), z.enum(ROLES as [ColumnRole, ...ColumnRole[]])).refine((r) => Object.keys(r).length <= 5000, {
    message: 'too many columns',
  }),
});

const setupSchema = z.object({
  v: z.literal(1),
  view: z.string().regex(/^[a-z0-9-]{1,64}$/),
  selected: name.optional(),
  datasets: z.array(datasetSetup).max(100),
  /** Each analysis's settings, checked by the schema that analysis registers (see `decodeSetup`). */
  analyses: z.record(z.string().regex(/^[a-z0-9-]{1,64}$/), z.unknown()).default({}),
});

export type DatasetSetup = z.infer<typeof datasetSetup>;
export type Setup = z.infer<typeof setupSchema>;

/** What an analysis registers to put its settings into links: a key and the schema of its settings. */
export type SectionSchemas = Record<string, z.ZodType>;

export type DecodedSetup = { ok: true; setup: Setup; ignored: string[] } | { ok: false; reason: string };

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The fragment for a setup, e.g. `setup=eyJ2IjoxLC...` (without the `#`). */
export function encodeSetup(setup: Setup): string {
  return `${SETUP_PARAM}=${toBase64Url(new TextEncoder().encode(JSON.stringify(setupSchema.parse(setup))))}`;
}

/** The setup part of a URL fragment, or null when the fragment carries none (a plain link). */
export function setupParam(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SETUP_PARAM);
}

/**
 * Reads and checks a link's setup. Unknown analysis keys (from a newer Lantern, or an analysis this build
 * lacks) are dropped and reported in `ignored`; a known key whose settings fail its schema refuses the
 * whole link, since half a setup would show a different view than the sender's.
 */
export function decodeSetup(param: string, sections: SectionSchemas): DecodedSetup {
  if (param.length > MAX_SETUP_CHARS) return { ok: false, reason: 'it is too long to be a Lantern setup' };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(param)));
  } catch {
    return { ok: false, reason: 'it is not a Lantern setup (it may have been cut short when copied)' };
  }
  const parsed = setupSchema.safeParse(json);
  if (!parsed.success) {
    const versionIssue = parsed.error.issues.find((i) => i.path[0] === 'v');
    if (versionIssue) return { ok: false, reason: 'it was made by a different version of Lantern' };
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `its ${issue?.path.join('.') || 'content'} is invalid (${issue?.message ?? 'unknown problem'})` };
  }
  const setup = parsed.data;
  const analyses: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(setup.analyses)) {
    const schema = sections[key];
    if (!schema) {
      ignored.push(key);
      continue;
    }
    const checked = schema.safeParse(value);
    if (!checked.success)
      return { ok: false, reason: `its ${key} settings are invalid (${checked.error.issues[0]?.message ?? 'unknown'})` };
    analyses[key] = checked.data;
  }
  return { ok: true, setup: { ...setup, analyses }, ignored };
}

/** Roles of a link that apply to a loaded dataset: only columns that exist in it. */
export function applicableRoles(linked: DatasetSetup, columns: string[]): { roles: Record<string, ColumnRole>; missing: string[] } {
  const present = new Set(columns);
  const roles: Record<string, ColumnRole> = {};
  const missing: string[] = [];
  for (const [column, role] of Object.entries(linked.roles)) {
    if (present.has(column)) roles[column] = role;
    else missing.push(column);
  }
  return { roles, missing };
}
