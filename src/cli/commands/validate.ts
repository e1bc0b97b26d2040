import { readFile } from 'node:fs/promises';
import { LanternError } from '../../lib/errors';
import type { TreeEnsemble } from '../../lib/model/ensemble';
import { parseModel } from '../../lib/model/load';
import { openValidation, type ValidationReport } from '../../lib/usecases/validate';
import { writeFile } from 'node:fs/promises';
import { junitXml } from '../../lib/checks/junit';
import { checksForJunit, checksStatus } from '../../lib/validation/checks';
import { validationJson } from '../../lib/validation/json';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { fmt, loadPerfInput, ROLE_OPTIONS, ROLE_USAGE } from '../perfInput';

export const usage =
  `Usage: lantern validate ${ROLE_USAGE}\n` +
  '       [--train <file>] [--model <file>] [--sensitive a,b] [--folds N] [--min-group-size N] [--junit <out.xml>]\n' +
  'Exits 1 when a validation check fails (demographic parity and equalized odds differences <= 0.1, no leaking\n' +
  'column, train-test gap in the main metric <= 0.05, flip rate <= 0.1, backtest spread <= 0.1).';

async function readModel(path: string): Promise<TreeEnsemble> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new LanternError('not-found', `Cannot read model "${path}": no such file.`);
  }
  return parseModel(bytes, path.split(/[\\/]/).pop() ?? path);
}

function wholeNumber(raw: string | undefined, flag: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new LanternError('usage', `${flag} takes a whole number, at least ${min} (got "${raw}").\n${usage}`);
  return n;
}

function printText(r: ValidationReport, io: CliIo): void {
  const f = r.fairness;
  if (f) {
    io.out(`Fairness across ${f.sensitive.join(' x ')} (groups of at least ${f.minGroupSize} rows compared)`);
    for (const k of [
      'demographic_parity_difference',
      'demographic_parity_ratio',
      'equalized_odds_difference',
      'equalized_odds_ratio',
    ] as const) {
      const m = f[k];
      io.out(`  ${k.padEnd(30)} ${m.defined ? fmt(m.value) : `undefined (${m.reason})`}`);
    }
    io.out(['  group', 'n', 'selection_rate', 'tpr', 'fpr', 'precision'].join('\t'));
    for (const g of f.groups) {
      const v = (m: { defined: boolean; value?: number }) => (m.defined ? fmt(m.value) : '-');
      io.out([`  ${g.label}${g.ranked ? '' : ' (too small)'}`, g.n, v(g.selection_rate), v(g.tpr), v(g.fpr), v(g.precision)].join('\t'));
    }
  }
  io.out(`Leakage (columns measured on the ${r.leakage.measuredOn} data)`);
  if (!r.leakage.findings.length) io.out('  nothing found');
  for (const x of r.leakage.findings) io.out(`  ${x.column ?? '(rows)'}: ${x.reason}: ${x.evidence}`);
  if (r.overfitting) {
    io.out('Over-fitting (train vs held-out; gap = how much worse held-out is)');
    for (const m of r.overfitting.metrics)
      io.out(
        `  ${m.metric.padEnd(18)} train ${fmt(m.train)}  test ${fmt(m.test)}  gap ${fmt(m.gap)}${m.interval ? ` [${fmt(m.interval.lo)}, ${fmt(m.interval.hi)}]` : ''}`,
      );
    if (r.overfitting.slices.length) io.out(`  largest ${r.overfitting.sliceMetric} gaps by slice:`);
    for (const s of r.overfitting.slices) io.out(`    ${s.label}: train ${fmt(s.train)}  test ${fmt(s.test)}  gap ${fmt(s.gap)}`);
  }
  if (r.robustness) {
    io.out(`Robustness (${r.robustness.rows} rows, noise ${r.robustness.share} sd, most fragile first)`);
    for (const x of r.robustness.features)
      io.out(`  ${x.feature.padEnd(18)} ${x.perturbation}  flip rate ${fmt(x.flip_rate)}  mean |change| ${fmt(x.mean_abs_change)}`);
  }
  if (r.backtest) {
    io.out(`Backtest over ${r.backtest.folds.length} time folds (${r.backtest.metric})`);
    r.backtest.folds.forEach((f, i) =>
      io.out(`  ${f.start.slice(0, 10)} .. ${f.end.slice(0, 10)}  n ${f.n}  ${fmt(r.backtest!.values[i])}`),
    );
  }
  io.out('Checks');
  for (const c of r.checks) io.out(`  ${c.status.toUpperCase().padEnd(13)} ${c.title} (${c.threshold}): ${c.message}`);
  for (const reason of Object.values(r.missing)) io.out(`  not run: ${reason}`);
}

export async function validate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...ROLE_OPTIONS,
      train: { type: 'string' },
      model: { type: 'string' },
      sensitive: { type: 'string' },
      folds: { type: 'string' },
      'min-group-size': { type: 'string' },
      junit: { type: 'string' },
    },
    usage,
  );
  if (positionals.length > 0) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (values.train && values.reference) throw new LanternError('usage', `Give the training data once, with --train.\n${usage}`);
  const sensitive = values.sensitive
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.sensitive !== undefined && !sensitive?.length)
    throw new LanternError('usage', `--sensitive takes column names, e.g. --sensitive age,sex.\n${usage}`);
  const folds = wholeNumber(values.folds, '--folds', 2);
  const minGroupSize = wholeNumber(values['min-group-size'], '--min-group-size', 1);
  const model = values.model ? await readModel(values.model) : undefined;
  const input = await loadPerfInput({ ...values, reference: values.train }, usage);
  const session = await openValidation({ db: input.db }, input.session, {
    ...(sensitive ? { sensitive } : {}),
    model,
    ...(folds ? { folds } : {}),
    ...(minGroupSize ? { minGroupSize } : {}),
  });
  const report = session.at();
  if (values.junit) {
    try {
      await writeFile(values.junit, junitXml(checksForJunit(report.checks), { timestamp: new Date().toISOString() }));
    } catch {
      throw new LanternError('usage', `Cannot write the JUnit file "${values.junit}".`);
    }
  }
  if (values.json) io.out(JSON.stringify(validationJson(report)));
  else printText(report, io);
  return checksStatus(report.checks) === 'pass' ? 0 : 1;
}
