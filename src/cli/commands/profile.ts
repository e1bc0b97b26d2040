import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { nodeParquet } from '../../engine/node';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import type { WindowUnit } from '../../lib/profiles/format';
import { profileFromRows } from '../../lib/profiles/fromRows';
import { mergeProfiles } from '../../lib/profiles/merge';
import { profileQuery } from '../../lib/profiles/profileSql';
import { specFor, type ProfileOptions } from '../../lib/profiles/profileTable';
import type { QuoteStyle } from '../../lib/profiles/portableSql';
import { inferRoles } from '../../lib/roles';
import { describeTable, kindOfType, type ColumnInfo } from '../../lib/schema';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { openCommandDb, openInput } from '../engine';
import { profileDataFile, readProfileFile, writeProfileFile } from '../profileInput';

export const usage = `Usage: lantern profile --data <file or glob> --out <profile> [options]
       lantern profile merge <profile> <profile>... --out <profile>
       lantern profile --emit-sql --table <name> (--data <sample file> | --schema a:number,b:text) [options] [--quote bare|ansi|backtick]
       lantern profile --from-rows <result file> --out <profile>
Options: [--label <col> --score <col> [--positive <class>] [--threshold 0.5]] [--timestamp <col> --window day|week|month]
         [--segments a,b] [--columns a,b] [--alpha 0.001] [--numeric-cap 2048] [--text-cap 2048]`;

