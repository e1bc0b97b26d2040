import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { nodeParquet } from '../../src/engine/node';
import { exportColumnTypes, exportTableCsv, exportTableParquet, uniqueNames, type ExportTable } from '../../src/lib/exportTable';
import { testDb } from '../helpers/db';

/** Parquet bytes read back by parquet-wasm (not by the engine that wrote them), as plain rows. */
function readBack(bytes: Uint8Array) {
  const table = tableFromIPC(readParquet(bytes).intoIPCStream());
  return {
    columns: table.schema.fields.map((f) => f.name),
    types: table.schema.fields.map((f) => String(f.type)),
    rows: table.toArray().map((r) => Object.values(r.toJSON())),
  };
}

const hostile: ExportTable = {
  columns: ['column', 'score"; DROP TABLE x; --', 'drifted', 'ünï = "x"', 'column'],
  rows: [
    ['amount', 0.1570154278924554, true, "it's", 1],
    ['=SUM(A1)', null, false, 'a,b\nc', 2],
    ['\u0000nul', Number.POSITIVE_INFINITY, null, null, 3],
    ['huge', 1.7976931348623157e308, true, '', -0],
    ['tiny', 5e-324, false, 'x', 2 ** 53 + 2],
  ],
};

describe('exporting a view table', () => {
  it('types columns from their cells and makes names unique', () => {
    expect(exportColumnTypes(hostile)).toEqual(['VARCHAR', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'DOUBLE']);
    expect(uniqueNames(['a', 'a', '', 'a_2', ''])).toEqual(['a', 'a_2', 'column', 'a_2_2', 'column_2']);
  });

  it('writes CSV with every number in full precision and formulas defused', () => {
    const csv = exportTableCsv(hostile).split('\r\n');
    expect(csv[0]).toBe('column,"score""; DROP TABLE x; --",drifted,"ünï = ""x""",column');
    expect(csv[1]).toBe("amount,0.1570154278924554,true,it's,1");
    expect(csv[2]).toBe(`'=SUM(A1),,false,"a,b\nc",2`);
  });

  it('writes Parquet in the engine that reads back with the same names, types and values', async () => {
    const db = await testDb();
    const bytes = await exportTableParquet(db, nodeParquet, hostile);
    const back = readBack(bytes);
    expect(back.columns).toEqual(['column', 'score"; DROP TABLE x; --', 'drifted', 'ünï = "x"', 'column_2']);
    expect(back.types).toEqual(['Utf8', 'Float64', 'Bool', 'Utf8', 'Float64']);
    expect(back.rows).toEqual([
      ['amount', 0.1570154278924554, true, "it's", 1],
      ['=SUM(A1)', null, false, 'a,b\nc', 2],
      ['\u0000nul', null, null, null, 3],
      // Negative zero comes back as zero: a results table has no use for the sign of zero.
      ['huge', 1.7976931348623157e308, true, '', 0],
      ['tiny', 5e-324, false, 'x', 2 ** 53 + 2],
    ]);
  });

  it('writes an empty table with its columns, and refuses a table without columns', async () => {
    const db = await testDb();
    const back = readBack(await exportTableParquet(db, nodeParquet, { columns: ['a', 'b'], rows: [] }));
    expect(back.columns).toEqual(['a', 'b']);
    expect(back.rows).toEqual([]);
    await expect(exportTableParquet(db, nodeParquet, { columns: [], rows: [] })).rejects.toThrow(/no columns/);
  });
});
