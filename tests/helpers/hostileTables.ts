/**
 * The same data twice: once under plain table and column names, once under names a user's file can hold
 * and that break SQL pasted together by hand - quotes, a statement terminator with a comment, keywords,
 * DuckDB's `rowid`, unicode, a leading space, a tab, a newline, a NUL (which `ident` strips) and a very
 * long name - with values that do too (quotes, NUL, newlines, emoji). A builder given either variant must
 * give the same numbers.
 */
import type { Db } from '../../src/lib/db';
import type { PerfSpec } from '../../src/lib/metrics/spec';
import { ident, join, raw, sql, type Sql } from '../../src/lib/sql';
import { hashU32 } from './seeded';

const COLUMNS = [
  'id',
  'ts',
  'seg',
  'num',
  'cnt',
  'flag',
  'label',
  'score',
  'pred',
  'y',
  'yhat',
  'cls',
  'cpred',
  'pa',
  'pb',
  'pc',
  'txt',
  'big',
  'epoch',
] as const;
export type Column = (typeof COLUMNS)[number];

const HOSTILE: Record<Column, string> = {
  // The pseudo-column's name; the column holds each row's position, as the pseudo-column it hides would.
  id: 'rowid',
  ts: 'select',
  seg: '"; DROP TABLE x; --',
  num: 'a"b',
  cnt: "it's",
  flag: '😀 flag',
  label: 'ünï cødé',
  score: ' lead space',
  pred: 'nul\u0000byte',
  y: `${'a very long column name '.repeat(16)}end`,
  yhat: 'tab\there',
  cls: 'group by',
  cpred: 'FROM',
  pa: 'p "a"',
  pb: "p 'b'",
  pc: 'p\nc',
  txt: 'SELECT * FROM x',
  big: 'big"; --',
  epoch: 'epoch \\ ms',
};

/** Segment values, one of each kind of trouble (and NULL). */
export const SEGMENTS = ["O'Hare", 'nul\u0000byte', 'two\nlines', 'emoji 😀', '"quoted"', null] as const;
const TEXTS = ['1.5', '2', 'NA', '', ' 3 ', 'oops'];
const CLASSES = ['a', 'b', 'c'];
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

export interface Variant {
  kind: 'plain' | 'hostile';
  /** The prediction log (current data), its reference and a file of labels that arrived later. */
  log: string;
  ref: string;
  labels: string;
  /** Column names as a user would hand them to the core (the NUL included). */
  c: Record<Column, string>;
  binary: PerfSpec;
  /** Binary without a score: by the prediction column. */
  byPrediction: PerfSpec;
  multiclass: PerfSpec;
  /** Multiclass predicted by the argmax of the class probabilities. */
  argmax: PerfSpec;
  regression: PerfSpec;
}

export function variant(kind: 'plain' | 'hostile'): Variant {
  const c = Object.fromEntries(COLUMNS.map((k) => [k, kind === 'plain' ? `col_${k}` : HOSTILE[k]])) as Record<Column, string>;
  const log = kind === 'plain' ? 'hp_log' : 'ht "log"; DROP TABLE x; --';
  const binary: PerfSpec = {
    table: log,
    label: c.label,
    labelKind: 'numeric',
    score: c.score,
    task: 'binary',
    positive: '1',
    threshold: 0.5,
  };
  const multiclass: PerfSpec = {
    table: log,
    label: c.cls,
    labelKind: 'string',
    prediction: c.cpred,
    predictionKind: 'string',
    classScores: [
      { cls: 'a', column: c.pa },
      { cls: 'b', column: c.pb },
      { cls: 'c', column: c.pc },
    ],
    task: 'multiclass',
    threshold: 0.5,
  };
  const { prediction: _p, predictionKind: _k, ...scored } = multiclass;
  return {
    kind,
    log,
    ref: kind === 'plain' ? 'hp_ref' : "ht 'ref' \u00e9",
    labels: kind === 'plain' ? 'hp_labels' : 'ht select labels',
    c,
    binary,
    byPrediction: {
      table: log,
      label: c.label,
      labelKind: 'numeric',
      prediction: c.pred,
      predictionKind: 'numeric',
      task: 'binary',
      positive: '1',
      threshold: 0.5,
    },
    multiclass,
    argmax: { ...scored, predictionFromScores: true },
    regression: {
      table: log,
      label: c.y,
      labelKind: 'numeric',
      prediction: c.yhat,
      predictionKind: 'numeric',
      task: 'regression',
      threshold: 0.5,
    },
  };
}

