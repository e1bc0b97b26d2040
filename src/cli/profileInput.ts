import { open, readFile, writeFile } from 'node:fs/promises';
import { nodeParquet } from '../engine/node';
import type { EngineDb } from '../engine/duckdbDb';
import type { Db } from '../lib/db';
import type { SuiteSettings } from '../lib/checks/suite';
import { LanternError } from '../lib/errors';
import { loadDataset } from '../lib/ingest';
import { decodeProfile, encodeProfile, looksLikeProfile } from '../lib/profiles/codec';
import type { Profile } from '../lib/profiles/format';
import { profileTable, type ProfileOptions } from '../lib/profiles/profileTable';
import { inferRoles } from '../lib/roles';
import { describeTable } from '../lib/schema';
import { openCommandDb, openInput } from './engine';
import { profileDriftReport, type ProfileDriftOptions, type ProfileDriftReport } from '../lib/profiles/drift';

/** A profile file, recognised by its content (a glob or a data file is not one). */
export async function readProfileIfAny(path: string): Promise<Profile | null> {
  let head: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(4096);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
  if (!looksLikeProfile(head)) return null;
  return decodeProfile(new Uint8Array(await readFile(path)));
}

export async function readProfileFile(path: string): Promise<Profile> {
  const profile = await readProfileIfAny(path).catch((error: unknown) => {
    throw error instanceof LanternError ? new LanternError(error.code, `"${path}": ${error.message}`) : error;
  });
  if (!profile) throw new LanternError('bad-profile', `"${path}" is not a Lantern profile (or cannot be read).`);
  return profile;
}

export async function writeProfileFile(path: string, profile: Profile): Promise<number> {
  const bytes = encodeProfile(profile);
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new LanternError('not-found', `Cannot write "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return bytes.length;
}

/** Loads a data file (or glob) into `table` and profiles it, with roles inferred from the columns. */
export async function profileDataFile(db: EngineDb, path: string, table: string, options: ProfileOptions): Promise<Profile> {
  const source = await openInput(db, path);
  await loadDataset(db, nodeParquet, source, { table });
  return profileLoadedTable(db, table, { ...options, sources: [source.name] });
}

/** Profiles a loaded table with roles inferred from its columns (those the options name win). */
export async function profileLoadedTable(db: Db, table: string, options: ProfileOptions): Promise<Profile> {
  const columns = await describeTable(db, table);
  const roles = { ...inferRoles(columns), ...(options.roles ?? {}) };
  // Every column that the user named for a role is profiled as such, whatever its inferred role was.
  for (const s of options.segments ?? []) roles[s] = 'segment';
  if (options.performance) {
    roles[options.performance.label] = 'label';
    roles[options.performance.score] = 'score';
  }
  if (options.time) roles[options.time.column] = 'timestamp';
  return profileTable(db, table, { ...options, roles });
}

/**
 * The profile of a batch as `lantern check --write-profile` writes it: roles inferred, and the metrics'
 * counts when the table has one label and one score column (a numeric label's positive class is 1).
 */
export async function batchProfile(db: Db, table: string, sources: string[]): Promise<Profile> {
  const columns = await describeTable(db, table);
  const roles = inferRoles(columns);
  const label = columns.filter((c) => roles[c.name] === 'label');
  const score = columns.filter((c) => roles[c.name] === 'score' && c.kind === 'numeric');
  const performance =
    label.length === 1 && score.length === 1 && label[0]!.kind !== 'string' ? { label: label[0]!.name, score: score[0]!.name } : null;
  return profileLoadedTable(db, table, { performance, sources });
}

/** Settings that make a file's profile comparable with a given profile. */
export function settingsLike(profile: Profile): ProfileOptions {
  return { alpha: profile.sketch.alpha, caps: profile.caps };
}

/**
 * Drift when either input is a profile: the other (a data file) is profiled with the same settings, and
 * the report comes from the two profiles. Null when both inputs are data files.
 */
export async function driftFromProfiles(
  reference: string,
  current: string,
  options: ProfileDriftOptions,
): Promise<ProfileDriftReport | null> {
  const [ref, cur] = [await readProfileIfAny(reference), await readProfileIfAny(current)];
  if (!ref && !cur) return null;
  const like = settingsLike((ref ?? cur)!);
  const db = ref && cur ? null : await openCommandDb({ fresh: true });
  const refProfile = ref ?? (await profileDataFile(db!, reference, 'reference', like));
  const curProfile = cur ?? (await profileDataFile(db!, current, 'current', like));
  return profileDriftReport(refProfile, curProfile, options);
}

/**
 * For `check` and `report`: when either side is a profile, both sides as profiles (a data file profiled
 * with the profile's settings and label/score; it stays loaded in `db` as table 'reference' or
 * 'current'), else null. A separate labels file or a model needs rows on both sides.
 */
export async function profilesForCheck(
  reference: string,
  current: string,
  settings: SuiteSettings | undefined,
  needsRows: boolean,
): Promise<{ reference: Profile; current: Profile; db: EngineDb | null; referenceIsProfile: boolean } | null> {
  const [ref, cur] = [await readProfileIfAny(reference), await readProfileIfAny(current)];
  if (!ref && !cur) return null;
  if (needsRows) throw new LanternError('usage', '--labels and --model need data files on both sides, not profiles.');
  const like = ref ?? cur!;
  const s = settings;
  const performance =
    like.performance ?? (s?.label && s.score ? { label: s.label, score: s.score, positive: s.positive, threshold: s.threshold } : null);
  const db = ref && cur ? null : await openCommandDb({ fresh: true });
  const options = { ...settingsLike(like), performance, time: null };
  return {
    reference: ref ?? (await profileDataFile(db!, reference, 'reference', options)),
    current: cur ?? (await profileDataFile(db!, current, 'current', options)),
    db,
    referenceIsProfile: ref !== null,
  };
}
