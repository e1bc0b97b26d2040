import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { nodeParquet } from '../../engine/node';
import type { DataSource } from '../../lib/db';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import { evaluateSuite, num, type SuiteResult } from '../../lib/checks/evaluate';
import { computeCheckInputs } from '../../lib/checks/inputs';
import { junitXml } from '../../lib/checks/junit';
import { presetFromSetup } from '../../lib/checks/preset';
import { inferSetup } from '../../lib/setup/infer';
import { serializeSuite } from '../../lib/checks/suite';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { batchProfile, profilesForCheck, writeProfileFile } from '../profileInput';
import { profileCheckInputs } from '../../lib/profiles/checkInputs';
import { DATA_OPTIONS, loadCheckData, readModelFile, readSuiteFile } from '../checkInput';
import { openCommandDb, openInput } from '../engine';

export const usage =
  'Usage: lantern check --suite <suite.json> --reference <file> --current <file> [--labels <file>] [--model <file>] [--json] [--junit <out.xml>]\n' +
  '       [--write-profile <batch profile>]\n' +
  '       lantern check --preset --reference <file> [--current <file>] [--labels <file>] [--model <file>] [--out <suite.json>]';

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new LanternError('not-found', `Cannot write "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', 'not-evaluated': 'N/E ' } as const;

export function checkText(result: SuiteResult): string {
  const lines = result.results.map(
    (r) =>
      `${MARK[r.status]}  ${r.title}\n      ${r.value === null ? '' : `value ${num(r.value)}; `}${r.threshold ? `threshold ${r.threshold}; ` : ''}${r.message}`,
  );
  const c = result.counts;
  lines.push(
    `\n${result.results.length} checks: ${c.pass} passed, ${c.warn} warned, ${c.fail} failed, ${c['not-evaluated']} not evaluated`,
  );
  return lines.join('\n');
}

export function checkJson(result: SuiteResult): string {
  // JSON has no NaN or Infinity: such values print as null.
  return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

/**
 * The preset from the files' setup, inferred as the app infers it (src/lib/setup): the flags say which file
 * is which, the structure says which column is the label, the score and the id. With the log and its
 * labels, a label the training data names unlike a label (was_late, delayed) is still the label.
 */
async function preset(
  values: { reference?: string; current?: string; labels?: string; model?: string; out?: string },
  io: CliIo,
): Promise<number> {
  if (!values.reference) throw new LanternError('usage', `--preset needs --reference.\n${usage}`);
  const parts = (['reference', 'current', 'labels'] as const).filter((p) => values[p] !== undefined);
  if (values.model) await readModelFile(values.model);
  const db = await openCommandDb();
  const sources: DataSource[] = [];
  for (const p of parts) sources.push(await openInput(db, values[p]!));
  for (const [i, part] of parts.entries()) await loadDataset(db, nodeParquet, sources[i]!, { table: part });
  const setup = await inferSetup(
    db,
    parts.map((p, i) => ({ table: p, name: sources[i]!.name })),
    { hints: Object.fromEntries(parts.map((p) => [p, p])) },
  );
  const suite = await presetFromSetup(db, setup, { model: Boolean(values.model), name: `Preset from ${sources[0]!.name}` });
  for (const note of suite.notes ?? []) io.err(`lantern check: note: ${note}`);
  const text = serializeSuite(suite);
  if (values.out) await writeOut(values.out, text);
  else io.out(text);
  return 0;
}

export async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...DATA_OPTIONS,
      json: { type: 'boolean' },
      junit: { type: 'string' },
      preset: { type: 'boolean' },
      out: { type: 'string' },
      'write-profile': { type: 'string' },
    },
    usage,
  );
  if (positionals.length) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (values.preset) {
    for (const flag of ['suite', 'json', 'junit', 'write-profile'] as const)
      if (values[flag] !== undefined) throw new LanternError('usage', `--preset does not take --${flag}.\n${usage}`);
    return preset(values, io);
  }
  if (values.out !== undefined) throw new LanternError('usage', `--out goes with --preset; use --junit <file> or --json.\n${usage}`);
  if (!values.suite || !values.reference || !values.current)
    throw new LanternError('usage', `check needs --suite, --reference and --current.\n${usage}`);
  const suite = await readSuiteFile(values.suite);
  const started = Date.now();
  let result: SuiteResult;
  const profiles = await profilesForCheck(
    values.reference,
    values.current,
    suite.settings,
    values.labels !== undefined || values.model !== undefined,
  );
  if (profiles) {
    result = evaluateSuite(suite, profileCheckInputs(profiles.reference, profiles.current, suite));
    if (values['write-profile']) await writeProfileFile(values['write-profile'], profiles.current);
  } else {
    const { db, tables, model } = await loadCheckData(values);
    const inputs = await computeCheckInputs(db, tables, suite, { model });
    result = evaluateSuite(suite, inputs);
    // The batch's profile next to its result, so a history builds up from CI runs.
    if (values['write-profile'])
      await writeProfileFile(values['write-profile'], await batchProfile(db, tables.current, [basename(values.current)]));
  }
  if (values.junit)
    await writeOut(
      values.junit,
      junitXml(result, { seconds: (Date.now() - started) / 1000, timestamp: new Date(started).toISOString().slice(0, 19) }),
    );
  io.out(values.json ? checkJson(result) : checkText(result));
  return result.status === 'fail' ? 1 : 0;
}