const OPTIONS = {
  data: { type: 'string' },
  out: { type: 'string' },
  'emit-sql': { type: 'boolean' },
  table: { type: 'string' },
  schema: { type: 'string' },
  quote: { type: 'string' },
  'from-rows': { type: 'string' },
  label: { type: 'string' },
  score: { type: 'string' },
  positive: { type: 'string' },
  threshold: { type: 'string' },
  timestamp: { type: 'string' },
  window: { type: 'string' },
  segments: { type: 'string' },
  columns: { type: 'string' },
  alpha: { type: 'string' },
  'numeric-cap': { type: 'string' },
  'text-cap': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

const list = (text: string | undefined) =>
  text
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? [];

function numberFlag(text: string | undefined, flag: string, ok: (x: number) => boolean): number | undefined {
  if (text === undefined) return undefined;
  const x = Number(text);
  if (!ok(x)) throw new LanternError('usage', `--${flag} got "${text}", which is out of range.\n${usage}`);
  return x;
}

function profileOptions(values: Values): ProfileOptions {
  const window = (values.window ?? 'day') as WindowUnit;
  if (!['day', 'week', 'month'].includes(window)) throw new LanternError('usage', `--window must be day, week or month.\n${usage}`);
  if (values.window && !values.timestamp) throw new LanternError('usage', `--window needs --timestamp <column>.\n${usage}`);
  if (Boolean(values.label) !== Boolean(values.score))
    throw new LanternError(
      'usage',
      `Metrics need both --label and --score (a binary label and the score of its positive class).\n${usage}`,
    );
  const alpha = numberFlag(values.alpha, 'alpha', (x) => x > 0 && x <= 0.1);
  const numericValues = numberFlag(values['numeric-cap'], 'numeric-cap', (x) => Number.isInteger(x) && x >= 1 && x <= 1e6);
  const textValues = numberFlag(values['text-cap'], 'text-cap', (x) => Number.isInteger(x) && x >= 1 && x <= 1e6);
  const threshold = numberFlag(values.threshold, 'threshold', Number.isFinite);
  return {
    time: values.timestamp ? { column: values.timestamp, window } : null,
    segments: list(values.segments),
    performance: values.label && values.score ? { label: values.label, score: values.score, positive: values.positive, threshold } : null,
    ...(alpha !== undefined ? { alpha } : {}),
    ...(numericValues !== undefined || textValues !== undefined
      ? { caps: { numericValues: numericValues ?? 2048, textValues: textValues ?? 2048 } }
      : {}),
  };
}

/** Keeps only --columns (and the columns with a role the options name). */
function onlyColumns(columns: ColumnInfo[], values: Values, options: ProfileOptions): ColumnInfo[] {
  const wanted = list(values.columns);
  if (!wanted.length) return columns;
  const keep = new Set([
    ...wanted,
    ...(options.segments ?? []),
    options.time?.column,
    options.performance?.label,
    options.performance?.score,
  ]);
  for (const name of wanted)
    if (!columns.some((c) => c.name === name)) throw new LanternError('usage', `--columns: "${name}" is not in the data.`);
  return columns.filter((c) => keep.has(c.name));
}

function parseSchema(text: string): ColumnInfo[] {
  const types: Record<string, string> = { number: 'DOUBLE', text: 'VARCHAR', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE' };
  return list(text).map((item) => {
    const at = item.lastIndexOf(':');
    const type = types[item.slice(at + 1)];
    if (at <= 0 || !type) throw new LanternError('usage', `--schema takes name:number|text|boolean|timestamp|date items, got "${item}".`);
    return { name: item.slice(0, at), type, kind: kindOfType(type) };
  });
}

async function emitSql(values: Values, io: CliIo): Promise<number> {
  if (!values.table) throw new LanternError('usage', `--emit-sql needs --table <name>: the table the engine reads.\n${usage}`);
  if (!/^[A-Za-z0-9_.`"-]+$/.test(values.table)) throw new LanternError('usage', `--table "${values.table}" is not a table name.`);
  const quote = (values.quote ?? 'bare') as QuoteStyle;
  if (!['bare', 'ansi', 'backtick'].includes(quote)) throw new LanternError('usage', `--quote must be bare, ansi or backtick.\n${usage}`);
  const options = profileOptions(values);
  let columns: ColumnInfo[];
  if (values.schema) columns = parseSchema(values.schema);
  else if (values.data) {
    const db = await openCommandDb({ fresh: true });
    await loadDataset(db, nodeParquet, await openInput(db, values.data), { table: 'sample' });
    columns = await describeTable(db, 'sample');
  } else throw new LanternError('usage', `--emit-sql needs the columns: --data <sample file> or --schema a:number,b:text.\n${usage}`);
  columns = onlyColumns(columns, values, options);
  const roles = inferRoles(columns);
  for (const s of options.segments ?? []) roles[s] = 'segment';
  if (options.performance) {
    roles[options.performance.label] = 'label';
    roles[options.performance.score] = 'score';
  }
  io.out(`${profileQuery(specFor(columns, values.table, quote, { ...options, roles }))};`);
  return 0;
}

/** A JSON export of the rows (an array, or one object per line), read as it is: no type is guessed. */
function jsonRows(text: string): Record<string, unknown>[] | null {
  const t = text.trimStart();
  if (!t.startsWith('[') && !t.startsWith('{')) return null;
  try {
    const parsed: unknown = t.startsWith('[')
      ? JSON.parse(t)
      : t
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as unknown);
    return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : null;
  } catch {
    throw new LanternError('bad-profile', 'The result rows are not valid JSON (an array of rows, or one row per line).');
  }
}

async function fromRows(values: Values, io: CliIo): Promise<number> {
  if (!values.out) throw new LanternError('usage', `--from-rows needs --out <profile>.\n${usage}`);
  const path = values['from-rows']!;
  // The rows are about a profile's size, so reading them whole is cheap.
  const bytes0 = await readFile(path).catch(() => null);
  const first = bytes0?.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  let rows = bytes0 && (first === 0x5b || first === 0x7b) ? jsonRows(bytes0.toString('utf8')) : null;
  let name = basename(path);
  if (!rows) {
    // CSV or Parquet from the cluster: loaded by the engine; the window start as text, whatever type it got.
    const db = await openCommandDb({ fresh: true });
    const source = await openInput(db, path);
    await loadDataset(db, nodeParquet, source, { table: 'profile_rows' });
    rows = await db.query(`SELECT * REPLACE (CAST(w AS VARCHAR) AS w) FROM profile_rows`);
    name = source.name;
  }
  const profile = profileFromRows(rows, { sources: [name] });
  const bytes = await writeProfileFile(values.out, profile);
  io.out(
    values.json
      ? JSON.stringify({ out: values.out, bytes, parts: profile.parts.length })
      : `Wrote ${values.out} (${bytes} bytes, ${profile.parts.length} parts).`,
  );
  return 0;
}

async function merge(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (positionals.length < 1 || !values.out)
    throw new LanternError('usage', `profile merge needs profiles to merge and --out <profile>.\n${usage}`);
  const profiles = [];
  for (const path of positionals) profiles.push(await readProfileFile(path));
  const merged = mergeProfiles(profiles);
  const bytes = await writeProfileFile(values.out, merged);
  const rows = merged.parts.find((p) => p.window === null && p.segment === null)?.rows ?? 0;
  io.out(
    values.json
      ? JSON.stringify({ out: values.out, bytes, rows })
      : `Merged ${profiles.length} profiles (${rows} rows) into ${values.out} (${bytes} bytes).`,
  );
  return 0;
}

export async function profile(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'merge') return merge(argv.slice(1), io);
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  if (positionals.length) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (values['emit-sql']) return emitSql(values, io);
  if (values['from-rows']) return fromRows(values, io);
  if (!values.data || !values.out) throw new LanternError('usage', `profile needs --data and --out.\n${usage}`);
  const options = profileOptions(values);
  const db = await openCommandDb({ fresh: true });
  const wanted = list(values.columns);
  let roles: Record<string, 'ignore'> | undefined;
  if (wanted.length) {
    // Load once to know the columns; everything not asked for is left out of the profile.
    const source = await openInput(db, values.data);
    await loadDataset(db, nodeParquet, source, { table: 'data' });
    const kept = new Set(onlyColumns(await describeTable(db, 'data'), values, options).map((c) => c.name));
    roles = Object.fromEntries((await describeTable(db, 'data')).filter((c) => !kept.has(c.name)).map((c) => [c.name, 'ignore' as const]));
  }
  const result = await profileDataFile(db, values.data, 'data', { ...options, ...(roles ? { roles } : {}) });
  const bytes = await writeProfileFile(values.out, result);
  const rows = result.parts.find((p) => p.window === null && p.segment === null)?.rows ?? 0;
  io.out(
    values.json
      ? JSON.stringify({ out: values.out, bytes, rows, parts: result.parts.length })
      : `Profiled ${rows.toLocaleString('en-US')} rows (${result.columns.length} columns, ${result.parts.length} parts) into ${values.out} (${bytes.toLocaleString('en-US')} bytes).`,
  );
  return 0;
}
