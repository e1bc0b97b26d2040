import { readFile } from 'node:fs/promises';
import { nodeParquet } from '../engine/node';
import { openCommandDb, openInput } from './engine';
import type { Db } from '../lib/db';
import { LanternError } from '../lib/errors';
import { loadDataset } from '../lib/ingest';
import type { CheckTables } from '../lib/checks/inputs';
import { parseSuite, type Suite } from '../lib/checks/suite';
import type { TreeEnsemble } from '../lib/model/ensemble';
import { parseModel } from '../lib/model/load';

/** Flags shared by `check` and `report`. */
export const DATA_OPTIONS = {
  suite: { type: 'string' },
  reference: { type: 'string' },
  current: { type: 'string' },
  labels: { type: 'string' },
  model: { type: 'string' },
} as const;

export async function readSuiteFile(path: string): Promise<Suite> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LanternError('not-found', `Cannot read the suite "${path}": no such file.`);
  }
  return parseSuite(text, `The suite "${path}"`);
}

/**
 * Opens every input file before anything is loaded, so a typo in the last path fails fast (exit 2), then
 * loads reference, current and labels into tables named after their part.
 */
export async function readModelFile(path: string): Promise<TreeEnsemble> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch {
    throw new LanternError('not-found', `Cannot read model "${path}": no such file.`);
  }
  return parseModel(bytes, path.split(/[\\/]/).pop() ?? path);
}

export async function loadCheckData(values: {
  reference?: string;
  current?: string;
  labels?: string;
  model?: string;
}): Promise<{ db: Db; tables: CheckTables; model?: TreeEnsemble }> {
  const db = await openCommandDb();
  const sources = {
    reference: await openInput(db, values.reference!),
    current: await openInput(db, values.current!),
    labels: values.labels ? await openInput(db, values.labels) : undefined,
  };
  const model = values.model ? await readModelFile(values.model) : undefined;
  await loadDataset(db, nodeParquet, sources.reference, { table: 'reference' });
  await loadDataset(db, nodeParquet, sources.current, { table: 'current' });
  if (sources.labels) await loadDataset(db, nodeParquet, sources.labels, { table: 'labels' });
  return {
    db,
    tables: { reference: 'reference', current: 'current', ...(sources.labels ? { labels: 'labels' } : {}) },
    ...(model ? { model } : {}),
  };
}
