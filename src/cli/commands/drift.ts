import { nodeParquet } from '../../engine/node';
import { nodeStatsThread } from '../../engine/nodeStats';
import { DRIFT_METHODS, type DriftMethod } from '../../lib/drift/methods';
import { driftJson, driftText } from '../../lib/drift/output';
import { driftReport, type ColumnSetting } from '../../lib/drift/report';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import { profileDriftJson, profileDriftText } from '../../lib/profiles/output';
import type { WindowUnit } from '../../lib/metrics/time';
import { FREE_TEXT_REASON } from '../../lib/drift/freeText';
import { domainClassifierFor, MAX_CLASSIFIER_ROWS, type DomainClassifierDrift } from '../../lib/multivariate/domainClassifier';
import {
  domainClassifierJson,
  domainClassifierText,
  embeddingColumnJson,
  embeddingColumnText,
  type EmbeddingUnavailable,
  multivariateJson,
  multivariateText,
  textColumnJson,
  textColumnText,
} from '../../lib/multivariate/output';
import { textColumnDrift, type TextColumnDrift } from '../../lib/multivariate/textColumn';
import { embeddingColumnDrift, type EmbeddingColumnDrift } from '../../lib/multivariate/embeddingVectors';
import { MMD_MAX_ROWS } from '../../lib/multivariate/embeddingDrift';
import { reconstructionDrift, type ReconstructionDrift } from '../../lib/multivariate/reconstructionDrift';
import { parseCommandArgs } from '../args';
import { driftFromProfiles } from '../profileInput';
import type { CliIo } from '../io';
import { cliEngineKind, openCommandDb, openInput } from '../engine';

export const usage =
  'Usage: lantern drift --reference <file> --current <file> [--columns a,b] [--method col=ks] [--threshold col=0.1] [--drift-share 0.5] [--multivariate [--timestamp <col> --window day|week|month] [--chunks 10] [--explained-variance 0.65] [--sigmas 3] [--classifier-sample N]] [--text-sample N] [--embedding-sample N] [--ungroup-embedding emb_*] [--fail-on-drift] [--json]';

const WINDOWS: readonly WindowUnit[] = ['hour', 'day', 'week', 'month'];

/** Parses repeated `col=value` flags; the column name may itself contain '='. */
function perColumn(values: string[] | undefined, flag: string): [string, string][] {
  return (values ?? []).map((v) => {
    const at = v.lastIndexOf('=');
    if (at <= 0) throw new LanternError('usage', `--${flag} takes column=value, got "${v}".\n${usage}`);
    return [v.slice(0, at), v.slice(at + 1)];
  });
}

