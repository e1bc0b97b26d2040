/**
 * The per-row facts every comparison needs, pulled once through Arrow: whether each version got the row
 * right (classification), the label and each version's output (score or predicted value), whether the
 * versions' predictions agree, and the row's calendar window. Everything after (tests, windows,
 * bootstrap, distributions) is arithmetic on these arrays.
 */
import { tableFromIPC } from 'apache-arrow';
import type { Db } from '../db';
import {
  labelledSql,
  labelTextSql,
  positiveSql,
  predictedPositiveSql,
  predictedValueSql,
  predictionTextSql,
  scoreSql,
  type PerfSpec,
} from '../metrics/spec';
import { ident, raw, sql, type Sql } from '../sql';

export interface VersionRows {
  /** Per row, the index of its version (split; all 0 for paired, where `other` holds the challenger). */
  version: Int32Array;
  /** 1 where the version's prediction is right (classification). */
  correct: Uint8Array;
  /** The 0/1 positive label (binary) or the label's value (regression). */
  y: Float64Array;
  /** The version's score (binary with scores) or predicted value (regression); NaN otherwise. */
  output: Float64Array;
  /** Paired only: the challenger's correctness and output, and whether the two predictions agree. */
  other?: { correct: Uint8Array; output: Float64Array; agree: Uint8Array };
  /** Epoch milliseconds of the row's window start; NaN without a timestamp. */
  window: Float64Array;
}

/** 1 when the spec's model gets the row right, as SQL (classification). */
export function correctSql(spec: PerfSpec): Sql {
  if (spec.task === 'binary') return raw(`CAST(${predictedPositiveSql(spec)} = ${positiveSql(spec)} AS INTEGER)`);
  return raw(`CAST(coalesce(${predictionTextSql(spec)} = ${labelTextSql(spec)}, FALSE) AS INTEGER)`);
}

/** The spec's predicted class as text, for agreement between versions (classification). */
function predictedClassSql(spec: PerfSpec): Sql {
  if (spec.task === 'binary') return raw(predictedPositiveSql(spec));
  return raw(predictionTextSql(spec));
}

/** 1 where the two versions predict different classes (classification). */
export function disagreeSql(a: PerfSpec, b: PerfSpec): Sql {
  return sql`(1 - CAST(coalesce(${predictedClassSql(a)} = ${predictedClassSql(b)}, FALSE) AS INTEGER))`;
}

function outputSql(spec: PerfSpec): Sql {
  if (spec.task === 'regression') return raw(predictedValueSql(spec));
  if (spec.task === 'binary' && spec.score) return raw(scoreSql(spec));
  return raw('CAST(NULL AS DOUBLE)');
}

function labelValueSql(spec: PerfSpec): Sql {
  if (spec.task === 'regression') return sql`CAST(${ident(spec.label)} AS DOUBLE)`;
  if (spec.task === 'binary') return raw(`CAST(${positiveSql(spec)} AS DOUBLE)`);
  return raw('CAST(NULL AS DOUBLE)');
}

function arrays(bytes: Uint8Array) {
  const t = tableFromIPC(bytes);
  const f64 = (name: string) => {
    const child = t.getChild(name);
    const out = Float64Array.from(child?.toArray() ?? []);
    if (child && child.nullCount > 0) for (let i = 0; i < out.length; i++) if (!child.isValid(i)) out[i] = NaN;
    return out;
  };
  const u8 = (name: string) => Uint8Array.from(t.getChild(name)?.toArray() ?? []);
  return { f64, u8, rows: t.numRows };
}

const windowColumn = (windowSql: Sql | undefined) =>
  windowSql ? sql`CAST(epoch_ms(${windowSql}) AS DOUBLE)` : raw('CAST(NULL AS DOUBLE)');

/** Paired: one row per labelled row both versions scored. `champion` and `challenger` read the same table. */
export async function pairedRows(
  db: Db,
  champion: PerfSpec,
  challenger: PerfSpec,
  windowSql: Sql | undefined,
  signal?: AbortSignal,
): Promise<VersionRows> {
  const classification = champion.task !== 'regression';
  const q = sql`SELECT ${labelValueSql(champion)} AS y, ${outputSql(champion)} AS a, ${outputSql(challenger)} AS b,
    ${classification ? correctSql(champion) : raw('0')}::UTINYINT AS ra, ${classification ? correctSql(challenger) : raw('0')}::UTINYINT AS rb,
    ${classification ? sql`(1 - ${disagreeSql(champion, challenger)})::UTINYINT` : raw('0::UTINYINT')} AS agree,
    ${windowColumn(windowSql)} AS w
    FROM ${ident(champion.table)} WHERE ${raw(labelledSql(champion))}`;
  const { f64, u8, rows } = arrays(await db.queryArrow(q.text, { signal }));
  return {
    version: new Int32Array(rows),
    correct: u8('ra'),
    y: f64('y'),
    output: f64('a'),
    other: { correct: u8('rb'), output: f64('b'), agree: u8('agree') },
    window: f64('w'),
  };
}

/** Split: one row per labelled row, with the index of the version (in `values` order) that scored it. */
export async function splitRows(
  db: Db,
  spec: PerfSpec,
  versionColumn: string,
  values: string[],
  windowSql: Sql | undefined,
  signal?: AbortSignal,
): Promise<VersionRows> {
  const classification = spec.task !== 'regression';
  const v = sql`CAST(${ident(versionColumn)} AS VARCHAR)`;
  const index = raw(`(CASE ${values.map((value, i) => sql`WHEN ${v} = ${value} THEN ${i}`.text).join(' ')} ELSE -1 END)`);
  const q = sql`SELECT ${index}::INTEGER AS v, ${labelValueSql(spec)} AS y, ${outputSql(spec)} AS a,
    ${classification ? correctSql(spec) : raw('0')}::UTINYINT AS r, ${windowColumn(windowSql)} AS w
    FROM ${ident(spec.table)} WHERE ${raw(labelledSql(spec))} AND ${index} >= 0`;
  const bytes = await db.queryArrow(q.text, { signal });
  const t = tableFromIPC(bytes);
  const { f64, u8 } = arrays(bytes);
  return { version: Int32Array.from(t.getChild('v')?.toArray() ?? []), correct: u8('r'), y: f64('y'), output: f64('a'), window: f64('w') };
}