const u = (i: number, seed: number, k: number) => hashU32(i * 31 + k, seed) / 2 ** 32;

/** One row of the log (seed 1) or the reference (seed 2, shifted): each column as a SQL literal. */
function row(i: number, seed: number): Record<Column, Sql> {
  const shift = seed === 1 ? 0.4 : 0;
  const score = u(i, seed, 1);
  const label = i % 7 === 3 ? null : score + 0.3 * (u(i, seed, 2) - 0.5) > 0.5 ? 1 : 0;
  const num = (u(i, seed, 3) + u(i, seed, 4) + u(i, seed, 5) - 1.5) * 2 + shift;
  const y = 10 + 5 * u(i, seed, 6);
  const cls = CLASSES[Math.floor(u(i, seed, 7) * 3)]!;
  const p = CLASSES.map((k, j) => (k === cls ? 2 : 0.5) + u(i, seed, 8 + j));
  const total = p.reduce((a, b) => a + b, 0);
  const seg = SEGMENTS[Math.floor(u(i, seed, 11) * (seed === 1 ? 6 : 5))]!;
  const ms = T0 + i * 3 * HOUR;
  return {
    id: sql`${i}::INTEGER`,
    ts: sql`epoch_ms(${ms}::BIGINT)`,
    seg: sql`${seg}::VARCHAR`,
    num: i % 53 === 5 ? raw(`'NaN'::DOUBLE`) : i % 71 === 9 ? raw('NULL::DOUBLE') : sql`${num}::DOUBLE`,
    cnt: sql`${Math.floor(u(i, seed, 12) * 5)}::INTEGER`,
    flag: i % 13 === 0 ? raw('NULL::BOOLEAN') : sql`${u(i, seed, 13) < 0.4}`,
    label: sql`${label}::INTEGER`,
    score: sql`${score}::DOUBLE`,
    pred: sql`${score >= 0.5 !== (i % 11 === 0) ? 1 : 0}::INTEGER`,
    y: sql`${y}::DOUBLE`,
    yhat: sql`${y + u(i, seed, 14) - 0.5 + shift}::DOUBLE`,
    cls: sql`${cls}::VARCHAR`,
    cpred: i % 17 === 0 ? raw('NULL::VARCHAR') : sql`${u(i, seed, 15) < 0.8 ? cls : CLASSES[i % 3]!}::VARCHAR`,
    pa: sql`${p[0]! / total}::DOUBLE`,
    pb: sql`${p[1]! / total}::DOUBLE`,
    pc: sql`${p[2]! / total}::DOUBLE`,
    txt: sql`${TEXTS[Math.floor(u(i, seed, 16) * (seed === 1 ? 6 : 5))]!}::VARCHAR`,
    big: i === 7 && seed === 1 ? raw('9007199254740993::BIGINT') : sql`${i * 1000}::BIGINT`,
    epoch: sql`${ms / 1000}::DOUBLE`,
  };
}

/** `CREATE TABLE name AS` rows given as literals, columns named as the variant names them. */
async function create(db: Db, name: string, names: Record<string, string>, rows: Record<string, Sql>[]): Promise<void> {
  const keys = Object.keys(names);
  const values = join(
    rows.map((r) => sql`(${keys.map((k) => r[k]!)})`),
    ', ',
  );
  const columns = keys.map((k, j) => sql`${ident(`c${j}`)} AS ${ident(names[k]!)}`);
  await db.query(sql`DROP TABLE IF EXISTS ${ident(name)}`.text);
  await db.query(
    sql`CREATE TABLE ${ident(name)} AS SELECT ${columns} FROM (VALUES ${values}) v(${keys.map((_, j) => ident(`c${j}`))})`.text,
  );
}

/** Creates the variant's tables: 240 log rows, 200 reference rows, labels for a third of the log. */
export async function createVariant(db: Db, v: Variant): Promise<void> {
  const log = Array.from({ length: 240 }, (_, i) => row(i, 1));
  await create(db, v.log, v.c, log);
  await create(
    db,
    v.ref,
    v.c,
    Array.from({ length: 200 }, (_, i) => row(i, 2)),
  );
  // Labels of every third prediction, one id twice (the same label) and one id the log does not have.
  const ids = [...Array.from({ length: 80 }, (_, k) => 3 * k), 30, 9999];
  await create(
    db,
    v.labels,
    { id: v.c.id, label: v.c.label },
    ids.map((i) => ({ id: sql`${i}::INTEGER`, label: sql`${i % 2}::INTEGER` })),
  );
}
