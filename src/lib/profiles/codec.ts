/**
 * A profile file: the profile as JSON, gzip-compressed (fflate). Recognised by content, never by name:
 * gzip's magic bytes, then JSON that opens with the format's name; plain (uncompressed) JSON is read too.
 */
import { Gunzip, gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { LanternError } from '../errors';
import { PROFILE_FORMAT, PROFILE_VERSION, profileSchema, type Profile } from './format';

const SIGNATURE = `{"format":"${PROFILE_FORMAT}"`;

export function encodeProfile(profile: Profile): Uint8Array {
  // Key order matters for recognition: "format" is written first.
  const { format, ...rest } = profile;
  return gzipSync(strToU8(JSON.stringify({ format, ...rest })), { level: 9, mtime: 0 });
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

function textOf(bytes: Uint8Array): string {
  if (!isGzip(bytes)) return strFromU8(bytes);
  try {
    return strFromU8(gunzipSync(bytes));
  } catch {
    throw new LanternError('bad-profile', 'This profile file is damaged: its compressed data cannot be read.');
  }
}

/** True when the first bytes of a file (a few KB are enough) belong to a profile. */
export function looksLikeProfile(head: Uint8Array): boolean {
  if (isGzip(head)) {
    try {
      // Only the file's first bytes are read: inflate what is there with the streaming API.
      return startsWithSignature(inflateHead(head));
    } catch {
      return false;
    }
  }
  return startsWithSignature(strFromU8(head.subarray(0, 256)));
}

function startsWithSignature(text: string): boolean {
  return text
    .replace(/^\uFEFF?\s*/, '')
    .replace(/\s+/g, '')
    .startsWith(SIGNATURE);
}

function inflateHead(head: Uint8Array): string {
  let out = '';
  const g = new Gunzip((chunk) => {
    out += strFromU8(chunk.subarray(0, 256));
  });
  g.push(head, false);
  return out;
}

export function decodeProfile(bytes: Uint8Array): Profile {
  const text = textOf(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LanternError('bad-profile', 'This profile file is damaged: it is not valid JSON.');
  }
  const format = (json as { format?: unknown; version?: unknown } | null)?.format;
  if (format !== PROFILE_FORMAT) throw new LanternError('bad-profile', 'This file is not a Lantern profile.');
  const version = (json as { version?: unknown }).version;
  if (typeof version === 'number' && version > PROFILE_VERSION)
    throw new LanternError(
      'bad-profile',
      `This profile was written by a newer Lantern (format version ${version}); update Lantern to open it.`,
    );
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LanternError(
      'bad-profile',
      `This profile file is damaged: ${issue?.path.join('.') || 'its contents'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}
