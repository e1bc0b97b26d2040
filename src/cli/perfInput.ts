import { nodeParquet } from '../engine/node';
import { openCommandDb, openInput } from './engine';
import type { Db } from '../lib/db';
import { LanternError } from '../lib/errors';
import { loadDataset } from '../lib/ingest';
import type { PerfSetup } from '../lib/metrics/setup';
import type { PerfSpec, Task } from '../lib/metrics/spec';
import { openPerformance, type PerformanceSession } from '../lib/usecases/performance';

/** The role flags shared by `metrics` and `slices`. */
export const ROLE_OPTIONS = {
  data: { type: 'string' },
  labels: { type: 'string' },
  reference: { type: 'string' },
  id: { type: 'string' },
  label: { type: 'string' },
  score: { type: 'string' },
  prediction: { type: 'string' },
  timestamp: { type: 'string' },
  task: { type: 'string' },
  positive: { type: 'string' },
  threshold: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export const ROLE_USAGE =
  '--data <file> [--labels <file>] [--id <col>] [--label <col>] [--score <col>] [--prediction <col>]\n' +
  '       [--timestamp <col>] [--reference <file>] [--task binary|multiclass|regression] [--positive <class>] [--threshold <t>] [--json]';

type RoleValues = { [K in keyof typeof ROLE_OPTIONS]?: (typeof ROLE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export interface PerfInput extends PerfSetup {
  db: Db;
  /** The same session the app's Performance view opens over these files. */
  session: PerformanceSession;
  /** The reference data as a spec over the same columns, when --reference is given. */
  reference?: PerfSpec;
}

const TASKS: Task[] = ['binary', 'multiclass', 'regression'];

/** Loads --data (and --labels, --reference), joins labels and infers what was left out. */
export async function loadPerfInput(values: RoleValues, usage: string): Promise<PerfInput> {
  if (!values.data) throw new LanternError('usage', `--data <file> is required.\n${usage}`);
  if (values.task !== undefined && !TASKS.includes(values.task as Task))
    throw new LanternError('usage', `--task must be one of ${TASKS.join(', ')}.\n${usage}`);
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!Number.isFinite(threshold)) throw new LanternError('usage', `--threshold must be a number, not "${values.threshold}".`);
  }
  const db = await openCommandDb({ fresh: true });
  await loadDataset(db, nodeParquet, await openInput(db, values.data), { table: 'data' });
  if (values.labels) await loadDataset(db, nodeParquet, await openInput(db, values.labels), { table: 'labels' });
  if (values.reference) await loadDataset(db, nodeParquet, await openInput(db, values.reference), { table: 'reference' });
  const session = await openPerformance(
    { db },
    {
      data: 'data',
      labels: values.labels ? 'labels' : undefined,
      reference: values.reference ? 'reference' : undefined,
      out: 'perf',
      choices: {
        id: values.id,
        label: values.label,
        score: values.score,
        prediction: values.prediction,
        timestamp: values.timestamp,
        task: values.task as Task | undefined,
        positive: values.positive,
        threshold,
      },
    },
  );
  const problem = session.summary.referenceProblem;
  if (problem) throw new LanternError('usage', problem.replace('The reference', 'The reference file'));
  return { db, session, ...session.setup, ...(session.reference ? { reference: session.reference } : {}) };
}

/** Numbers for text output: 4 significant decimals, "undefined" for null. */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'undefined';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toPrecision(4);
}
