import { readFileSync } from 'node:fs';
import type { Finding, Investigation } from '../../src/lib/findings/types';
import { parseModel } from '../../src/lib/model/load';
import { inferSetup } from '../../src/lib/setup/infer';
import { investigate } from '../../src/lib/usecases/investigate';
import { testDb } from './db';
import { loadPlanted, plantedPath, plantedScenario, type PlantedBug, type PlantedName } from './planted';

/** Bugs a performance finding (or a failing slice) is the right lead to. */
const PERFORMANCE_BUGS = new Set(['concept-drift', 'failure-slice', 'score-saturation', 'label-noise']);

/** The planted bug's place, as a finding names it: column, segment and window (a window unit of slack at the start). */
export function matches(f: Finding, bug: PlantedBug, unitDays: number): boolean {
  const performanceBug = PERFORMANCE_BUGS.has(bug.kind);
  const column = performanceBug ? f.kind === 'performance' || f.kind === 'failing-slice' : bug.columns.some((c) => f.columns.includes(c));
  if (!column) return false;
  const segment = bug.segment.every((b) => f.segment.some((s) => s.column === b.column && s.value === b.value));
  const extra = f.segment.filter((s) => !bug.segment.some((b) => b.column === s.column && b.value === s.value));
  if (!segment || extra.length > 0) return false;
  if (!bug.window) return f.window === null;
  if (!f.window) return false;
  const day = 86_400_000;
  const start = Date.parse(f.window.start);
  const end = Date.parse(f.window.end);
  const bugStart = Date.parse(bug.window.start);
  const bugEnd = Date.parse(bug.window.end);
  return start < bugEnd && end > bugStart && Math.abs(start - bugStart) <= unitDays * day;
}

const UNIT_DAYS = { hour: 1 / 24, day: 1, week: 7, month: 31 } as const;

/** Each scenario's files are loaded once per test file: the runs with and without its model read the same tables. */
const loaded = new Map<PlantedName, ReturnType<typeof loadSetup>>();

async function loadSetup(name: PlantedName) {
  const db = await testDb();
  const { tables } = await loadPlanted(db, name, `inv_${name.replaceAll('-', '_')}`);
  return inferSetup(db, tables);
}

/** `withoutTime`: as if the log had no time column (the user unmarked it). */
export async function investigatePlanted(name: PlantedName, withModel: boolean, withoutTime = false): Promise<Investigation> {
  const db = await testDb();
  if (!loaded.has(name)) loaded.set(name, loadSetup(name));
  const setup = { ...(await loaded.get(name)!), ...(withoutTime ? { timestamp: null } : {}) };
  const modelFile = plantedScenario(name).files.find((f) => f.role === 'model')!.file;
  const model = withModel ? parseModel(new Uint8Array(readFileSync(plantedPath(name, modelFile))), modelFile) : undefined;
  return investigate({ db }, { setup, model, modelName: modelFile });
}

export function found(inv: Investigation, bug: PlantedBug): { finding: Finding; rank: number } | null {
  // Yearly and quarterly windows are reported as months; a window of slack is the investigation's unit.
  const unit = UNIT_DAYS[inv.windowUnit ?? 'month'] * (inv.windowUnit === 'month' ? 12 : 1);
  const rank = inv.findings.findIndex((f) => matches(f, bug, unit));
  return rank < 0 ? null : { finding: inv.findings[rank]!, rank: rank + 1 };
}
