import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DataSource } from '../lib/db';
import { LanternError } from '../lib/errors';

/** A file on disk, read by range: the engine reads it by path, the JS side only for format sniffing. */
export class PathSource implements DataSource {
  constructor(
    readonly path: string,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<PathSource> {
    const absolute = resolve(path);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      throw new LanternError('not-found', `Cannot read "${path}": no such file.`);
    }
    if (!info.isFile()) throw new LanternError('not-found', `Cannot read "${path}": it is not a file.`);
    return new PathSource(absolute, path.split(/[\\/]/).pop() ?? path, info.size);
  }

  read(start: number, end: number): Promise<Uint8Array> {
    return readRange(this.path, start, end);
  }
}

export async function readRange(path: string, start: number, end: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(Math.max(0, end - start));
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await handle.read(buffer, done, buffer.length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  } finally {
    await handle.close();
  }
}