export async function drift(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      reference: { type: 'string' },
      current: { type: 'string' },
      columns: { type: 'string' },
      method: { type: 'string', multiple: true },
      threshold: { type: 'string', multiple: true },
      'drift-share': { type: 'string' },
      'fail-on-drift': { type: 'boolean' },
      multivariate: { type: 'boolean' },
      timestamp: { type: 'string' },
      window: { type: 'string' },
      chunks: { type: 'string' },
      'explained-variance': { type: 'string' },
      sigmas: { type: 'string' },
      'text-sample': { type: 'string' },
      'classifier-sample': { type: 'string' },
      'embedding-sample': { type: 'string' },
      'ungroup-embedding': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    usage,
  );
  if (positionals.length) throw new LanternError('usage', `Unexpected argument "${positionals[0]}".\n${usage}`);
  if (!values.reference || !values.current) throw new LanternError('usage', `drift needs --reference and --current.\n${usage}`);
  const columns = values.columns
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (values.columns !== undefined && !columns?.length)
    throw new LanternError('usage', `--columns needs at least one column name.\n${usage}`);
  const settings: Record<string, ColumnSetting> = {};
  for (const [col, method] of perColumn(values.method, 'method')) {
    if (!DRIFT_METHODS.includes(method as DriftMethod))
      throw new LanternError('usage', `Unknown method "${method}"; use one of ${DRIFT_METHODS.join(', ')}.`);
    (settings[col] ??= {}).method = method as DriftMethod;
  }
  for (const [col, text] of perColumn(values.threshold, 'threshold')) {
    const threshold = Number(text);
    if (!Number.isFinite(threshold) || threshold < 0)
      throw new LanternError('usage', `Threshold for "${col}" must be a non-negative number, got "${text}".`);
    (settings[col] ??= {}).threshold = threshold;
  }
  let driftShare: number | undefined;
  if (values['drift-share'] !== undefined) {
    driftShare = Number(values['drift-share']);
    if (!(driftShare >= 0 && driftShare <= 1))
      throw new LanternError('usage', `--drift-share must be between 0 and 1, got "${values['drift-share']}".`);
  }

  const profiles = await driftFromProfiles(values.reference, values.current, { columns, perColumn: settings, driftShare });
  if (profiles) {
    io.out(values.json ? JSON.stringify(profileDriftJson(profiles)) : profileDriftText(profiles));
    return values['fail-on-drift'] && profiles.dataset.drifted ? 1 : 0;
  }
  const multivariate = multivariateOptions(values);
  let textSample: number | undefined;
  if (values['text-sample'] !== undefined) {
    textSample = Number(values['text-sample']);
    if (!(Number.isInteger(textSample) && textSample >= 2))
      throw new LanternError('usage', `--text-sample must be a whole number of at least 2, got "${values['text-sample']}".`);
  }
  let embeddingSample: number | undefined;
  if (values['embedding-sample'] !== undefined) {
    embeddingSample = Number(values['embedding-sample']);
    if (!(Number.isInteger(embeddingSample) && embeddingSample >= 2))
      throw new LanternError('usage', `--embedding-sample must be a whole number of at least 2, got "${values['embedding-sample']}".`);
  }

  const db = await openCommandDb({ fresh: true });
  const [refSource, curSource] = [await openInput(db, values.reference), await openInput(db, values.current)];
  await loadDataset(db, nodeParquet, refSource, { table: 'reference' });
  await loadDataset(db, nodeParquet, curSource, { table: 'current' });
  // On DuckDB-WASM (one thread) the numerical statistics run on a second thread while the engine pulls
  // the next batch. Native DuckDB pulls on its own threads, and starting the helper (tsx in a worker)
  // cost more than it saved: 1.18 s vs 0.81 s for two 1.5M-row files (load average ~6).
  const stats = cliEngineKind() === 'wasm' ? nodeStatsThread() : undefined;
  const report = await driftReport(
    db,
    { reference: 'reference', current: 'current' },
    {
      columns,
      perColumn: settings,
      driftShare,
      ...(stats ? { runNumericalBatch: stats.run } : {}),
      ...(values['ungroup-embedding'] ? { ungroupEmbeddings: values['ungroup-embedding'] } : {}),
    },
  ).finally(() => stats?.close());
  // Free text, which the per-column tests leave out, is compared by its descriptors and a domain classifier.
  const textColumns = report.notTested.filter((n) => n.reason === FREE_TEXT_REASON && (!columns || columns.includes(n.name)));
  const texts: TextColumnDrift[] = [];
  for (const { name } of textColumns)
    texts.push(
      await textColumnDrift(
        db,
        { reference: 'reference', current: 'current' },
        name,
        textSample !== undefined ? { sample: textSample } : {},
      ),
    );
  // Embeddings (list columns, numbered columns grouped by prefix) are compared as vectors; one too large
  // to move whole is reported with what to do rather than failing the other columns.
  const embeddings: (EmbeddingColumnDrift | EmbeddingUnavailable)[] = [];
  for (const embedding of report.embeddings) {
    try {
      embeddings.push(
        await embeddingColumnDrift(
          db,
          { reference: 'reference', current: 'current' },
          embedding,
          embeddingSample !== undefined ? { sample: embeddingSample } : {},
        ),
      );
    } catch (error) {
      if (!(error instanceof LanternError) || error.code === 'cancelled') throw error;
      embeddings.push({ embedding, unavailable: error.code === 'too-large' ? `${error.message} (--embedding-sample N)` : error.message });
    }
  }
  if (columns) {
    for (const name of columns)
      if (
        !report.columns.some((c) => c.name === name) &&
        !texts.some((t) => t.column === name) &&
        !report.embeddings.some((e) => e.columns.includes(name))
      ) {
        const reason = report.notTested.find((n) => n.name === name)?.reason ?? 'not testable';
        throw new LanternError('usage', `Column "${name}" cannot be tested for drift: ${reason}.`);
      }
  }
  let together: ReconstructionDrift | null = null;
  let classifier: DomainClassifierDrift | { unavailable: string } | null = null;
  if (multivariate) {
    // The numerical features the report tested (not ids, timestamps or the model's outputs).
    const mvColumns = report.columns
      .filter((c) => c.kind === 'numerical' && !report.outputs.some((o) => o.name === c.name))
      .map((c) => c.name);
    const { classifierSample, ...options } = multivariate;
    together = await reconstructionDrift(db, { reference: 'reference', current: 'current' }, { ...options, columns: mvColumns });
    try {
      classifier = await domainClassifierFor(
        db,
        { reference: 'reference', current: 'current' },
        {
          columns: mvColumns,
          ...(options.time ? { time: options.time } : {}),
          ...(options.chunks !== undefined ? { chunks: options.chunks } : {}),
          ...(classifierSample !== undefined ? { sample: classifierSample } : {}),
        },
      );
    } catch (error) {
      if (!(error instanceof LanternError) || error.code !== 'too-large') throw error;
      classifier = { unavailable: `${error.message} (--classifier-sample ${MAX_CLASSIFIER_ROWS / 2})` };
    }
  }
  if (values.json) {
    const json = driftJson(report);
    io.out(
      JSON.stringify({
        ...json,
        columns: [...json.columns, ...texts.map(textColumnJson), ...embeddings.map(withMmdHint).map(embeddingColumnJson)],
        ...(together
          ? {
              multivariate: {
                ...multivariateJson(together),
                ...(classifier ? { domain_classifier: domainClassifierJson(classifier, together.windowing) } : {}),
              },
            }
          : {}),
      }),
    );
  } else
    io.out(
      [
        driftText(report),
        ...texts.map(textColumnText),
        ...embeddings.map(withMmdHint).map(embeddingColumnText),
        ...(together ? [multivariateText(together)] : []),
        ...(classifier ? [domainClassifierText(classifier)] : []),
      ].join('\n\n'),
    );
  if (values['fail-on-drift'] && report.columns.length === 0) {
    // CI asked whether the data drifted; a run that compared nothing cannot say no.
    io.err(
      `lantern drift: no column could be compared (missing in current: ${report.schema.missingColumns.length}, new: ${report.schema.newColumns.length}, type changed: ${report.schema.typeChanges.length}); failing because of --fail-on-drift.`,
    );
    return 1;
  }
  const textDrift = texts.some((t) => t.classifier?.drifted);
  const embeddingDrift = embeddings.some((e) => !('unavailable' in e) && e.drifted);
  const classifierDrift = classifier !== null && !('unavailable' in classifier) && classifier.drifted;
  return values['fail-on-drift'] && (report.dataset.drifted || together?.drifted || textDrift || embeddingDrift || classifierDrift) ? 1 : 0;
}

