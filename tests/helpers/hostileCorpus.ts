import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { fixtureBytes } from './shapFixtures';

/**
 * A corpus of hostile and malformed inputs, written by code (each format by its own writer: Arrow JS,
 * parquet-wasm, zlib) so that it is small, reproducible and needs nothing committed. Each case is one or
 * more files and the CLI runs over them, with what must happen: a refusal (exit 2, a message naming the
 * problem, no internal name, no stack) or a correct result, checked against what the file was written to
 * hold. `scripts/hostile/corpus.ts` writes the same files to a folder for trying by hand or in the app.
 */
export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
}

export type Expect =
  /** Exit 2, nothing on stdout, stderr matching. */
  | { refuse: RegExp }
  /** `inspect --json`: the rows and columns the file holds. */
  | { rows: number; columns?: string[] }
  /** Exit code and a check of stdout (JSON is parsed when it parses). */
  | { code: number; check: (out: string, err: string) => void };

export interface CorpusCase {
  name: string;
  /** What the case is about, for the failure message and the list the script prints. */
  kind: string;
  files: CorpusFile[];
  /** CLI arguments; `{0}`, `{1}`, ... are the paths of `files`. Defaults to `inspect {0} --json`. */
  argv?: string[];
  expect: Expect;
  /** Dropped into the app by the e2e test (a representative subset). */
  inApp?: boolean;
}

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const file = (name: string, content: string | Uint8Array): CorpusFile => ({
  name,
  bytes: typeof content === 'string' ? text(content) : content,
});
const one = (name: string, kind: string, f: CorpusFile, expect: Expect, inApp = false): CorpusCase => ({
  name,
  kind,
  files: [f],
  expect,
  inApp,
});

/** A small well-formed table, 6 rows, in every format. */
const IDS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
const XS = [1.5, 2.5, -3, 4.25, 0, 1e6];
const csv = `id,x,seg\n${IDS.map((id, i) => `${id},${XS[i]},${i % 2 ? 'north' : 'south'}`).join('\n')}\n`;
const arrowTable = () => tableFromArrays({ id: IDS, x: Float64Array.from(XS) });
const parquetBytes = () => writeParquet(WasmTable.fromIPCStream(tableToIPC(arrowTable(), 'stream')));

/** Gzip stream of `data` flushed at a line end, with no final block and no trailer: a cut download. */
function gzipCutAtLineEnd(data: string): Uint8Array {
  const full = gzipSync(Buffer.from(data));
  // Compress the first half of the lines with a sync flush: the bytes a reader has when a download stops.
  const half = data.slice(0, data.indexOf('\n', data.length / 2) + 1);
  const body = deflateRawSync(Buffer.from(half), { finishFlush: constants.Z_SYNC_FLUSH });
  return new Uint8Array(Buffer.concat([full.subarray(0, 10), body]));
}

