// Reads one Parquet file with the project's native DuckDB (@duckdb/node-api, which has Parquet built in)
// and writes it as CSV in file order. Debian's Python has no pyarrow, and vega-datasets' flights-3m.parquet
// is ZSTD-compressed, so scripts/planted/generate.py calls this to read it.
//   node scripts/planted/parquet_to_csv.mjs <in.parquet> <out.csv>
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node parquet_to_csv.mjs <in.parquet> <out.csv>');
  process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '2',
});
const con = await db.connect();
await con.run(
  `COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet(${quote(input)}, file_row_number = true) ORDER BY file_row_number) ` +
    `TO ${quote(output)} (FORMAT csv, HEADER true)`,
);
const rows = await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_csv(${quote(output)})`);
console.log(`${input} -> ${output}: ${rows.getRowObjectsJson()[0].n} rows`);
