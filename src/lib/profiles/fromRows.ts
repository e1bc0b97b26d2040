/**
 * The result rows of `profileQuery` (run by Lantern on DuckDB, or by a cluster and saved as CSV, Parquet
 * or JSON) into a profile: parts per day (or all rows) and segment value as the query grouped them, then
 * weeks or months and the all-rows parts merged from those.
 */
import { LanternError } from '../errors';
import {
  PROFILE_FORMAT,
  PROFILE_VERSION,
  type NumericColumnProfile,
  type Profile,
  type ProfileColumn,
  type ProfilePart,
  type TextColumnProfile,
  type WindowUnit,
} from './format';
import { mergePartLists, topOf } from './merge';
import { KIND_OF_CODE, ROW_KINDS, WINDOW_CODE, type SpecKind } from './profileSql';
import { countsFrom } from './sketch';
import { windowStart } from './windows';

/** One result row, as the engine returned it (numbers may arrive as text from a CSV). */
export type ResultRow = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined || v === '' ? Number.NaN : Number(v));
const numOr0 = (v: unknown): number => {
  const x = num(v);
  return Number.isNaN(x) ? 0 : x;
};
const str = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : v instanceof Date ? v.toISOString() : String(v);

interface RawPart {
  window: string | null;
  segment: { index: number; value: string | number | null } | null;
  rows: number;
  stats: Map<number, ResultRow>;
  values: Map<number, [number, number][]>;
  positive: Map<number, [number, number][]>;
  negative: Map<number, [number, number][]>;
  textCount: Map<number, number>;
  textValues: Map<number, { s: string; n: number; d: number }[]>;
  performance: ResultRow | null;
}

export interface FromRowsOptions {
  sources?: string[];
  roles?: Record<string, string>;
  types?: Record<string, string>;
}

