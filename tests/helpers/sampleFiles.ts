import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';

/**
 * The same small table in every format Lantern reads, plus the bad inputs the loaders must refuse.
 * Built in code so each format is produced by its own well-kept writer (Arrow JS, parquet-wasm, zlib).
 */
export const SAMPLE_ROWS = 5;
const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
const amounts = [10.5, 20.25, 3, 47.75, 8];
const segments = ['north', 'south', 'north', 'east', 'west'];

export function sampleCsv(delimiter = ','): string {
  const lines = [['prediction_id', 'amount', 'segment'].join(delimiter)];
  for (let i = 0; i < SAMPLE_ROWS; i++) lines.push([ids[i], amounts[i], segments[i]].join(delimiter));
  return lines.join('\n') + '\n';
}

function sampleArrow() {
  return tableFromArrays({ prediction_id: ids, amount: Float64Array.from(amounts), segment: segments });
}

export function goodFiles(): { name: string; bytes: Uint8Array; format: string }[] {
  const objects = ids.map((id, i) => ({ prediction_id: id, amount: amounts[i], segment: segments[i] }));
  const stream = tableToIPC(sampleArrow(), 'stream');
  return [
    { name: 'sample.csv', bytes: Buffer.from(sampleCsv()), format: 'csv' },
    { name: 'sample.tsv', bytes: Buffer.from(sampleCsv('\t')), format: 'csv' },
    { name: 'sample.csv.gz', bytes: gzipSync(Buffer.from(sampleCsv())), format: 'csv' },
    { name: 'sample.parquet', bytes: writeParquet(WasmTable.fromIPCStream(stream)), format: 'parquet' },
    { name: 'sample.json', bytes: Buffer.from(JSON.stringify(objects)), format: 'json' },
    { name: 'sample.ndjson', bytes: Buffer.from(objects.map((o) => JSON.stringify(o)).join('\n') + '\n'), format: 'json' },
    { name: 'sample.arrow', bytes: tableToIPC(sampleArrow(), 'file'), format: 'arrow' },
    { name: 'sample.arrows', bytes: stream, format: 'arrow' },
  ];
}

export function badFiles(): { name: string; bytes: Uint8Array; message: RegExp }[] {
  const parquet = goodFiles().find((f) => f.name === 'sample.parquet')!.bytes;
  return [
    { name: 'empty.csv', bytes: new Uint8Array(0), message: /is empty/ },
    { name: 'header-only.csv', bytes: Buffer.from('a,b,c\n'), message: /no data rows/ },
    { name: 'ragged.csv', bytes: Buffer.from('a,b,c\n1,2,3\n4,5,6,7\n'), message: /different number of fields/ },
    { name: 'binary.csv', bytes: Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 256), message: /binary file/ },
    { name: 'truncated.parquet', bytes: parquet.subarray(0, Math.floor(parquet.length / 2)), message: /truncated or corrupt/ },
    { name: 'invalid.json', bytes: Buffer.from('[{"a": 1}, {"a": '), message: /not valid JSON/ },
  ];
}