/** The MMD's message names the flag that gives it a sample. */
function withMmdHint<T extends EmbeddingColumnDrift | EmbeddingUnavailable>(r: T): T {
  if ('unavailable' in r || !('unavailable' in r.mmd)) return r;
  return { ...r, mmd: { unavailable: `${r.mmd.unavailable} (--embedding-sample ${MMD_MAX_ROWS / 2})` } };
}

/** The multivariate flags, checked before any file is read. */
function multivariateOptions(values: Record<string, string | boolean | string[] | undefined>) {
  const flags = ['timestamp', 'window', 'chunks', 'explained-variance', 'sigmas', 'classifier-sample'].filter(
    (f) => values[f] !== undefined,
  );
  if (!values['multivariate']) {
    if (flags.length) throw new LanternError('usage', `--${flags[0]} applies to --multivariate.\n${usage}`);
    return null;
  }
  const number = (flag: string, ok: (x: number) => boolean, what: string) => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return undefined;
    const x = Number(text);
    if (!ok(x)) throw new LanternError('usage', `--${flag} must be ${what}, got "${text}".`);
    return x;
  };
  const timestamp = values['timestamp'] as string | undefined;
  const window = values['window'] as string | undefined;
  if ((timestamp === undefined) !== (window === undefined))
    throw new LanternError('usage', `--timestamp and --window go together.\n${usage}`);
  if (window !== undefined && !WINDOWS.includes(window as WindowUnit))
    throw new LanternError('usage', `--window must be one of ${WINDOWS.join(', ')}, got "${window}".`);
  if (timestamp !== undefined && values['chunks'] !== undefined)
    throw new LanternError('usage', '--chunks cuts rows without a time column: use it without --timestamp.');
  const explainedVariance = number('explained-variance', (x) => x > 0 && x <= 1, 'above 0 and at most 1');
  const sigmas = number('sigmas', (x) => Number.isFinite(x) && x >= 0, 'a non-negative number');
  const chunks = number('chunks', (x) => Number.isInteger(x) && x >= 1, 'a whole number of at least 1');
  const classifierSample = number('classifier-sample', (x) => Number.isInteger(x) && x >= 10, 'a whole number of at least 10');
  return {
    ...(timestamp !== undefined ? { time: { timestamp, unit: window as WindowUnit } } : {}),
    ...(explainedVariance !== undefined ? { explainedVariance } : {}),
    ...(sigmas !== undefined ? { sigmas } : {}),
    ...(chunks !== undefined ? { chunks } : {}),
    ...(classifierSample !== undefined ? { classifierSample } : {}),
  };
}
