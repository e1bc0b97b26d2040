// Writes one Parquet file with the project's native DuckDB (@duckdb/node-api): Debian's Python has no
// pyarrow, so scripts/planted2/generate.py hands over NDJSON and the column types, and this keeps the row
// order (one thread, insertion order preserved).
//   node scripts/planted2/write_parquet.mjs <in.ndjson> <out.parquet> '<{"col": "TYPE", ...}>'
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output, typesJson] = process.argv.slice(2);
if (!input || !output || !typesJson) {
  console.error('usage: node write_parquet.mjs <in.ndjson> <out.parquet> \'<{"col": "TYPE"}>\'');
  process.exit(2);
}
const types = JSON.parse(typesJson);
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const db = await DuckDBInstance.create(':memory:', {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  threads: '1',
});
const con = await db.connect();
const columns = Object.entries(types)
  .map(([c, t]) => `${quote(c)}: ${quote(t)}`)
  .join(', ');
const select = Object.keys(types).map(ident).join(', ');
await con.run(
  `COPY (SELECT ${select} FROM read_json(${quote(input)}, format = 'newline_delimited', columns = {${columns}})) ` +
    `TO ${quote(output)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)`,
);
const rows = await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet(${quote(output)})`);
console.log(`${input} -> ${output}: ${rows.getRowObjectsJson()[0].n} rows`);
