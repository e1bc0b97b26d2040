import { Field, Float64, List, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import type { EmbeddingProjection } from '../../src/lib/multivariate/embeddingDrift';
import { closeTo } from './close';

/** A case of tests/fixtures/multivariate/embeddings.json (scripts/fixtures/embeddings.py). */
export interface EmbeddingCase {
  name: string;
  dims: number;
  reference: number[][];
  current: number[][];
  expected: {
    distance: number;
    gamma: number;
    mmd: number;
    explained: [number, number];
    reference_xy: [number, number][];
    current_xy: [number, number][];
    auc: number;
    test_rows: number;
  };
}

/** Each axis of a projection equals the reference's up to its sign (PCA's signs are arbitrary). */
export function expectProjection(p: EmbeddingProjection, e: EmbeddingCase['expected'], tolerance: number): void {
  for (const axis of [0, 1] as const) {
    const key = axis === 0 ? 'x' : 'y';
    const sign = Math.sign(p.reference[key][0]!) === Math.sign(e.reference_xy[0]![axis]) ? 1 : -1;
    e.reference_xy.forEach((xy, i) => closeTo(sign * p.reference[key][i]!, xy[axis], 0, tolerance));
    e.current_xy.forEach((xy, i) => closeTo(sign * p.current[key][i]!, xy[axis], 0, tolerance));
  }
}

/** The vectors as 24 numbered columns `emb_0..` beside a `reading` feature (the first number scaled), in CSV. */
export function prefixCsv(rows: number[][]): string {
  const dims = rows[0]!.length;
  const header = ['reading', ...Array.from({ length: dims }, (_, j) => `emb_${j}`)].join(',');
  return [header, ...rows.map((r) => [Math.round(r[0]! * 1000), ...r].join(','))].join('\n') + '\n';
}

/** The vectors as a list column `vec` beside the same `reading` feature, in Parquet (parquet-wasm). */
export function listParquet(rows: number[][]): Uint8Array {
  const vec = vectorFromArray(
    rows.map((r) => Float64Array.from(r)),
    new List(new Field('item', new Float64(), true)),
  );
  const reading = vectorFromArray(Float64Array.from(rows, (r) => Math.round(r[0]! * 1000)));
  const table = new Table({ reading, vec });
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')));
}
