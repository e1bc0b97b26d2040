import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../../src/lib/model/load';
import type { TreeEnsemble } from '../../src/lib/model/ensemble';

export const SHAP_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'shap');

export interface XgbCase {
  model: string;
  features?: string[];
  rows: (number | null)[][];
  margin?: number[] | number[][];
  pred?: number[] | number[][];
  contribs: number[][] | number[][][];
  background?: (number | null)[][];
  expected_value?: number;
  values?: number[][];
}

export function readCase(name: string): XgbCase {
  return JSON.parse(readFileSync(join(SHAP_FIXTURES, `${name}.cases.json`), 'utf8')) as XgbCase;
}

export function fixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(SHAP_FIXTURES, file)));
}

export function loadFixtureModel(file: string): TreeEnsemble {
  return parseModel(fixtureBytes(file), file);
}

/** Row-major Float64Array with null as NaN. */
export function toMatrix(rows: (number | null)[][]): Float64Array {
  const width = rows[0]?.length ?? 0;
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, r) => row.forEach((v, f) => (out[r * width + f] = v === null ? NaN : v)));
  return out;
}
