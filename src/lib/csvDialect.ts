import { Gunzip } from 'fflate';
import { LanternError } from './errors';

const CANDIDATES = [',', '\t', ';', '|'] as const;
const MAX_LINES = 200;

/** Splits the first lines of a CSV into field counts per line, honouring double-quoted fields. */
function fieldCounts(text: string, delimiter: string): number[] {
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let lineHasContent = false;
  for (let i = 0; i < text.length && counts.length < MAX_LINES; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      lineHasContent = true;
    } else if (ch === delimiter) {
      fields++;
      lineHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (lineHasContent) counts.push(fields);
      fields = 1;
      lineHasContent = false;
    } else if (ch !== ' ') {
      lineHasContent = true;
    }
  }
  // The last line may be cut by the head window; only a complete file end counts it.
  return counts;
}

export interface CsvHead {
  delimiter: string;
  columns: number;
}

/**
 * Picks the delimiter and checks that the first lines agree on the number of fields. DuckDB's sniffer,
 * faced with a ragged file, silently skips the leading rows or falls back to one column, which would
 * load wrong data without a word; this check turns that into a clear error before the engine reads.
 */
export function checkCsvHead(text: string, name: string, hint?: string, complete = false): CsvHead {
  const body = complete ? `${text}\n` : text;
  let best: { delimiter: string; counts: number[] } | undefined;
  for (const delimiter of hint ? [hint] : CANDIDATES) {
    const counts = fieldCounts(body, delimiter);
    if (counts.length === 0) continue;
    if (!best || (counts[0]! > 1 && (best.counts[0]! <= 1 || score(counts) > score(best.counts)))) best = { delimiter, counts };
  }
  if (!best) return { delimiter: hint ?? ',', columns: 1 };
  const header = best.counts[0]!;
  const bad = best.counts.findIndex((n) => n !== header);
  if (bad > 0 && header > 1) {
    throw new LanternError(
      'ragged-csv',
      `"${name}" has rows with a different number of fields than its header: line ${bad + 1} has ${best.counts[bad]} fields, the header has ${header}. Fix the file or export it again.`,
    );
  }
  return { delimiter: best.delimiter, columns: header };
}

/** Lines whose field count equals the first line's, weighted by that count: the delimiter that splits consistently wins. */
function score(counts: number[]): number {
  const agree = counts.filter((n) => n === counts[0]).length;
  return (agree / counts.length) * 1000 + counts[0]!;
}

/** Decompresses as much of a gzip prefix as there is; a cut stream is expected here, not an error. */
export function gunzipHead(bytes: Uint8Array, limit = 256 * 1024): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const stream = new Gunzip((chunk) => {
    if (total < limit) {
      parts.push(chunk);
      total += chunk.length;
    }
  });
  try {
    stream.push(bytes, false);
  } catch {
    // a truncated window ends mid-block; whatever came out before is what we need
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
