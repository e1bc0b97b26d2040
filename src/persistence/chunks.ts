/**
 * Chromium has refused single IndexedDB values of about 127-255 MiB (see docs/architecture.md), so dataset
 * bytes are stored as chunks well under that.
 */
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** Views (no copies) of consecutive pieces of `bytes`; an empty input gives one empty chunk. */
export function splitChunks(bytes: Uint8Array, size = CHUNK_BYTES): Uint8Array[] {
  if (!(size > 0)) throw new Error('Chunk size must be positive');
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) out.push(bytes.subarray(offset, Math.min(bytes.length, offset + size)));
  return out.length > 0 ? out : [new Uint8Array(0)];
}

export function joinChunks(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** SHA-256 as lowercase hex (Web Crypto: the browser's and Node's `crypto.subtle`). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
