import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { DataSource, DiskLocation, Db } from '../lib/db';
import { LanternError } from '../lib/errors';
import { literal } from '../lib/sql';
import { PathSource, readRange } from './pathSource';

/**
 * Several files read as one dataset: a glob (`logs/date=*\/part-*.parquet`) or a folder. Native DuckDB
 * reads them itself; the JS side reads only the first file's head, to tell the format.
 */
export class DiskFiles implements DataSource {
  constructor(
    /** What the user typed, for messages. */
    readonly name: string,
    readonly files: string[],
    readonly size: number,
    /** Folders named `key=value` between the pattern's fixed part and the files: hive partitions. */
    readonly hive: boolean,
  ) {}

  read(start: number, end: number): Promise<Uint8Array> {
    return readRange(this.files[0]!, start, end);
  }
}

/** What the native engine reads by itself: files and file sets on its disk. */
export function locateOnDisk(source: DataSource): DiskLocation | null {
  if (source instanceof PathSource) return { files: [source.path], hive: false };
  if (source instanceof DiskFiles) return { files: source.files, hive: source.hive };
  return null;
}

const GLOB = /[*?[{]/;
const DATA_FILE = /\.(parquet|pq|csv|tsv|tab|txt|csv\.gz|tsv\.gz|json|ndjson|jsonl|arrow|arrows|feather|ipc)$/i;

/**
 * A command-line path as a source: a file, a glob, or a folder (every data file under it, of the one
 * format they share). Globs are expanded by DuckDB's own `glob()`, so they mean what they mean to
 * `read_parquet`; no match is a message, not an empty dataset.
 */
export async function openDiskSource(db: Db, argument: string): Promise<PathSource | DiskFiles> {
  if (!GLOB.test(argument)) {
    const info = await stat(resolve(argument)).catch(() => null);
    if (!info?.isDirectory()) return PathSource.open(argument);
    return openFolder(db, argument);
  }
  const pattern = resolve(argument);
  const files = await globFiles(db, pattern);
  if (files.length === 0) throw new LanternError('not-found', `Cannot read "${argument}": no file matches it.`);
  return diskFiles(argument, files, staticPrefix(pattern));
}

async function openFolder(db: Db, argument: string): Promise<DiskFiles> {
  const folder = resolve(argument);
  const all = (await globFiles(db, `${folder}${sep}**`)).filter((f) => DATA_FILE.test(f) && !hidden(f, folder));
  if (all.length === 0) throw new LanternError('not-found', `Cannot read "${argument}": the folder holds no data files.`);
  const extensions = new Set(all.map((f) => DATA_FILE.exec(f)![1]!.toLowerCase()));
  if (extensions.size > 1)
    throw new LanternError(
      'usage',
      `Cannot read "${argument}" as one dataset: it mixes ${[...extensions].map((e) => `.${e}`).join(', ')} files. Pass a glob such as "${argument}/**/*.${[...extensions][0]}".`,
    );
  return diskFiles(`${argument.replace(/[\\/]+$/, '')}/**/*.${[...extensions][0]}`, all, folder);
}

/** Spark and Hive write `_SUCCESS`, `.crc` and `_metadata` files beside the data; they are not rows. */
function hidden(file: string, root: string): boolean {
  return file
    .slice(root.length + 1)
    .split(/[\\/]/)
    .some((part) => part.startsWith('.') || part.startsWith('_'));
}

async function globFiles(db: Db, pattern: string): Promise<string[]> {
  const rows = await db.query(`SELECT file FROM glob(${literal(pattern)}) ORDER BY file`);
  return rows.map((r) => String(r['file']));
}

async function diskFiles(name: string, files: string[], root: string): Promise<DiskFiles> {
  let size = 0;
  for (const f of files) size += (await stat(f)).size;
  const hive = files.every((f) =>
    f
      .slice(root.length)
      .split(/[\\/]/)
      .slice(0, -1)
      .some((part) => /^[^=]+=[^=]*$/.test(part)),
  );
  return new DiskFiles(name, files, size, hive);
}

/** The folder part of a glob before its first wildcard. */
function staticPrefix(pattern: string): string {
  const first = pattern.search(GLOB);
  const upTo = pattern.slice(0, first);
  return upTo.slice(0, Math.max(upTo.lastIndexOf('/'), upTo.lastIndexOf('\\')));
}
