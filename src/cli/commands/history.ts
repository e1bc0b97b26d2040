import { basename } from 'node:path';
import { LanternError } from '../../lib/errors';
import { batchesOf, historyReport, type HistorySettings } from '../../lib/profiles/history';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { openCommandDb } from '../engine';
import { profileDataFile, readProfileFile, readProfileIfAny, settingsLike } from '../profileInput';

export const usage = `Usage: lantern history --reference <profile or data file> <batch profile>... [--json] [--fail-on-regression]
       [--drift-share 0.5] [--metric-drop 0.05] [--missing-rise 0.05] [--volume-share 0.5]`;

const OPTIONS = {
  reference: { type: 'string' },
  json: { type: 'boolean' },
  'fail-on-regression': { type: 'boolean' },
  'drift-share': { type: 'string' },
  'metric-drop': { type: 'string' },
  'missing-rise': { type: 'string' },
  'volume-share': { type: 'string' },
} as const;

const FLAG_OF: Record<keyof HistorySettings, keyof typeof OPTIONS> = {
  driftShare: 'drift-share',
  metricDrop: 'metric-drop',
  missingRise: 'missing-rise',
  volumeShare: 'volume-share',
};

/** Every batch profile against the reference: drift, quality, metrics and volume, with the regressions. */
export async function history(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS, usage);
  if (!values.reference || positionals.length === 0)
    throw new LanternError('usage', `history needs --reference and at least one batch profile.\n${usage}`);
  const settings: Partial<HistorySettings> = {};
  for (const [key, flag] of Object.entries(FLAG_OF) as [keyof HistorySettings, keyof typeof OPTIONS][]) {
    const text = values[flag] as string | undefined;
    if (text === undefined) continue;
    const x = Number(text);
    if (!(x >= 0 && x <= 1)) throw new LanternError('usage', `--${flag} must be between 0 and 1, got "${text}".`);
    settings[key] = x;
  }
  const batches = [];
  for (const path of positionals) batches.push({ name: basename(path), profile: await readProfileFile(path) });
  // The reference may be rows: profiled like the batches, so the two compare exactly where they can.
  const reference =
    (await readProfileIfAny(values.reference)) ??
    (await profileDataFile(await openCommandDb({ fresh: true }), values.reference, 'reference', {
      ...settingsLike(batches[0]!.profile),
      performance: batches[0]!.profile.performance,
      time: null,
    }));
  const report = historyReport({ name: basename(values.reference), profile: reference }, batchesOf(batches), settings);
  if (values.json) io.out(JSON.stringify(report));
  else {
    io.out(
      `History: ${report.batches.length} batches against ${report.reference.name} (${report.reference.rows.toLocaleString('en-US')} rows)`,
    );
    for (const b of report.batches) {
      const auc = b.metrics?.roc_auc;
      io.out(
        `  ${b.name}  ${b.rows.toLocaleString('en-US')} rows, ${b.drift.driftedColumns}/${b.drift.testedColumns} columns drifted` +
          `${auc !== undefined && auc !== null ? `, ROC AUC ${auc.toFixed(3)}` : ''}${b.regressions.length ? '  REGRESSION' : ''}`,
      );
    }
    io.out(
      report.regressions.length
        ? `Regressions from ${report.firstRegression}:\n${report.regressions.map((r) => `  ${r.message}`).join('\n')}`
        : 'No regression.',
    );
  }
  return values['fail-on-regression'] && report.regressions.length ? 1 : 0;
}
