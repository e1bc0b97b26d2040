import { nodeParquet } from '../../engine/node';
import { csvFromIpc } from '../../lib/console/csv';
import { uniqueTableNames } from '../../lib/console/readOnly';
import { runConsoleQuery } from '../../lib/console/run';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import { ident } from '../../lib/sql';
import { parseCommandArgs } from '../args';
import { openCommandDb, openInput } from '../engine';
import type { CliIo } from '../io';

export const usage = 'Usage: lantern sql --data <file> [--data <file>]... [--json] "<query>"';

/**
 * A read-only query over data files, each a table named after its file (`flights.parquet` is `flights`),
 * with the console's rules: one query, nothing that writes. CSV by default, JSON rows with --json.
 */
export async function sqlCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { data: { type: 'string', multiple: true }, json: { type: 'boolean' } }, usage);
  const files = values.data ?? [];
  if (files.length === 0) throw new LanternError('usage', `--data <file> is required.\n${usage}`);
  if (positionals.length !== 1) throw new LanternError('usage', `Give the query as one argument, in quotes.\n${usage}`);
  const db = await openCommandDb({ fresh: true });
  const names = uniqueTableNames(files);
  const tables: { name: string; table: string }[] = [];
  for (const [i, file] of files.entries()) {
    await loadDataset(db, nodeParquet, await openInput(db, file), { table: `ds_${i + 1}` });
    tables.push({ name: names[i]!, table: `ds_${i + 1}` });
  }
  const result = await runConsoleQuery(db, { text: positionals[0]!, tables, into: '__sql_result' }).catch((error: unknown) => {
    if (error instanceof LanternError) throw error;
    // DuckDB's first line says what is wrong with the query (its LINE pointer counts a line of ours); the
    // tables the query can read are named after the files.
    const said = String((error as Error)?.message ?? error)
      .replace(/^(Error:\s*)?[A-Za-z ]*Error:\s*/, '')
      .split('\n')[0];
    throw new LanternError('usage', `The query failed: ${said}\nTables: ${tables.map((t) => t.name).join(', ')}.`);
  });
  const ipc = await db.queryArrow(`SELECT * FROM ${ident(result.table)}`);
  if (!values.json) {
    io.out(csvFromIpc(ipc).replace(/\n$/, ''));
    return 0;
  }
  const rows = await db.query(`SELECT * FROM ${ident(result.table)}`);
  io.out(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v)));
  return 0;
}
