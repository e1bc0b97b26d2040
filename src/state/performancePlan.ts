import type { Setup } from '../client/engine';
import type { PerfChoices } from '../lib/metrics/setup';
import type { PerfSpec } from '../lib/metrics/spec';
import { missingInput, type AppMessage } from './appMessages';
import type { Dataset } from './dataset.svelte';

/** Which loaded datasets play which part: the prediction log, a label file, a reference with labels. */
export interface PerfSources {
  data: Dataset;
  labels?: Dataset;
  reference?: Dataset;
}

/** What a performance analysis runs on, from the workspace's setup: its datasets and its columns. */
export type PerfPlan = { sources: PerfSources; choices: PerfChoices } | { problem: AppMessage };

/**
 * The performance analysis the setup calls for: the log, the labels file and the reference it names, and
 * the label, outputs, id and time it inferred (or the user set) - so that the Performance view reads the
 * same roles as every other view. Without a label or a model output, what to do in the app instead.
 */
export function planFromSetup(setup: Setup, datasets: readonly Dataset[]): PerfPlan {
  const byTable = (t: string | null | undefined) => datasets.find((d) => d.table === t);
  const data = byTable(setup.current);
  if (!data) return { problem: { text: 'Drop the production log (the predictions the model made) to measure the model.' } };
  if (!setup.label) return { problem: missingInput('label', 'No labels yet.') };
  if (!setup.score && !setup.prediction && data.columnsWithRole('score').length === 0)
    return { problem: missingInput('score-or-prediction', 'No model output found in the log.') };
  const labels = setup.labels ? byTable(setup.labels) : undefined;
  // The label lives in the labels file, or in the log itself; a label only the training data has cannot be measured on the log.
  if (!labels && setup.label.table !== data.table) return { problem: missingInput('label', 'No labels for the log yet.') };
  const reference = byTable(setup.reference);
  const refOk =
    reference && reference.roles[setup.label.column] === 'label' && [setup.score, setup.prediction].some((c) => c && c in reference.roles);
  const choices: PerfChoices = {
    label: setup.label.column,
    ...(setup.join ? { id: setup.join.log } : {}),
    ...(setup.score ? { score: setup.score } : {}),
    ...(setup.prediction ? { prediction: setup.prediction } : {}),
    ...(setup.timestamp ? { timestamp: setup.timestamp } : {}),
    // Columns the setup does not name keep the roles shown in the Data view, never a guess from their names.
    roles: { data: { ...data.roles }, ...(labels ? { labels: { ...labels.roles } } : {}) },
  };
  return { sources: { data, ...(labels ? { labels } : {}), ...(refOk ? { reference } : {}) }, choices };
}

/**
 * Whether a running analysis already is what the plan asks for: the same datasets, and - once prepared -
 * the same label, score and time (the task, positive class and threshold the user chose are kept).
 */
export function runsPlan(
  running: { sources: PerfSources; spec: Pick<PerfSpec, 'label' | 'score' | 'timestamp'> | null },
  plan: { sources: PerfSources; choices: PerfChoices },
): boolean {
  const tables = (s: PerfSources) => [s.data.table, s.labels?.table ?? null, s.reference?.table ?? null].join('|');
  if (tables(running.sources) !== tables(plan.sources)) return false;
  const spec = running.spec;
  if (!spec) return true;
  const c = plan.choices;
  return spec.label === c.label && (spec.timestamp ?? undefined) === c.timestamp && (c.score ? spec.score === c.score : !spec.score);
}
