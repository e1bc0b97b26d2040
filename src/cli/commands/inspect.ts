import { nodeParquet } from '../../engine/node';
import { LanternError } from '../../lib/errors';
import { loadDataset } from '../../lib/ingest';
import { inferRoles } from '../../lib/roles';
import { parseCommandArgs } from '../args';
import type { CliIo } from '../io';
import { openCommandDb, openInput } from '../engine';

export const usage = 'Usage: lantern inspect <file> [--json]';

export async function inspect(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, usage);
  if (positionals.length !== 1) throw new LanternError('usage', `inspect takes exactly one file.\n${usage}`);
  const file = positionals[0]!;
  const db = await openCommandDb();
  const source = await openInput(db, file);
  const dataset = await loadDataset(db, nodeParquet, source, { table: 'dataset' });
  const roles = inferRoles(dataset.columns);
  const result = {
    file,
    format: dataset.format,
    rows: dataset.rows,
    columns: dataset.columns.map((c) => ({ name: c.name, type: c.type, role: roles[c.name] })),
  };
  if (values.json) {
    io.out(JSON.stringify(result));
  } else {
    io.out(`${file}: ${dataset.format}, ${dataset.rows.toLocaleString('en-US')} rows, ${dataset.columns.length} columns`);
    const width = Math.max(...result.columns.map((c) => c.name.length));
    for (const c of result.columns) io.out(`  ${c.name.padEnd(width)}  ${c.type.padEnd(12)}  ${c.role}`);
  }
  return 0;
}