function longCsv(rows: number): string {
  const lines = ['id,a,b'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${i % 7},${(i * 0.5).toFixed(1)}`);
  return lines.join('\n') + '\n';
}

function nested(depth: number): string {
  return `[{"id":1,"deep":${'['.repeat(depth)}1${']'.repeat(depth)}}]`;
}

const NO_INTERNALS =
  /__source|__loading|__json|fieldsLength|Cannot read properties|Maximum call stack|\n\s+at |Error: |Parser Error|Binder Error|Invalid Input Error|Conversion Error|CREATE TABLE|unexpected error/;
export const INTERNAL_NAMES = NO_INTERNALS;

/** The corpus: 80+ cases. */
export function hostileCorpus(): CorpusCase[] {
  const parquet = parquetBytes();
  const arrowFile = tableToIPC(arrowTable(), 'file');
  const arrowStream = tableToIPC(arrowTable(), 'stream');
  const gz = gzipSync(Buffer.from(longCsv(3000)));
  const xgb = new TextDecoder().decode(fixtureBytes('binary.json'));
  const lgb = new TextDecoder().decode(fixtureBytes('lightgbm_hand.txt'));
  const xgbDoc = () => JSON.parse(xgb);
  const xgbDamaged = (change: (tree: Record<string, unknown[]>) => void) => {
    const doc = xgbDoc();
    change(doc.learner.gradient_booster.model.trees[0]);
    return JSON.stringify(doc);
  };
  const modelRows = new TextDecoder().decode(fixtureBytes('binary.rows.csv'));
  const cases: CorpusCase[] = [];
  const add = (...c: CorpusCase[]) => cases.push(...c);

  // --- empty and not-a-table
  add(
    one('empty.csv', 'empty', file('empty.csv', ''), { refuse: /"empty\.csv" is empty/ }, true),
    one('spaces.csv', 'empty', file('spaces.csv', '   \n\n  \t\n'), { refuse: /holds only whitespace/ }),
    one('header-only.csv', 'empty', file('header-only.csv', 'a,b,c\n'), { refuse: /no data rows/ }),
    one('empty.json', 'empty', file('empty.json', '[]'), { refuse: /empty array: no data rows/ }),
    one('empty-objects.ndjson', 'empty', file('empty-objects.ndjson', '\n\n'), { refuse: /holds only whitespace|no JSON objects/ }),
    one('number.json', 'not a table', file('number.json', '42'), { refuse: /not valid JSON/ }),
    one('string.json', 'not a table', file('string.json', '"hello"'), { refuse: /not valid JSON/ }),
    one('numbers.json', 'not a table', file('numbers.json', '[1,2,3]'), {
      refuse: /element 1 is not an object|expected an array of objects/,
    }),
    one('arrays.ndjson', 'not a table', file('arrays.ndjson', '{"a":1}\n[1,2]\n'), {
      refuse: /line 2 is not a JSON object|a line is not a JSON object/,
    }),
    one('object.json', 'not a table', file('object.json', '{"a":1,"b":{"c":2}}'), { rows: 1, columns: ['a', 'b'] }),
  );

  // --- binary and encodings
  add(
    one(
      'binary.csv',
      'binary',
      file(
        'binary.csv',
        Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256),
      ),
      { refuse: /binary file/ },
      true,
    ),
    one('nul-byte.csv', 'binary', file('nul-byte.csv', 'a,b\n1,x\u0000y\n'), { refuse: /binary file/ }),
    one('png.csv', 'binary', file('png.csv', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), {
      refuse: /binary file/,
    }),
    one('zip.csv', 'binary', file('zip.csv', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 1, 2, 3])), {
      refuse: /binary file/,
    }),
    one('utf16.csv', 'encoding', file('utf16.csv', Uint8Array.from(Buffer.from('\ufeffa,b\n1,2\n', 'utf16le'))), {
      refuse: /binary file|UTF-16/,
    }),
    one('bom.csv', 'encoding', file('bom.csv', '\ufeffid,x\n1,2\n3,4\n'), { rows: 2, columns: ['id', 'x'] }),
    one(
      'latin1.csv',
      'encoding',
      file('latin1.csv', Uint8Array.from([...Buffer.from('name,x\nJos'), 0xe9, ...Buffer.from(',1\nAna,2\n')])),
      {
        refuse: /"latin1\.csv" is not UTF-8 text \(first at line 2\)/,
      },
    ),
  );

  // --- CSV structure
  add(
    one('ragged-late.csv', 'ragged', file('ragged-late.csv', `${longCsv(50)}1,2,3,4\n`), { refuse: /different number of fields/ }, true),
    one('ragged-early.csv', 'ragged', file('ragged-early.csv', 'a,b,c\n1,2\n3,4,5\n'), { refuse: /different number of fields/ }),
    one('unterminated-quote.csv', 'quoting', file('unterminated-quote.csv', 'a,b\n1,"abc\n2,3\n'), { rows: 2, columns: ['a', 'b'] }),
    one('quoted-newline.csv', 'quoting', file('quoted-newline.csv', 'a,b\n1,"line one\nline two"\n2,x\n'), {
      rows: 2,
      columns: ['a', 'b'],
    }),
    one('semicolon.csv', 'dialect', file('semicolon.csv', 'a;b;c\n1;2;3\n4;5;6\n'), { rows: 2, columns: ['a', 'b', 'c'] }),
    one('crlf.csv', 'dialect', file('crlf.csv', 'a,b\r\n1,2\r\n3,4\r\n'), { rows: 2, columns: ['a', 'b'] }),
    one('one-column.csv', 'dialect', file('one-column.csv', 'x\n1\n2\n3\n'), { rows: 3, columns: ['x'] }),
    one('tsv-named-csv.csv', 'dialect', file('tsv-named-csv.csv', 'a\tb\n1\t2\n'), { rows: 1, columns: ['a', 'b'] }),
    one('duplicate-header.csv', 'names', file('duplicate-header.csv', 'x,x,y\n1,2,3\n'), {
      code: 0,
      check: (out) => {
        const names = (JSON.parse(out) as { columns: { name: string }[] }).columns.map((c) => c.name);
        if (names.length !== 3 || new Set(names.map((n) => n.toLowerCase())).size !== 3) throw new Error(`columns ${names}`);
      },
    }),
    one('case-header.csv', 'names', file('case-header.csv', 'Score,score\n1,2\n'), {
      code: 0,
      check: (out) => {
        const names = (JSON.parse(out) as { columns: { name: string }[] }).columns.map((c) => c.name);
        if (names.length !== 2 || names[0]!.toLowerCase() === names[1]!.toLowerCase()) throw new Error(`columns ${names}`);
      },
    }),
    one('empty-header.csv', 'names', file('empty-header.csv', ',b,\n1,2,3\n'), { rows: 1 }),
    one('long-field.csv', 'size', file('long-field.csv', `a,b\n1,${'x'.repeat(200_000)}\n`), { rows: 1, columns: ['a', 'b'] }),
    one(
      'hostile-names.csv',
      'names',
      file('hostile-names.csv', `"""; DROP TABLE x; --",select,"<img src=x onerror=alert(1)>",rowid\n1,2,3,4\n`),
      { rows: 1, columns: ['"; DROP TABLE x; --', 'select', '<img src=x onerror=alert(1)>', 'rowid'] },
      true,
    ),
    one('formula.csv', 'values', file('formula.csv', 'id,cmd\n1,=HYPERLINK("http://x")\n2,@SUM(1)\n3,+1-2\n'), { rows: 3 }),
    one('bidi.csv', 'values', file('bidi.csv', 'id,name\n1,abc\u202edcba\n2,\u2067x\u2069\n'), { rows: 2, columns: ['id', 'name'] }, true),
    one('inf-nan.csv', 'values', file('inf-nan.csv', 'x\ninf\n-inf\nnan\n1e400\n-0\n'), { rows: 5, columns: ['x'] }),
    one('huge-int.csv', 'values', file('huge-int.csv', 'x\n99999999999999999999999999\n1\n'), { rows: 2, columns: ['x'] }),
    one('mixed-types.csv', 'values', file('mixed-types.csv', `x\n${'1\n'.repeat(30000)}abc\n`), { rows: 30001, columns: ['x'] }),
  );

  // --- gzip
  add(
    one('cut-at-line.csv.gz', 'gzip', file('cut-at-line.csv.gz', gzipCutAtLineEnd(longCsv(3000))), { refuse: /is cut short/ }, true),
    one('cut-mid.csv.gz', 'gzip', file('cut-mid.csv.gz', gz.subarray(0, Math.floor(gz.length / 2))), { refuse: /is cut short/ }),
    one('no-trailer.csv.gz', 'gzip', file('no-trailer.csv.gz', gz.subarray(0, gz.length - 8)), { refuse: /is cut short/ }, true),
    one('bad-size.csv.gz', 'gzip', file('bad-size.csv.gz', Uint8Array.from([...gz.subarray(0, gz.length - 4), 1, 0, 0, 0])), {
      refuse: /is cut short/,
    }),
    one('header-only.csv.gz', 'gzip', file('header-only.csv.gz', gzipSync(Buffer.from('a,b\n'))), { refuse: /no data rows/ }),
    one('good.csv.gz', 'gzip', file('good.csv.gz', gz), { rows: 3000, columns: ['id', 'a', 'b'] }),
    one(
      'two-members.csv.gz',
      'gzip',
      file(
        'two-members.csv.gz',
        new Uint8Array(Buffer.concat([gzipSync(Buffer.from('id,a\n1,2\n')), gzipSync(Buffer.from('3,4\n5,6\n'))])),
      ),
      { rows: 3, columns: ['id', 'a'] },
    ),
    one('not-gzip.csv.gz', 'gzip', file('not-gzip.csv.gz', csv), { rows: 6, columns: ['id', 'x', 'seg'] }),
    one('tiny.csv.gz', 'gzip', file('tiny.csv.gz', Uint8Array.from([0x1f, 0x8b, 8, 0])), { refuse: /is cut short/ }),
  );

  // --- JSON
  add(
    one('truncated.json', 'json', file('truncated.json', '[{"a":1},{"a":'), { refuse: /not valid JSON/ }, true),
    one('trailing-comma.json', 'json', file('trailing-comma.json', '[{"a":1},]'), { refuse: /not valid JSON/ }, true),
    one('bad-line.ndjson', 'json', file('bad-line.ndjson', '{"a":1}\n{"a":2\n{"a":3}\n'), {
      refuse: /NDJSON: (line 2 is not a JSON value|at byte \d+ in line 3)/,
    }),
    one('case-keys.json', 'json', file('case-keys.json', '[{"Score":1,"score":2},{"Score":3,"score":4}]'), {
      refuse: /keys that differ only in case/,
    }),
    one(
      'case-keys.ndjson',
      'json',
      file('case-keys.ndjson', '{"Score":1}\n{"score":2}\n'),
      { refuse: /keys that differ only in case/ },
      true,
    ),
    // JSON.parse keeps the last of two equal keys: the file is refused, naming the key and where it is.
    one(
      'duplicate-key.json',
      'json',
      file('duplicate-key.json', '[\n{"id":1,"a":1},\n{"id":2,"a":1,"a":2}\n]\n'),
      {
        refuse: /an object with the key "a" twice \((line 3|record 2 of the array)\)/,
      },
      true,
    ),
    one(
      'duplicate-key.ndjson',
      'json',
      file('duplicate-key.ndjson', '{"id":1,"a":1}\n{"id":2,"b":{"c":1,"c":2}}\n'),
      {
        refuse: /an object with the key "c" twice \(line 2\)/,
      },
      true,
    ),
    one('deep.json', 'json', file('deep.json', nested(60)), { rows: 1, columns: ['id', 'deep'] }),
    one('deeper.json', 'json', file('deeper.json', nested(5000)), { refuse: /more than 64 levels deep/ }),
    one('very-deep.json', 'json', file('very-deep.json', nested(200_000)), { refuse: /more than 64 levels deep/ }, true),
    one('nul-value.json', 'json', file('nul-value.json', '[{"id":1,"s":"a\\u0000b"},{"id":2,"s":"c"}]'), { rows: 2, columns: ['id', 's'] }),
    one('nul-key.json', 'json', file('nul-key.json', '[{"id":1,"a\\u0000b":2}]'), {
      refuse: /a key with a NUL character|a column name with a NUL character/,
    }),
    one('huge-int.json', 'json', file('huge-int.json', '[{"x":123456789012345678901234567890},{"x":1}]'), { rows: 2, columns: ['x'] }),
    one(
      'mixed.ndjson',
      'json',
      file('mixed.ndjson', '{"x":1}\n{"x":"text"}\n{"x":null}\n{"y":true}\n'),
      { rows: 4, columns: ['x', 'y'] },
      true,
    ),
    one('quotes-keys.json', 'json', file('quotes-keys.json', '[{"a\\"b":1,"c\'d":2}]'), { rows: 1, columns: ['a"b', "c'd"] }),
    one('bom.json', 'json', file('bom.json', '\ufeff[{"a":1}]'), { rows: 1, columns: ['a'] }),
    one('not-json.json', 'json', file('not-json.json', 'hello world'), { refuse: /not valid JSON/ }),
  );

  // --- Parquet and Arrow
  add(
    one(
      'truncated.parquet',
      'parquet',
      file('truncated.parquet', parquet.subarray(0, Math.floor(parquet.length / 2))),
      {
        refuse: /truncated or corrupt/,
      },
      true,
    ),
    one('magic-only.parquet', 'parquet', file('magic-only.parquet', text('PAR1')), {
      refuse: /could not be read as Parquet|truncated or corrupt/,
    }),
    one('no-magic.parquet', 'parquet', file('no-magic.parquet', csv), { refuse: /not a valid Parquet file/ }),
    one(
      'bad-footer.parquet',
      'parquet',
      file(
        'bad-footer.parquet',
        Uint8Array.from([...parquet.subarray(0, parquet.length - 8), 0xff, 0xff, 0xff, 0x7f, 0x50, 0x41, 0x52, 0x31]),
      ),
      { refuse: /could not be read as Parquet|truncated or corrupt/ },
    ),
    one('good.parquet', 'parquet', file('good.parquet', parquet), { rows: 6, columns: ['id', 'x'] }),
    one(
      'truncated.arrow',
      'arrow',
      file('truncated.arrow', arrowFile.subarray(0, Math.floor(arrowFile.length / 2))),
      {
        refuse: /could not be read/,
      },
      true,
    ),
    one('truncated.arrows', 'arrow', file('truncated.arrows', arrowStream.subarray(0, Math.floor(arrowStream.length * 0.7))), {
      refuse: /could not be read/,
    }),
    one('no-magic.arrow', 'arrow', file('no-magic.arrow', csv), { refuse: /not a valid Arrow IPC file/ }),
    one('good.arrow', 'arrow', file('good.arrow', arrowFile), { rows: 6, columns: ['id', 'x'] }),
    one('renamed-parquet.csv', 'format', file('renamed-parquet.csv', parquet), { rows: 6, columns: ['id', 'x'] }),
  );

  // --- damaged models
  const modelCase = (name: string, content: string, refuse: RegExp): CorpusCase => ({
    name,
    kind: 'model',
    files: [file(name, content), file('rows.csv', modelRows)],
    argv: ['explain', '--model', '{0}', '--data', '{1}', '--limit', '5', '--json'],
    expect: { refuse },
  });
  const leaf = (xgbDoc().learner.gradient_booster.model.trees[0].left_children as number[]).indexOf(-1);
  add(
    modelCase(
      'nan-leaf.json',
      xgbDamaged((t) => (t['split_conditions']![leaf] = 'NaN')),
      new RegExp(`tree 0, node ${leaf}: the leaf value`),
    ),
    modelCase(
      'bare-nan-leaf.json',
      xgbDamaged((t) => (t['split_conditions']![leaf] = '__NAN__')).replace('"__NAN__"', 'NaN'),
      new RegExp(`tree 0, node ${leaf}: the leaf value`),
    ),
    modelCase(
      'null-split.json',
      xgbDamaged((t) => (t['split_indices']![0] = null)),
      /tree 0, node 0: the split feature/,
    ),
    modelCase(
      'cycle.json',
      xgbDamaged((t) => (t['left_children']![0] = 0)),
      /tree 0 reaches node 0 twice|tree 0/,
    ),
    modelCase('lgb-threshold.txt', lgb.replace('threshold=1.5 -0.25', 'threshold=abc -0.25'), /tree 0, node 0: the split threshold/),
    modelCase('lgb-leaf.txt', lgb.replace('leaf_value=0.40000000000000002', 'leaf_value=nan'), /tree 0, node 2: the leaf value/),
    modelCase('not-model.json', '{"hello":1}', /not a model file|model/i),
    modelCase('truncated-model.json', xgb.slice(0, 500), /cannot be read|damaged|not a model/),
  );

  // --- row order: a label file whose "rowid" column runs backwards must not change the first label
  const predictions = `id,score\n${[1, 2, 3, 4].map((i) => `${i},${i % 2 ? 0.9 : 0.1}`).join('\n')}\n`;
  // First labels in file order: 1->1, 2->0, 3->1, 4->0: every prediction right (accuracy 1).
  const labels = 'id,label,rowid\n1,1,4\n2,0,3\n3,1,2\n4,0,1\n1,0,0\n2,1,-1\n3,0,-2\n4,1,-3\n';
  add({
    name: 'rowid-labels',
    kind: 'row order',
    files: [file('preds.csv', predictions), file('labels-rowid.csv', labels)],
    argv: ['metrics', '--data', '{0}', '--labels', '{1}', '--score', 'score', '--label', 'label', '--json'],
    expect: {
      code: 0,
      check: (out) => {
        const json = JSON.parse(out) as { overall: Record<string, number>; labels: { duplicateLabelIds: number } };
        if (json.overall['accuracy'] !== 1) throw new Error(`accuracy ${json.overall['accuracy']}`);
        if (json.labels.duplicateLabelIds !== 4) throw new Error(`duplicates ${json.labels.duplicateLabelIds}`);
      },
    },
  });

  // --- the investigation with nothing comparable, with a retyped segment column; a query that fails
  const investigated = (out: string) =>
    JSON.parse(out) as { findings: { kind: string }[]; steps: { step: string; status: string; reason?: string }[] };
  add(
    {
      name: 'investigate-nothing-shared',
      kind: 'investigate',
      files: [file('ref.csv', 'a,b,seg\n1,2,n\n3,4,s\n5,6,n\n'), file('cur.csv', 'x,y\n1,2\n3,4\n')],
      argv: ['investigate', '--reference', '{0}', '--current', '{1}', '--json'],
      expect: {
        code: 0,
        check: (out) => {
          const inputs = investigated(out).steps.find((s) => s.step === 'inputs');
          if (inputs?.status !== 'skipped' || !/share no input column/.test(inputs.reason ?? '')) throw new Error(out);
        },
      },
    },
    {
      name: 'investigate-retyped-segment',
      kind: 'investigate',
      files: [
        file('ref.csv', `x,seg\n${Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 3}`).join('\n')}\n`),
        file('cur.csv', `x,seg\n${Array.from({ length: 60 }, (_, i) => `${i % 7},${['a', 'b', 'c'][i % 3]}`).join('\n')}\n`),
      ],
      argv: ['investigate', '--reference', '{0}', '--current', '{1}', '--json'],
      expect: { code: 0, check: (out) => void investigated(out) },
    },
    {
      name: 'investigate-text-in-training',
      kind: 'investigate',
      files: [
        file('ref.csv', `x,seg\n${Array.from({ length: 60 }, (_, i) => `${i === 5 ? 'n/a' : i % 7},${i % 3}`).join('\n')}\n`),
        file('cur.csv', `x,seg\n${Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 3}`).join('\n')}\n`),
      ],
      argv: ['investigate', '--reference', '{0}', '--current', '{1}', '--json'],
      expect: {
        code: 0,
        check: (out) => {
          const types = investigated(out).steps.find((s) => s.step === 'types');
          if (!/x \(VARCHAR in the training data, BIGINT in the log\)/.test(types?.reason ?? '')) throw new Error(out);
        },
      },
    },
    {
      name: 'sql-unknown-table',
      kind: 'sql',
      files: [file('flights.csv', 'a,b\n1,2\n')],
      argv: ['sql', '--data', '{0}', 'SELECT count(*) FROM data'],
      expect: { refuse: /The query failed: Table with name data does not exist[\s\S]*Tables: flights\./ },
    },
  );

  // --- drift with nothing comparable, and with a retyped column
  add(
    {
      name: 'drift-nothing-shared',
      kind: 'drift',
      files: [file('ref.csv', 'a,b\n1,2\n3,4\n5,6\n'), file('cur.csv', 'x,y\n1,2\n3,4\n')],
      argv: ['drift', '--reference', '{0}', '--current', '{1}', '--json', '--fail-on-drift'],
      expect: {
        code: 1,
        check: (out, err) => {
          const json = JSON.parse(out) as { columns: unknown[]; schema: { missing_columns: string[]; new_columns: string[] } };
          if (json.columns.length !== 0 || json.schema.missing_columns.join() !== 'a,b' || json.schema.new_columns.join() !== 'x,y')
            throw new Error(out);
          if (!/no column could be compared/.test(err)) throw new Error(err);
        },
      },
    },
    {
      name: 'drift-retyped',
      kind: 'drift',
      files: [file('ref.csv', 'a,b\n1,2\n3,4\n5,6\n'), file('cur.csv', 'a,b\nx,2\ny,4\n')],
      argv: ['drift', '--reference', '{0}', '--current', '{1}', '--json'],
      expect: {
        code: 0,
        check: (out) => {
          const json = JSON.parse(out) as { columns: { name: string }[]; schema: { type_changes: { name: string }[] } };
          if (json.schema.type_changes.map((t) => t.name).join() !== 'a' || json.columns.map((c) => c.name).join() !== 'b')
            throw new Error(out);
        },
      },
    },
  );

  // --- ids and timestamps
  const tsPreds = `id,score,label,ts\n${Array.from({ length: 40 }, (_, i) => `${i},${(i % 10) / 10},${i % 2},${i % 4 === 0 ? 'soon' : `2024-02-0${1 + (i % 5)}T23:30:00-02:00`}`).join('\n')}\n`;
  add(
    {
      name: 'unreadable-times',
      kind: 'timestamps',
      files: [file('ts.csv', tsPreds)],
      argv: ['metrics', '--data', '{0}', '--score', 'score', '--label', 'label', '--timestamp', 'ts', '--json'],
      expect: {
        code: 0,
        check: (out) => {
          const json = JSON.parse(out) as { warnings: string[] };
          if (!json.warnings.some((w) => w.startsWith('10 of 40 values of the timestamp column "ts" could not be read')))
            throw new Error(out);
        },
      },
    },
    {
      name: 'id-prefix-mismatch',
      kind: 'ids',
      files: [file('p.csv', 'id,score\n1,0.2\n2,0.8\n'), file('l.csv', 'id,label\np1,0\np2,1\n')],
      argv: ['metrics', '--data', '{0}', '--labels', '{1}', '--json'],
      expect: {
        refuse: /None of the 2 label rows has an id that matches a prediction id\. The prediction ids are BIGINT and the label ids VARCHAR/,
      },
    },
    {
      name: 'id-float-match',
      kind: 'ids',
      files: [file('p.csv', 'id,score\n17,0.2\n18,0.8\n'), file('l.csv', 'id,label\n17.0,0\n18.0,1\n')],
      argv: ['metrics', '--data', '{0}', '--labels', '{1}', '--json'],
      expect: {
        code: 0,
        check: (out) => {
          const json = JSON.parse(out) as { labels: { matched: number }; overall: Record<string, number> };
          if (json.labels.matched !== 2 || json.overall['accuracy'] !== 1) throw new Error(out);
        },
      },
    },
  );

  // --- NUL and control characters in values through slices and check --preset
  const nulRows = Array.from({ length: 120 }, (_, i) =>
    JSON.stringify({
      id: i,
      seg: ['a\u0000b', 'plain', 'c\u202ed', 'x"y\n'][i % 4],
      x: (i * 7) % 13,
      score: (i % 10) / 10,
      label: i % 3 === 0 ? 1 : 0,
    }),
  ).join('\n');
  add(
    {
      name: 'nul-slices',
      kind: 'control characters',
      files: [file('nul.ndjson', nulRows)],
      argv: ['slices', '--data', '{0}', '--score', 'score', '--label', 'label', '--json'],
      expect: { code: 0, check: (out) => void JSON.parse(out) },
    },
    {
      name: 'nul-preset',
      kind: 'control characters',
      files: [file('nul.ndjson', nulRows)],
      argv: ['check', '--preset', '--reference', '{0}'],
      expect: { code: 0, check: (out) => void JSON.parse(out) },
    },
  );

  // --- names that are globs, folders, missing files
  add(
    {
      name: 'missing-file',
      kind: 'path',
      files: [],
      argv: ['inspect', '/nonexistent/file.csv'],
      expect: { refuse: /no such file|not found|does not exist/i },
    },
    one('weird name [1] *.csv', 'path', file('weird name [1] *.csv', csv), { rows: 6, columns: ['id', 'x', 'seg'] }),
    one('unicode-名前.csv', 'path', file('unicode-名前.csv', csv), { rows: 6 }),
    one('no-extension', 'format', file('no-extension', csv), { rows: 6, columns: ['id', 'x', 'seg'] }),
    one('upper.CSV', 'format', file('upper.CSV', csv), { rows: 6 }),
    one('json-named.csv', 'format', file('json-named.csv', '[{"a":1}]'), { rows: 1, columns: ['a'] }),
  );

  // --- more values
  add(
    one('quote-in-value.csv', 'values', file('quote-in-value.csv', `id,v\n1,"it's ""quoted"""\n2,'x'\n`), { rows: 2 }),
    one('sql-values.csv', 'values', file('sql-values.csv', `id,v\n1,'; DROP TABLE reference; --\n2,"\\x00"\n`), { rows: 2 }),
    one('html-values.json', 'values', file('html-values.json', '[{"v":"<script>alert(1)</script>"},{"v":"</td><td>"}]'), { rows: 2 }),
    one('emoji.csv', 'values', file('emoji.csv', 'id,v\n1,🙂\n2,👩‍👩‍👧\n'), { rows: 2 }),
    one(
      'control-chars.csv',
      'values',
      file(
        'control-chars.csv',
        `id,v\n1,a\u0007b\n2,c\u001bd\n${Array.from({ length: 60 }, (_, i) => `${i + 3},plain text ${i}`).join('\n')}\n`,
      ),
      { rows: 62 },
    ),
    one('only-nulls.csv', 'values', file('only-nulls.csv', 'a,b\n,\n,\n'), { rows: 2 }),
    one(
      'wide.csv',
      'size',
      file(
        'wide.csv',
        `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',')}\n${Array.from({ length: 2000 }, (_, i) => i).join(',')}\n`,
      ),
      {
        rows: 1,
      },
    ),
  );
  return cases;
}
