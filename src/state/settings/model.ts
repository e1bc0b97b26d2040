import { z } from 'zod';

/**
 * The model file a workspace keeps (a workspace holds its model files too): its bytes as base64 inside the saved
 * sections, so reopening, importing a .lantern file and attribution drift checks have it without the
 * file. Larger models are not kept (every save writes the sections whole); the user is told to drop them
 * again after reopening.
 */
export const MAX_SAVED_MODEL_BYTES = 8 * 1024 * 1024;

export const savedModelSchema = z.object({
  model: z.object({ name: z.string().max(500), base64: z.string() }).nullable(),
});
export type SavedModel = z.infer<typeof savedModelSchema>;

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode(...) of a whole file would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const encoded = new WeakMap<Uint8Array, string>();

/**
 * The section's data for a loaded model file (null when none, or too large to keep). Autosave calls it on
 * every change of any setting: the base64 text is computed once per file.
 */
export function savedModel(file: { bytes: Uint8Array; name: string } | null): SavedModel {
  if (!file || file.bytes.length > MAX_SAVED_MODEL_BYTES) return { model: null };
  let base64 = encoded.get(file.bytes);
  if (base64 === undefined) encoded.set(file.bytes, (base64 = toBase64(file.bytes)));
  return { model: { name: file.name, base64 } };
}
