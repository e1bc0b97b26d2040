import { strToU8, strFromU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import { sha256Hex } from './chunks';
import { PersistenceError } from './errors';
import type { SavedState } from './schema';

/**
 * The `.lantern` file: a zip holding `manifest.json` and one Parquet file per dataset under `data/`.
 * The manifest names the format and its version, and the size and SHA-256 of every data file, so an
 * import can refuse a bad, truncated or tampered file before anything is stored.
 */
export const ARCHIVE_FORMAT = 'lantern-workspace';
export const ARCHIVE_VERSION = 1;
export const ARCHIVE_EXTENSION = '.lantern';
const MANIFEST = 'manifest.json';
/** Refuse archives that claim to unpack to more than the engine could ever hold (zip bombs). */
const MAX_UNPACKED_BYTES = 4 * 1024 ** 3;

const tableName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/);
const manifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.number().int().min(1),
  app: z.string(),
  createdAt: z.string(),
  name: z.string().min(1).max(200),
  withRows: z.boolean(),
  sections: z.record(z.string(), z.object({ version: z.number().int().min(0), data: z.unknown() })),
  tables: z.record(
    tableName,
    z.object({
      file: z.string().regex(/^data\/[A-Za-z0-9_]{1,64}\.parquet$/),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type ArchiveManifest = z.infer<typeof manifestSchema>;

export interface ArchiveContent {
  name: string;
  withRows: boolean;
  sections: SavedState['sections'];
  /** Dataset table -> Parquet bytes; empty for a settings-only archive. */
  tables: Record<string, Uint8Array>;
}

export async function buildArchive(content: ArchiveContent, createdAt = new Date()): Promise<Uint8Array> {
  const files: Zippable = {};
  const tables: ArchiveManifest['tables'] = {};
  if (content.withRows) {
    for (const [table, bytes] of Object.entries(content.tables)) {
      if (!tableName.safeParse(table).success) throw new Error(`Unexpected table name ${table}`);
      const file = `data/${table}.parquet`;
      // Parquet is compressed already: stored, not deflated again.
      files[file] = [bytes, { level: 0 }];
      tables[table] = { file, size: bytes.length, sha256: await sha256Hex(bytes) };
    }
  }
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_VERSION,
    app: 'lantern',
    createdAt: createdAt.toISOString(),
    name: content.name,
    withRows: content.withRows,
    sections: content.sections,
    tables,
  };
  files[MANIFEST] = [strToU8(JSON.stringify(manifest, null, 1)), { level: 6 }];
  return zipSync(files, { mtime: createdAt });
}

const bad = (why: string) =>
  new PersistenceError('bad-archive', `This is not a usable Lantern workspace file: ${why}. Nothing was imported.`);

/** Unpacks and checks a `.lantern` file; throws PersistenceError with a message naming what is wrong. */
export async function readArchive(bytes: Uint8Array): Promise<ArchiveContent> {
  let files: Record<string, Uint8Array>;
  try {
    let unpacked = 0;
    files = unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        if (unpacked > MAX_UNPACKED_BYTES) throw bad('it unpacks to more than 4 GB');
        return file.name === MANIFEST || file.name.startsWith('data/');
      },
    });
  } catch (error) {
    if (error instanceof PersistenceError) throw error;
    throw bad(`it is not a complete zip archive (truncated or damaged: ${(error as Error).message})`);
  }
  const raw = files[MANIFEST];
  if (!raw) throw bad('it has no manifest.json');
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(raw));
  } catch {
    throw bad('its manifest.json is not valid JSON');
  }
  const head = z.object({ format: z.string(), formatVersion: z.number() }).safeParse(json);
  if (!head.success || head.data.format !== ARCHIVE_FORMAT) throw bad('its manifest does not describe a Lantern workspace');
  if (head.data.formatVersion > ARCHIVE_VERSION)
    throw new PersistenceError(
      'newer-version',
      `This workspace file was written by a newer Lantern (format ${head.data.formatVersion}; this one reads up to ${ARCHIVE_VERSION}). Update Lantern and import it again. Nothing was imported.`,
    );
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`its manifest is malformed (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unknown problem'})`);
  }
  const manifest = parsed.data;
  const tables: Record<string, Uint8Array> = {};
  for (const [table, entry] of Object.entries(manifest.tables)) {
    const data = files[entry.file];
    if (!data) throw bad(`the data file ${entry.file} is missing`);
    if (data.length !== entry.size) throw bad(`the data file ${entry.file} has ${data.length} bytes, the manifest says ${entry.size}`);
    if ((await sha256Hex(data)) !== entry.sha256) throw bad(`the data file ${entry.file} fails its SHA-256 checksum (changed or damaged)`);
    tables[table] = data;
  }
  if (manifest.withRows === false && Object.keys(tables).length > 0) throw bad('it says it has no rows but carries data files');
  return { name: manifest.name, withRows: manifest.withRows, sections: manifest.sections, tables };
}
