import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LanternError } from '../../lib/errors';
import { evaluateSuite, type SuiteResult } from '../../lib/checks/evaluate';
import type { ProfileDriftReport } from '../../lib/profiles/drift';
import { profileCheckInputs } from '../../lib/profiles/checkInputs';
import { approximationTable } from '../../lib/profiles/output';
import { profilesForCheck } from '../profileInput';
import { computeCheckInputs } from '../../lib/checks/inputs';
import { presetFromReference } from '../../lib/checks/preset';
import { reportHtml } from '../../lib/report/html';
import { buildReportData, reportTimestamp, type ReportData } from '../../lib/report/reportData';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { DATA_OPTIONS, loadCheckData, readSuiteFile } from '../checkInput';

export const usage =
  'Usage: lantern report --reference <file or profile> --current <file or profile> [--labels <file>] [--model <file>] [--suite <suite.json>] --out <report.html> [--json <results.json>]';

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new LanternError('not-found', `Cannot write "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** Writes the self-contained HTML report (and the JSON of all results); the suite defaults to the preset from the reference. */
export async function report(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...DATA_OPTIONS, out: { type: 'string' }, json: { type: 'string' }, title: { type: 'string' } },
    usage,
  );
  if (positionals.length) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (!values.reference || !values.current || !values.out)
    throw new LanternError('usage', `report needs --reference, --current and --out.\n${usage}`);
  const suite = values.suite ? await readSuiteFile(values.suite) : undefined;
  const meta = {
    title: values.title,
    generated: reportTimestamp(Date.now()),
    reference: basename(values.reference),
    current: basename(values.current),
  };
  let data: ReportData;
  let result: SuiteResult;
  const profiles = await profilesForCheck(
    values.reference,
    values.current,
    suite?.settings,
    values.labels !== undefined || values.model !== undefined,
  );
  if (profiles) {
    if (!suite && (profiles.referenceIsProfile || !profiles.db))
      throw new LanternError(
        'usage',
        `A report with a profile as the reference needs --suite <suite.json> (the preset is made from reference rows).\n${usage}`,
      );
    const checks = suite ?? (await presetFromReference(profiles.db!, 'reference', {}));
    const inputs = profileCheckInputs(profiles.reference, profiles.current, checks);
    result = evaluateSuite(checks, inputs);
    data = buildReportData(inputs, result, meta);
    data.tables.push(approximationTable(inputs.drift as ProfileDriftReport));
  } else {
    const { db, tables, model } = await loadCheckData(values);
    const checks = suite ?? (await presetFromReference(db, tables.reference, { model: Boolean(values.model) }));
    const inputs = await computeCheckInputs(db, tables, checks, { everything: true, model });
    result = evaluateSuite(checks, inputs);
    data = buildReportData(inputs, result, meta);
  }
  const html = reportHtml(data);
  await writeOut(values.out, html);
  if (values.json)
    await writeOut(
      values.json,
      `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
    );
  io.out(
    `Wrote ${values.out} (${(html.length / 1024).toFixed(1)} KB): ${result.counts.pass} passed, ${result.counts.warn} warned, ${result.counts.fail} failed, ${result.counts['not-evaluated']} not evaluated.`,
  );
  return 0;
}
