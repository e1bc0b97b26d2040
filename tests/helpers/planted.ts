import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeParquet, PathSource } from '../../src/engine/node';
import type { Db } from '../../src/lib/db';
import { loadDataset } from '../../src/lib/ingest';

/** The planted-bug scenarios made from real public data by scripts/planted/generate.py. */
export const PLANTED = ['flights-late', 'flights-delay-minutes', 'birdstrikes-damage'] as const;
/** A second set, made by scripts/planted2 with kinds of bugs the first set has not (tests/fixtures/planted2). */
export const PLANTED2 = ['biopsy-triage', 'football-result', 'movies-rating', 'rand-visits'] as const;
export type PlantedName = (typeof PLANTED)[number] | (typeof PLANTED2)[number];

export interface PlantedFile {
  file: string;
  role: 'reference' | 'current' | 'labels' | 'model';
  rows: number;
  columns: string[];
}

export interface PlantedScenario {
  scenario: PlantedName;
  task: 'binary' | 'multiclass' | 'regression';
  positive_class?: string;
  files: PlantedFile[];
  join_id: string;
  timestamp: string;
  label: string;
  score?: string | null;
  prediction?: string | null;
  roles: Record<string, string>;
  features: string[];
}

export interface PlantedBug {
  id: string;
  kind: string;
  columns: string[];
  segment: { column: string; value: string }[];
  window: { start: string; end: string } | null;
  description: string;
  [evidence: string]: unknown;
}

export interface PlantedTruth {
  bugs: PlantedBug[];
  [rest: string]: unknown;
}

export function plantedPath(name: PlantedName, file: string): string {
  const folder = (PLANTED2 as readonly string[]).includes(name) ? 'planted2' : 'planted';
  return fileURLToPath(new URL(`../fixtures/${folder}/${name}/${file}`, import.meta.url));
}

export function plantedScenario(name: PlantedName): PlantedScenario {
  return JSON.parse(readFileSync(plantedPath(name, 'scenario.json'), 'utf8')) as PlantedScenario;
}

export function plantedTruth(name: PlantedName): PlantedTruth {
  return JSON.parse(readFileSync(plantedPath(name, 'truth.json'), 'utf8')) as PlantedTruth;
}

/**
 * Loads a scenario's data files the way a user drops them together - in the order given (default: labels
 * first, then the log, then the training data, so that nothing depends on the order of the scenario file)
 * - into tables `${prefix}_1`, `${prefix}_2`...; returns each file's table by its role.
 */
export async function loadPlanted(
  db: Db,
  name: PlantedName,
  prefix: string,
  order: PlantedFile['role'][] = ['labels', 'current', 'reference'],
): Promise<{ tables: { table: string; name: string; role: PlantedFile['role'] }[]; scenario: PlantedScenario }> {
  const scenario = plantedScenario(name);
  const tables: { table: string; name: string; role: PlantedFile['role'] }[] = [];
  for (const role of order) {
    const file = scenario.files.find((f) => f.role === role);
    if (!file) continue;
    const table = `${prefix}_${tables.length + 1}`;
    const loaded = await loadDataset(db, nodeParquet, await PathSource.open(plantedPath(name, file.file)), { table });
    tables.push({ table, name: loaded.name, role });
  }
  return { tables, scenario };
}
