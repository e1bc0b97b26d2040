/**
 * The multivariate drift as the CLI prints it: JSON for machines (snake_case, windows with their start as
 * an ISO date for calendar windows or the chunk's number) and lines of text for people.
 */
import type { DriftWindow, ReconstructionDrift } from './reconstructionDrift';
import type { TextColumnDrift } from './textColumn';
import type { DomainClassifierDrift } from './domainClassifier';
import type { EmbeddingColumn } from './embeddingColumns';
import type { EmbeddingColumnDrift } from './embeddingVectors';

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export interface MultivariateJson {
  method: 'pca_reconstruction';
  columns: string[];
  dropped: { name: string; reason: string }[];
  components: number;
  explained_variance: number;
  explained_by_components: number;
  reference_rows: number;
  current_rows: number;
  reference_error: number | null;
  current_error: number | null;
  threshold: { lower: number; upper: number; sigmas: number } | null;
  threshold_note: string | null;
  drifted: boolean;
  windowing: 'calendar' | 'chunks';
  window: string | null;
  reference_windows: { start: string | number; rows: number; error: number | null; drifted: boolean }[];
  windows: { start: string | number; rows: number; error: number | null; drifted: boolean }[];
}

export function multivariateJson(r: ReconstructionDrift): MultivariateJson {
  const window = (w: DriftWindow) => ({
    start: r.windowing === 'calendar' ? new Date(w.start).toISOString() : w.start,
    rows: w.rows,
    error: finite(w.error),
    drifted: w.drifted,
  });
  return {
    method: r.method,
    columns: r.columns,
    dropped: r.dropped,
    components: r.components,
    explained_variance: r.explainedVariance,
    explained_by_components: r.explainedByComponents,
    reference_rows: r.reference.rows,
    current_rows: r.current.rows,
    reference_error: finite(r.reference.error),
    current_error: finite(r.current.error),
    threshold: r.threshold ? { lower: r.threshold.lower, upper: r.threshold.upper, sigmas: r.threshold.sigmas } : null,
    threshold_note: r.thresholdNote,
    drifted: r.drifted,
    windowing: r.windowing,
    window: r.unit,
    reference_windows: r.reference.windows.map(window),
    windows: r.current.windows.map(window),
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');

export function multivariateText(r: ReconstructionDrift): string {
  const lines = [
    `Multivariate drift (PCA reconstruction error): ${r.drifted ? 'YES' : 'no'}`,
    `  ${r.components} of ${r.columns.length} components kept (${(100 * r.explainedByComponents).toFixed(1)}% of the reference's variance): ${r.columns.join(', ')}`,
    `  mean error: reference ${fmt(r.reference.error)}, current ${fmt(r.current.error)}`,
    r.threshold
      ? `  threshold: ${fmt(r.threshold.lower)} to ${fmt(r.threshold.upper)} (reference ${r.windowing === 'calendar' ? `${r.unit} windows` : 'chunks'}, mean ± ${r.threshold.sigmas} sd)`
      : `  threshold: none (${r.thresholdNote ?? 'no reference windows'})`,
  ];
  for (const d of r.dropped) lines.push(`  left out: ${d.name} (${d.reason})`);
  for (const w of r.current.windows) {
    const label = r.windowing === 'calendar' ? new Date(w.start).toISOString().slice(0, 10) : `chunk ${w.start}`;
    lines.push(`  ${label.padEnd(10)}  error ${fmt(w.error)}  rows ${w.rows}${w.drifted ? '  DRIFT' : ''}`);
  }
  return lines.join('\n');
}

/** A text column as an entry of the drift JSON's `columns` (`kind: "text"`), Evidently's text drift. */
export function textColumnJson(r: TextColumnDrift) {
  const c = r.classifier;
  return {
    name: r.column,
    kind: 'text' as const,
    method: 'text_domain_classifier',
    score: c ? finite(c.auc) : null,
    threshold: c ? c.threshold : null,
    drifted: c?.drifted ?? false,
    stats: {
      reference_texts: r.referenceRows,
      current_texts: r.currentRows,
      sampled: r.sampled,
      threshold_rule: c?.thresholdRule ?? null,
      classifier_note: r.classifierNote,
      vocabulary: c?.vocabulary ?? null,
      current_words: c?.currentWords.map((w) => w.word) ?? [],
      reference_words: c?.referenceWords.map((w) => w.word) ?? [],
      descriptors: Object.fromEntries(
        r.descriptors.map((d) => [
          d.name,
          {
            method: d.drift.method,
            score: d.drift.score === null ? null : finite(d.drift.score),
            threshold: d.drift.threshold,
            drifted: d.drift.drifted,
          },
        ]),
      ),
    },
  };
}

export function textColumnText(r: TextColumnDrift): string {
  const c = r.classifier;
  const lines = [
    `Text column ${r.column}: ${c ? `${c.drifted ? 'DRIFT' : 'no drift'} (domain classifier ROC AUC ${fmt(c.auc)}, threshold ${fmt(c.threshold)})` : `no classifier (${r.classifierNote ?? ''})`}${r.sampled ? `, ${r.sampled} texts a side sampled` : ''}`,
  ];
  if (c?.currentWords.length) lines.push(`  words of the current data: ${c.currentWords.map((w) => w.word).join(', ')}`);
  if (c?.referenceWords.length) lines.push(`  words of the reference: ${c.referenceWords.map((w) => w.word).join(', ')}`);
  for (const d of r.descriptors)
    lines.push(
      `  ${d.name.padEnd(16)}  ${d.drift.method.padEnd(12)}  ${d.drift.score === null ? '-' : fmt(d.drift.score)}  ${d.drift.drifted ? 'DRIFT' : 'ok'}`,
    );
  return lines.join('\n');
}

/** The domain classifier inside the multivariate JSON (`domain_classifier`), or why it did not run. */
export function domainClassifierJson(r: DomainClassifierDrift | { unavailable: string }, windowing: 'calendar' | 'chunks') {
  if ('unavailable' in r) return { unavailable: r.unavailable };
  return {
    auc: finite(r.auc),
    threshold: r.threshold,
    drifted: r.drifted,
    folds: r.folds,
    seed: r.seed,
    reference_rows: r.referenceRows,
    current_rows: r.currentRows,
    sampled: r.sampled,
    features: r.features.map((f) => ({ name: f.name, importance: f.importance })),
    windows: r.windows.map((w) => ({
      start: windowing === 'calendar' ? new Date(w.start).toISOString() : w.start,
      rows: w.rows,
      auc: finite(w.auc),
      drifted: w.drifted,
    })),
  };
}

export function domainClassifierText(r: DomainClassifierDrift | { unavailable: string }): string {
  if ('unavailable' in r) return `Domain classifier: not run (${r.unavailable})`;
  const top = r.features
    .slice(0, 5)
    .map((f) => `${f.name} ${(100 * f.importance).toFixed(1)}%`)
    .join(', ');
  return `Domain classifier: ${r.drifted ? 'YES' : 'no'} (cross-validated ROC AUC ${fmt(r.auc)}, threshold ${r.threshold}${r.sampled ? `, ${r.sampled} rows a side sampled` : ''}); separating most: ${top}`;
}

/** An embedding as an entry of the drift JSON's `columns` (`kind: "embedding"`): Evidently's verdict first. */
export function embeddingColumnJson(r: EmbeddingColumnDrift | EmbeddingUnavailable) {
  const e = r.embedding;
  const base = { name: e.name, kind: 'embedding' as const, method: 'embedding_domain_classifier' };
  const about = { source: e.source, columns: e.columns, dims: e.dims };
  if ('unavailable' in r) return { ...base, score: null, threshold: null, drifted: false, stats: { ...about, unavailable: r.unavailable } };
  const model = r.model;
  return {
    ...base,
    score: 'unavailable' in model ? null : finite(model.auc),
    threshold: 'unavailable' in model ? null : model.threshold,
    drifted: r.drifted,
    stats: {
      ...about,
      reference_vectors: r.referenceRows,
      current_vectors: r.currentRows,
      sampled: r.sampled,
      skipped: r.skipped,
      domain_classifier:
        'unavailable' in model
          ? { unavailable: model.unavailable }
          : {
              auc: finite(model.auc),
              threshold: model.threshold,
              threshold_rule: model.thresholdRule,
              drifted: model.drifted,
              train_rows: model.trainRows,
              test_rows: model.testRows,
            },
      distance: { value: finite(r.distance.value), threshold: r.distance.threshold, drifted: r.distance.drifted },
      mmd:
        'unavailable' in r.mmd
          ? { unavailable: r.mmd.unavailable }
          : {
              value: r.mmd.value,
              p_value: r.mmd.pValue,
              permutations: r.mmd.permutations,
              gamma: r.mmd.gamma,
              threshold: r.mmd.threshold,
              drifted: r.mmd.drifted,
            },
      projection_explained: 'unavailable' in r.projection ? null : r.projection.explained,
    },
  };
}

/** An embedding that could not be compared, and why. */
export interface EmbeddingUnavailable {
  embedding: EmbeddingColumn;
  unavailable: string;
}

export function embeddingColumnText(r: EmbeddingColumnDrift | EmbeddingUnavailable): string {
  const e = r.embedding;
  const what =
    e.source === 'prefix'
      ? `${e.columns.length} numbered columns ${e.columns[0]}..${e.columns[e.columns.length - 1]}`
      : `${e.source} column`;
  if ('unavailable' in r) return `Embedding ${e.name} (${what}): not compared (${r.unavailable})`;
  const m = r.model;
  const lines = [
    `Embedding ${e.name} (${what}, ${r.dims} numbers): ${r.drifted ? 'DRIFT' : 'no drift'}, ${r.referenceRows} reference and ${r.currentRows} current vectors${r.sampled ? `, ${r.sampled} a side sampled` : ''}`,
    'unavailable' in m
      ? `  domain classifier: not trained (${m.unavailable})`
      : `  domain classifier  ROC AUC ${fmt(m.auc)}  threshold ${fmt(m.threshold)}  ${m.drifted ? 'DRIFT' : 'ok'}`,
    `  distance           ${fmt(r.distance.value)}  threshold ${fmt(r.distance.threshold)}  ${r.distance.drifted ? 'DRIFT' : 'ok'}`,
    'unavailable' in r.mmd
      ? `  MMD: not computed (${r.mmd.unavailable})`
      : `  MMD^2              ${fmt(r.mmd.value)}  p ${fmt(r.mmd.pValue)} (${r.mmd.permutations} permutations)  ${r.mmd.drifted ? 'DRIFT' : 'ok'}`,
  ];
  if (r.skipped.reference + r.skipped.current)
    lines.push(`  left out: ${r.skipped.reference} reference and ${r.skipped.current} current rows without a whole vector`);
  return lines.join('\n');
}
