/**
 * Small accessors over parsed model documents. Model files come from outside, so every access is
 * checked; UBJSON decodes numeric arrays to typed arrays, which these accept alongside plain arrays.
 */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json }
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | BigInt64Array;

export function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

export function field(value: Json | undefined, key: string): Json | undefined {
  return isObject(value) ? value[key] : undefined;
}

export function list(value: Json | undefined): Json[] {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>);
  return [];
}

export function text(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * Numbers of an array; booleans become 1/0 and numeric strings are parsed ("NaN" stays NaN). A null or
 * an empty string is NaN, never the 0 `Number` makes of it: a damaged model must not read as one whose
 * leaves are 0 or whose splits are on feature 0 (the ensemble refuses non-numbers where they matter).
 */
export function asNumbers(value: Json | undefined): number[] {
  if (value instanceof BigInt64Array) return Array.from(value, (v) => Number(v));
  if (ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>);
  if (!Array.isArray(value)) return [];
  return value.map(asNumber);
}

/** One value as a number, as `asNumbers` reads it. */
export function asNumber(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return Number.NaN;
}

/**
 * JSON.parse that also accepts the bare NaN, Infinity and -Infinity tokens XGBoost writes (e.g. the
 * unused split_conditions of categorical nodes). They become null outside strings only.
 */
export function parseLenientJson(source: string): Json {
  try {
    return JSON.parse(source) as Json;
  } catch (error) {
    if (!/NaN|Infinity/.test(source)) throw error;
    const cleaned = source.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (token) => (token.startsWith('"') ? token : 'null'));
    return JSON.parse(cleaned) as Json;
  }
}