export function profileFromRows(rows: readonly ResultRow[], options: FromRowsOptions = {}): Profile {
  const kindOf = (r: ResultRow) => str(r['k']);
  const meta = rows.find((r) => kindOf(r) === ROW_KINDS.meta);
  if (!meta)
    throw new LanternError(
      'bad-profile',
      'These rows are not the result of a Lantern profile query: the row of kind "a" (the header) is missing.',
    );
  const alpha = num(meta['x']);
  const caps = { numericValues: num(meta['n']), textValues: num(meta['f0']) };
  const specColumns: { name: string; kind: SpecKind }[] = [];
  const segments: { name: string; kind: SpecKind }[] = [];
  let time: Profile['time'] = null;
  let label: string | null = null;
  let threshold = 0.5;
  let score: string | null = null;
  let positive: string | number | null = null;
  for (const r of rows) {
    const k = kindOf(r);
    if (k === ROW_KINDS.column) specColumns[num(r['c'])] = { name: str(r['s'])!, kind: KIND_OF_CODE[num(r['x'])]! };
    else if (k === ROW_KINDS.segmentHeader) segments[num(r['c'])] = { name: str(r['s'])!, kind: KIND_OF_CODE[num(r['x'])]! };
    else if (k === ROW_KINDS.timeHeader) {
      const unit = (Object.keys(WINDOW_CODE) as WindowUnit[]).find((u) => WINDOW_CODE[u] === num(r['x']));
      time = { column: str(r['s'])!, window: unit ?? 'day' };
    } else if (k === ROW_KINDS.labelHeader) {
      label = str(r['s']);
      threshold = num(r['x']);
    } else if (k === ROW_KINDS.scoreHeader) score = str(r['s']);
    else if (k === ROW_KINDS.positiveHeader) positive = str(r['s']) ?? num(r['x']);
  }
  if (!(alpha > 0 && alpha < 1) || !(caps.numericValues > 0) || !(caps.textValues > 0) || specColumns.some((c) => !c))
    throw new LanternError('bad-profile', 'The header rows of this profile query result are incomplete or damaged.');

  const raw = new Map<string, RawPart>();
  const partOf = (r: ResultRow): RawPart => {
    const window = str(r['w'])?.slice(0, 10) ?? null;
    const g = r['g'] === null || r['g'] === undefined || r['g'] === '' ? null : num(r['g']);
    const value = g === null ? null : segments[g]?.kind === 'text' ? str(r['gt']) : Number.isNaN(num(r['gx'])) ? null : num(r['gx']);
    const key = JSON.stringify([window, g, value]);
    let p = raw.get(key);
    if (!p) {
      p = {
        window,
        segment: g === null ? null : { index: g, value },
        rows: 0,
        stats: new Map(),
        values: new Map(),
        positive: new Map(),
        negative: new Map(),
        textCount: new Map(),
        textValues: new Map(),
        performance: null,
      };
      raw.set(key, p);
    }
    return p;
  };
  const push = <T>(m: Map<number, T[]>, c: number, item: T) => {
    const list = m.get(c);
    if (list) list.push(item);
    else m.set(c, [item]);
  };
  for (const r of rows) {
    const k = kindOf(r);
    if (!k || k === ROW_KINDS.meta || k.startsWith('h')) continue;
    const p = partOf(r);
    const c = num(r['c']);
    if (k === ROW_KINDS.rows) p.rows = num(r['n']);
    else if (k === ROW_KINDS.numericStats) p.stats.set(c, r);
    else if (k === ROW_KINDS.value) push(p.values, c, [num(r['x']), num(r['n'])]);
    else if (k === ROW_KINDS.positiveBucket) push(p.positive, c, [num(r['x']), num(r['n'])]);
    else if (k === ROW_KINDS.negativeBucket) push(p.negative, c, [num(r['x']), num(r['n'])]);
    else if (k === ROW_KINDS.textStats) p.textCount.set(c, num(r['n']));
    else if (k === ROW_KINDS.textValue) push(p.textValues, c, { s: str(r['s']) ?? '', n: num(r['n']), d: num(r['f0']) });
    else if (k === ROW_KINDS.performance) p.performance = r;
    else throw new LanternError('bad-profile', `Unknown row kind "${k}" in the profile query result.`);
  }

  const numericOf = (p: RawPart, c: number): NumericColumnProfile => {
    const s = p.stats.get(c) ?? {};
    const nonNull = numOr0(s['n']);
    const finite = numOr0(s['f0']);
    const posInf = numOr0(s['f1']);
    const negInf = numOr0(s['f2']);
    const values = p.values.get(c);
    const min = num(s['f4']);
    const max = num(s['f5']);
    return {
      nulls: p.rows - nonNull,
      nan: nonNull - finite - posInf - negInf,
      posInf,
      negInf,
      finite,
      zeros: numOr0(s['f3']),
      min: Number.isNaN(min) ? null : min,
      max: Number.isNaN(max) ? null : max,
      sum: numOr0(s['f6']),
      sumSquares: numOr0(s['f7']),
      values: values ? countsFrom(values) : finite === 0 ? [[], []] : null,
      positive: countsFrom(p.positive.get(c) ?? []),
      negative: countsFrom(p.negative.get(c) ?? []),
    };
  };
  const textOf = (p: RawPart, c: number): TextColumnProfile => {
    const list = p.textValues.get(c) ?? [];
    const count = p.textCount.get(c) ?? 0;
    const distinct = list[0]?.d ?? 0;
    const { top } = topOf(new Map(list.map((v) => [v.s, v.n])), caps.textValues);
    const kept = top[1].reduce((a, b) => a + b, 0);
    return { nulls: p.rows - count, count, distinct, top, other: count - kept, exact: distinct <= caps.textValues };
  };

  const dayParts: ProfilePart[] = [...raw.values()].map((p) => {
    const numeric: ProfilePart['numeric'] = {};
    const text: ProfilePart['text'] = {};
    specColumns.forEach((col, i) => {
      if (col.kind !== 'numeric') text[col.name] = textOf(p, i);
      else numeric[col.name] = numericOf(p, i);
    });
    const y = p.performance;
    const segment = p.segment ? segments[p.segment.index]! : null;
    return {
      window: p.window,
      segment:
        p.segment && segment
          ? {
              column: segment.name,
              value: segment.kind === 'boolean' && p.segment.value !== null ? p.segment.value === 1 : p.segment.value,
            }
          : null,
      rows: p.rows,
      numeric,
      text,
      performance:
        label === null
          ? null
          : {
              count: numOr0(y?.['n']),
              positives: numOr0(y?.['f0']),
              logLossSum: numOr0(y?.['f1']),
              brierSum: numOr0(y?.['f2']),
              tp: numOr0(y?.['f3']),
              fp: numOr0(y?.['f4']),
              fn: numOr0(y?.['f5']),
              tn: numOr0(y?.['f6']),
              negativeScores: numericOf(p, specColumns.length),
              positiveScores: numericOf(p, specColumns.length + 1),
            },
    };
  });

  // Weeks and months from days; the all-rows parts from every day (rows without a time included).
  const unit = (time as Profile['time'])?.window;
  const windowed = time
    ? dayParts.filter((p) => p.window !== null).map((p) => ({ ...p, window: windowStart(p.window!, unit ?? 'day') }))
    : [];
  const allRows = dayParts.map((p) => ({ ...p, window: null }));
  const columns: ProfileColumn[] = specColumns.map((c) => ({
    name: c.name,
    kind: c.kind === 'numeric' ? 'numeric' : 'text',
    type: options.types?.[c.name] ?? c.kind,
  }));
  const roles: Record<string, string> = { ...(options.roles ?? {}) };
  if (label) roles[label] = 'label';
  if (score) roles[score] = 'score';
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    sketch: { kind: 'log-buckets', alpha },
    caps,
    sources: options.sources ?? [],
    columns,
    roles,
    performance: label !== null && score !== null && positive !== null ? { label, score, positive, threshold } : null,
    time,
    segments: segments.map((s) => s.name),
    parts: mergePartLists([...allRows, ...windowed], caps),
  };
}
