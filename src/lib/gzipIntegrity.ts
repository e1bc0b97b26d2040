import { Gunzip } from 'fflate';
import type { DataSource } from './db';
import { LanternError, throwIfAborted } from './errors';

/** Compressed bytes read per step. */
const CHUNK = 4 * 1024 * 1024;

/**
 * Refuses a gzip file that was cut short. DuckDB's CSV reader (both engines) and fflate read a gzip
 * stream cut at a line end as a shorter, valid-looking file: 82,917 of 160,000 rows, no error. Every
 * gzip member ends with the size of its uncompressed data (ISIZE, RFC 1952 section 2.3.1): the whole
 * file is inflated once, member by member, and each member's output must match its trailer. A cut file
 * ends in compressed bytes where the trailer should be, which match by chance once in 2^32.
 */
export async function checkGzipComplete(source: DataSource, signal?: AbortSignal): Promise<void> {
  const cut = new LanternError(
    'bad-csv',
    `"${source.name}" is cut short: the gzip data ends before the file is complete (an interrupted download or copy). ` +
      'Get the complete file and load it again.',
  );
  if (source.size < 18) throw cut;
  // Output size of each member, and the offset where the next member starts.
  const sizes: number[] = [0];
  const starts: number[] = [];
  const stream = new Gunzip((chunk) => {
    sizes[sizes.length - 1]! += chunk.length;
  });
  stream.onmember = (offset) => {
    if (offset === 0) return;
    starts.push(offset);
    sizes.push(0);
  };
  try {
    for (let at = 0; at < source.size; at += CHUNK) {
      throwIfAborted(signal);
      const end = Math.min(source.size, at + CHUNK);
      stream.push(await source.read(at, end), end >= source.size);
    }
  } catch (error) {
    if (error instanceof LanternError) throw error;
    throw cut;
  }
  const ends = [...starts, source.size];
  for (let m = 0; m < ends.length; m++) {
    const tail = await source.read(ends[m]! - 4, ends[m]!);
    const isize = (tail[0]! | (tail[1]! << 8) | (tail[2]! << 16) | (tail[3]! << 24)) >>> 0;
    if (isize !== sizes[m]! % 2 ** 32) throw cut;
  }
}
